"""Every ARKit shape at weight 1 does what ARKit says, on the character's own side.

Coordinates are the head node's: +X is the character's own left (image right
when it faces the camera), +Y up, +Z forward. Sizes are stated as shares of
the face height (chin to crown) or of the eye radius.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree

from avatarlink.frame import ARKIT_INDEX, ARKIT_NAMES

from .conftest import NAMES

SIDES = {"Left": ("L", 1.0), "Right": ("R", -1.0)}
# jawLeft/Right and mouthLeft/Right move the whole jaw or mouth: tested as shifts below
SIDED = sorted({n[: -len("Left")] for n in ARKIT_NAMES if n.endswith("Left")} - {"jaw", "mouth"})


def _side(x: np.ndarray, sign: float) -> np.ndarray:
    return x * sign > 0


@pytest.fixture(params=NAMES)
def face(request, faces):
    return faces[request.param]


def test_every_shape_moves_something_and_stays_small(face):
    for name in ARKIT_NAMES:
        moved = max(np.abs(face.delta(p, **{name: 1.0})).max() for p in face.parts)
        # the jaw's full travel is a wide-open human mouth's, under a quarter of
        # the face; mouthClose shuts that open jaw, so it travels as far
        limit = 0.25 if name in ("jawOpen", "mouthClose") else 0.2
        assert 0.001 < moved < limit * face.height, name


@pytest.mark.parametrize("base", SIDED)
def test_left_shapes_act_on_the_characters_left_and_mirror_the_right(face, base):
    """XLeft moves mostly +X vertices, and XRight is its mirror image."""
    for part, (rest, _) in face.parts.items():
        left = face.delta(part, **{base + "Left": 1.0})
        right = face.delta(part, **{base + "Right": 1.0})
        tree = cKDTree(rest)
        dist, match = tree.query(rest * [-1, 1, 1])
        if dist.max() > 1e-5:
            continue  # an asymmetric part (none on the face today)
        unique = tree.query(rest, k=2)[0][:, 1] > 1e-6  # lip corners coincide: skip twins
        if not unique.any():
            continue  # the closed mouth's interior is flat at rest
        expected = right[match] * [-1, 1, 1]
        assert np.abs(left - expected)[unique].max() < 2e-4, (base, part)
    total = {s: 0.0 for s in SIDES}
    for part, (rest, _) in face.parts.items():
        d = np.linalg.norm(face.delta(part, **{base + "Left": 1.0}), axis=1)
        total["Left"] += d[rest[:, 0] > 0].sum()
        total["Right"] += d[rest[:, 0] < 0].sum()
    assert total["Left"] > 2.0 * total["Right"], base


def _lid_edge(face, side: str) -> np.ndarray:
    """Lash vertices of one eye: they sit on the upper lid's edge."""
    rest = face.rest("lash")
    sign = 1.0 if side == "L" else -1.0
    return _side(rest[:, 0], sign)


@pytest.mark.parametrize("suffix", SIDES)
def test_eye_blink_closes_that_lid_completely(face, suffix):
    side = SIDES[suffix][0]
    c, r = face.eye_centres[side], face.eye_radius
    mask = _lid_edge(face, side)
    rest = face.rest("lash")[mask]
    moved = rest + face.delta("lash", **{f"eyeBlink{suffix}": 1.0})[mask]
    near_centre = np.abs(rest[:, 0] - c[0]) < 0.3 * r
    assert rest[near_centre, 1].min() > c[1] + 0.3 * r  # open: the edge is above the pupil
    assert moved[near_centre, 1].max() < c[1] - 0.3 * r  # closed: it crossed the whole eye
    # the lower lid rises to meet it: skin just under the eye moves up
    skin = face.rest("skin")
    below = (np.abs(skin[:, 0] - c[0]) < 0.4 * r) & (skin[:, 1] < c[1] - 0.4 * r)
    below &= np.linalg.norm(skin - c, axis=1) < 1.2 * r
    assert face.delta("skin", **{f"eyeBlink{suffix}": 1.0})[below, 1].mean() > 0
    other = _lid_edge(face, "R" if side == "L" else "L")
    assert np.abs(face.delta("lash", **{f"eyeBlink{suffix}": 1.0})[other]).max() == 0


@pytest.mark.parametrize("suffix", SIDES)
def test_eye_at_rest_is_an_almond_not_a_stare(face, suffix):
    # an upper lid high over the iris reads as eyeWide at rest, and real squints then fall short
    side = SIDES[suffix][0]
    c, r = face.eye_centres[side], face.eye_radius
    rest = face.rest("lash")[_lid_edge(face, side)]
    near_centre = np.abs(rest[:, 0] - c[0]) < 0.3 * r
    assert rest[near_centre, 1].min() < c[1] + 0.45 * r


@pytest.mark.parametrize("suffix", SIDES)
def test_eye_look_squint_wide_move_the_lids_the_right_way(face, suffix):
    side, sign = SIDES[suffix]
    mask = _lid_edge(face, side)
    x = face.rest("lash")[mask, 0] - face.eye_centres[side][0]

    def dy(name):
        return face.delta("lash", **{name + suffix: 1.0})[mask, 1]

    assert dy("eyeLookUp").mean() > 0.08 * face.eye_radius
    assert dy("eyeLookDown").mean() < -0.15 * face.eye_radius
    assert dy("eyeWide").mean() > 0.15 * face.eye_radius
    assert dy("eyeSquint").mean() < 0
    # looking in (towards the nose, x = 0) raises the lid edge on the nose side
    towards_nose = -sign
    assert np.sum(dy("eyeLookIn") * x) * towards_nose > 0
    assert np.sum(dy("eyeLookOut") * x) * towards_nose < 0


def _jaw_region(face):
    skin = face.rest("skin")
    mouth_y = face.rest("lips")[:, 1].mean()
    chin = (skin[:, 1] < mouth_y - 0.25 * face.height * 0.3) & (np.abs(skin[:, 0]) < 0.02)
    return chin & (skin[:, 2] > 0.5 * skin[:, 2].max())


def test_jaw_open_drops_the_chin_and_opens_the_mouth(face):
    chin = _jaw_region(face)
    drop = face.delta("skin", jawOpen=1.0)[chin, 1]
    assert drop.min() < -0.10 * face.height  # chin drops by over a tenth of the face
    interior = face.rest("mouth")
    opened = interior + face.delta("mouth", jawOpen=1.0)
    centre = np.abs(interior[:, 0]) < 0.004
    assert np.ptp(interior[centre, 1]) < 0.01 * face.height  # closed at rest
    assert np.ptp(opened[centre, 1]) > 0.08 * face.height  # dark interior shows
    teeth = face.delta("teeth", jawOpen=1.0)
    assert teeth[:, 1].min() < -0.05 * face.height  # the lower teeth travel with the jaw


def test_open_jaw_is_an_oval_not_a_smile(face):
    # corners left up by the upper lip make a D, which a face reader takes for a smile
    lips = face.rest("lips")
    drop = face.delta("lips", jawOpen=1.0)[:, 1]
    corners = [_corner(face, 1.0), _corner(face, -1.0)]
    lower_centre = (np.abs(lips[:, 0]) < 0.004) & (lips[:, 1] < np.median(lips[:, 1]))
    assert drop[corners].max() < 0.3 * drop[lower_centre].min() < 0


def test_mouth_close_shuts_the_open_jaw(face):
    interior = face.rest("mouth")
    closed = interior + face.delta("mouth", jawOpen=1.0, mouthClose=1.0)
    centre = np.abs(interior[:, 0]) < 0.004
    assert np.ptp(closed[centre, 1]) < 0.015 * face.height


@pytest.mark.parametrize(("name", "axis", "sign"), [
    ("jawForward", 2, 1), ("jawLeft", 0, 1), ("jawRight", 0, -1),
    ("mouthLeft", 0, 1), ("mouthRight", 0, -1),
])  # fmt: skip
def test_jaw_and_mouth_shifts(face, name, axis, sign):
    part = "lips" if name.startswith("mouth") else "skin"
    mask = _jaw_region(face) if part == "skin" else slice(None)
    shift = face.delta(part, **{name: 1.0})[mask, axis].mean()
    assert shift * sign > 0.01 * face.height


def _corner(face, sign: float) -> np.ndarray:
    lips = face.rest("lips")
    return np.argmax(lips[:, 0] * sign)


@pytest.mark.parametrize("suffix", SIDES)
def test_smile_frown_dimple_stretch_move_that_corner(face, suffix):
    _, sign = SIDES[suffix]
    k = _corner(face, sign)
    other = _corner(face, -sign)
    smile = face.delta("lips", **{f"mouthSmile{suffix}": 1.0})
    assert smile[k, 1] > 0.03 * face.height and smile[k, 0] * sign > 0  # up and out
    assert np.abs(smile[other]).max() < 0.2 * np.abs(smile[k]).max()
    frown = face.delta("lips", **{f"mouthFrown{suffix}": 1.0})
    assert frown[k, 1] < -0.03 * face.height
    dimple = face.delta("lips", **{f"mouthDimple{suffix}": 1.0})
    assert dimple[k, 2] < 0 and dimple[k, 0] * sign > 0  # back and out
    stretch = face.delta("lips", **{f"mouthStretch{suffix}": 1.0})
    assert stretch[k, 0] * sign > 0.02 * face.height and stretch[k, 1] < 0


def _lip_halves(face):
    lips = face.rest("lips")
    mouth_y = np.median(lips[:, 1])
    return lips, lips[:, 1] > mouth_y, lips[:, 1] < mouth_y


@pytest.mark.parametrize("suffix", SIDES)
def test_press_lower_down_upper_up_act_on_that_half(face, suffix):
    _, sign = SIDES[suffix]
    lips, upper, lower = _lip_halves(face)
    this = _side(lips[:, 0], sign)
    down = face.delta("lips", **{f"mouthLowerDown{suffix}": 1.0})[:, 1]
    assert down[lower & this].mean() < 2 * down[lower & ~this].mean() < 0
    up = face.delta("lips", **{f"mouthUpperUp{suffix}": 1.0})[:, 1]
    assert up[upper & this].mean() > 2 * up[upper & ~this].mean() > 0
    press = lips + face.delta("lips", **{f"mouthPress{suffix}": 1.0})
    h_rest = np.ptp(lips[upper & this, 1])
    assert np.ptp(press[upper & this, 1]) < 0.8 * h_rest  # the lips thin


def test_funnel_pucker_roll_shrug(face):
    lips, upper, lower = _lip_halves(face)
    width = np.ptp(lips[:, 0])
    for name, narrower in (("mouthPucker", 0.75), ("mouthFunnel", 0.9)):
        moved = lips + face.delta("lips", **{name: 1.0})
        assert np.ptp(moved[:, 0]) < narrower * width, name
        assert face.delta("lips", **{name: 1.0})[:, 2].mean() > 0.02 * face.height * 0.2, name
    funnel = face.rest("mouth") + face.delta("mouth", mouthFunnel=1.0)
    assert np.ptp(funnel[np.abs(face.rest("mouth")[:, 0]) < 0.004, 1]) > 0.03 * face.height
    for name, half in (("mouthRollLower", lower), ("mouthRollUpper", upper)):
        rolled = lips + face.delta("lips", **{name: 1.0})
        assert np.ptp(rolled[half, 1]) < 0.7 * np.ptp(lips[half, 1]), name
    assert face.delta("lips", mouthShrugLower=1.0)[lower, 1].mean() > 0
    assert face.delta("lips", mouthShrugLower=1.0)[lower, 2].mean() > 0
    assert face.delta("lips", mouthShrugUpper=1.0)[upper, 1].mean() > 0


@pytest.mark.parametrize("suffix", SIDES)
def test_brows(face, suffix):
    _, sign = SIDES[suffix]
    brow = face.rest("brow")
    this = _side(brow[:, 0], sign)
    inner = this & (np.abs(brow[:, 0]) < np.median(np.abs(brow[this, 0])))
    outer = this & ~inner
    down = face.delta("brow", **{f"browDown{suffix}": 1.0})[:, 1]
    assert down[inner].mean() < down[outer].mean() < 0  # the inner end pulls down most
    assert np.abs(down[~this]).max() == 0
    out_up = face.delta("brow", **{f"browOuterUp{suffix}": 1.0})[:, 1]
    assert out_up[outer].mean() > 2 * out_up[inner].mean() > 0
    inner_up = face.delta("brow", browInnerUp=1.0)[:, 1]
    assert inner_up[inner].mean() > 2 * inner_up[outer].mean() > 0
    assert inner_up[inner].mean() > 0.03 * face.height


def test_cheek_puff_inflates_both_cheeks(face):
    skin = face.rest("skin")
    d = face.delta("skin", cheekPuff=1.0)
    for sign in (1.0, -1.0):
        cheek = _side(skin[:, 0], sign) & (np.abs(skin[:, 0]) > 0.03) & (skin[:, 2] > 0)
        outward = (d[cheek, 0] * sign).max()
        assert outward > 0.04 * face.height


@pytest.mark.parametrize("suffix", SIDES)
def test_cheek_squint_and_sneer_raise_that_side(face, suffix):
    side, sign = SIDES[suffix]
    skin = face.rest("skin")
    c = face.eye_centres[side]
    under_eye = (np.abs(skin[:, 0] - c[0]) < 0.02) & (skin[:, 1] < c[1] - face.eye_radius)
    under_eye &= skin[:, 1] > c[1] - 0.06
    assert face.delta("skin", **{f"cheekSquint{suffix}": 1.0})[under_eye, 1].mean() > 0
    nose = face.rest("nose")
    sneer = face.delta("nose", **{f"noseSneer{suffix}": 1.0})[:, 1]
    assert sneer[_side(nose[:, 0], sign)].mean() > sneer[_side(nose[:, 0], -sign)].mean() > -1e-6


def test_tongue_out_shows_the_tongue_in_front_of_the_lips(face):
    tongue = face.rest("tongue")
    lips = face.rest("lips")
    out = tongue + face.delta("tongue", tongueOut=1.0)
    assert tongue[:, 2].max() < lips[:, 2].max()  # inside at rest
    assert out[:, 1].min() < lips[:, 1].min()  # hangs below the lower lip
    assert out[:, 2].max() > lips[:, 2].max()  # and in front of it


def test_every_shape_is_covered_by_a_test():
    checked = {
        "eyeBlink", "eyeLookDown", "eyeLookIn", "eyeLookOut", "eyeLookUp", "eyeSquint", "eyeWide",
        "jawForward", "jawLeft", "jawRight", "jawOpen", "mouthClose", "mouthFunnel", "mouthPucker",
        "mouthLeft", "mouthRight", "mouthSmile", "mouthFrown", "mouthDimple", "mouthStretch",
        "mouthRollLower", "mouthRollUpper", "mouthShrugLower", "mouthShrugUpper", "mouthPress",
        "mouthLowerDown", "mouthUpperUp", "browDown", "browInnerUp", "browOuterUp", "cheekPuff",
        "cheekSquint", "noseSneer", "tongueOut",
    }  # fmt: skip
    shifts = {"jawLeft", "jawRight", "mouthLeft", "mouthRight"}
    bases = {n if n in shifts else n.removesuffix("Left").removesuffix("Right")
             for n in ARKIT_NAMES}  # fmt: skip
    assert bases == checked
    assert len(ARKIT_INDEX) == 52
