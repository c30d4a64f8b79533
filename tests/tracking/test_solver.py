"""The solver on synthetic faces: each named movement moves its own coefficient only."""

from __future__ import annotations

import numpy as np
import pytest

from avatarlink.frame import ARKIT_INDEX, ARKIT_NAMES, N_SHAPES
from avatarlink.tracking.calibration import Calibration
from avatarlink.tracking.solver import solve
from tests.tracking.conftest import IMAGE, bump, project, shapes_of
from tests.tracking.expressions import (
    CORNER,
    EXPRESSIONS,
    IRIS,
    SIDE,
    SIGN,
    cheek_squint,
    funnel,
    jaw_open,
    look,
    smile,
    smile_corner,
    squint,
)

RESPONDS = 0.5  # a full movement drives its own shape at least this far
QUIET = 0.25  # and no unrelated shape further than this


def test_neutral_face_reads_zero(canonical, neutral_calibration):
    shapes = shapes_of(canonical, neutral_calibration)
    assert shapes.shape == (N_SHAPES,) and shapes.dtype == np.float32
    assert shapes.max() < 0.05


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_expression_moves_its_shape_only(canonical, neutral_calibration, name):
    deform, wanted, allowed = EXPRESSIONS[name]
    shapes = shapes_of(deform(canonical), neutral_calibration)
    assert ((shapes >= 0) & (shapes <= 1)).all()
    for shape in wanted:
        assert shapes[ARKIT_INDEX[shape]] >= RESPONDS, f"{name} did not move {shape}"
    for k, shape in enumerate(ARKIT_NAMES):
        if shape not in wanted and shape not in allowed:
            assert shapes[k] <= QUIET, f"{name} also moved {shape} to {shapes[k]:.2f}"


def test_every_shape_is_driven_by_some_expression():
    """No coefficient is a constant: every one but tongueOut (see test_tongue) has a movement."""
    driven = {s for _, wanted, _ in EXPRESSIONS.values() for s in wanted}
    assert set(ARKIT_NAMES) - driven == {"tongueOut"}


@pytest.mark.parametrize(
    ("yaw", "pitch", "roll"),
    [(25, 0, 0), (-25, 0, 0), (0, 15, 0), (0, -15, 0), (0, 0, 20), (20, -10, 10)],
)
def test_head_turn_fakes_no_expression(canonical, neutral_calibration, yaw, pitch, roll):
    shapes = shapes_of(canonical, neutral_calibration, yaw=yaw, pitch=pitch, roll=roll)
    assert shapes.max() < 0.15, ARKIT_NAMES[int(shapes.argmax())]


def test_face_size_fakes_no_expression(canonical, neutral_calibration):
    shapes = shapes_of(canonical * 0.6, neutral_calibration)
    assert shapes.max() < 0.05


def test_expression_survives_a_head_turn(canonical, neutral_calibration):
    shapes = shapes_of(jaw_open(canonical), neutral_calibration, yaw=20, pitch=10)
    assert shapes[ARKIT_INDEX["jawOpen"]] >= RESPONDS


def test_gaze_angles_follow_the_irises(canonical, neutral_calibration):
    cal = neutral_calibration
    left = solve(project(look(0.35, 0)(canonical)), IMAGE, IMAGE, cal.rest, cal.span)
    up = solve(project(look(0, 0.3)(canonical)), IMAGE, IMAGE, cal.rest, cal.span)
    assert left.gaze_left[0] > 10 and left.gaze_right[0] > 10  # towards the subject's left
    assert abs(left.gaze_left[1]) < 5
    assert up.gaze_left[1] > 10 and up.gaze_right[1] > 10


def test_smile_counts_the_corners_drawn_back(canonical, neutral_calibration):
    """The same corner lift reads as more smile when the corners also go back along the cheek."""
    k = ARKIT_INDEX["mouthSmileLeft"]
    flat = shapes_of(bump(canonical, 291, 0.9, (0.25, 0.25, 0.0)), neutral_calibration)[k]
    back = shapes_of(bump(canonical, 291, 0.9, (0.25, 0.25, -0.3)), neutral_calibration)[k]
    assert back > flat + 0.05


def test_default_vertical_gaze_has_no_blind_band(canonical):
    """With the default rests every iris height reads as up or down (or both, near
    straight, as Google's model does), and each grows monotonically its own way."""
    cal = Calibration.default()
    down_k, up_k = ARKIT_INDEX["eyeLookDownLeft"], ARKIT_INDEX["eyeLookUpLeft"]
    heights = np.linspace(-0.35, 0.35, 29)
    shapes = np.array([shapes_of(look(0.0, dy)(canonical), cal) for dy in heights])
    down, up = shapes[:, down_k], shapes[:, up_k]
    assert (np.diff(down) <= 1e-6).all() and (np.diff(up) >= -1e-6).all()
    assert down[0] > 0.5 and up[-1] > 0.5
    assert (np.maximum(down, up) > 0).all()


def test_broad_smile_is_no_shrug_or_sideways_mouth(canonical, neutral_calibration):
    """Both corners drawn up lift the upper lip's middle too: that is the smile's, not a
    shrug, and a symmetric smile moves neither the mouth nor the jaw sideways."""
    smiling = smile("Left")(smile("Right")(canonical))
    broad = bump(smiling, 0, 1.0, (0.0, 0.25, 0.0))  # the upper lip rises with the corners
    shapes = shapes_of(broad, neutral_calibration)
    assert min(shapes[ARKIT_INDEX[f"mouthSmile{s}"]] for s in ("Left", "Right")) >= RESPONDS
    for name in ("mouthShrugUpper", "mouthLeft", "mouthRight", "jawLeft", "jawRight"):
        assert shapes[ARKIT_INDEX[name]] < 0.1, name


@pytest.mark.parametrize("side", ["Left", "Right"])
@pytest.mark.parametrize("opened", [False, True])
def test_corners_pulled_sideways_are_a_stretch_not_a_smile(
    canonical, neutral_calibration, side, opened
):
    """Corners pulled straight out (risorius: fear's stretched mouth, often with the jaw
    open) are no smile: a smile draws them up towards the cheekbones."""
    face = jaw_open(canonical) if opened else canonical
    pulled = bump(face, CORNER[SIDE[side]], 0.9, (SIGN[side] * 0.6, 0.0, 0.0))
    shapes = shapes_of(pulled, neutral_calibration)
    assert shapes[ARKIT_INDEX[f"mouthStretch{side}"]] >= RESPONDS
    assert shapes[ARKIT_INDEX[f"mouthSmile{side}"]] <= QUIET


def test_upward_look_counts_the_iris_tilt(canonical, neutral_calibration):
    """An eye turned up tilts the iris disc (its top edge back, its bottom edge forward):
    at the same iris height that reads as more eyeLookUp, and never as eyeLookDown."""
    up, down = ARKIT_INDEX["eyeLookUpLeft"], ARKIT_INDEX["eyeLookDownLeft"]
    raised = look(0.0, 0.1)(canonical)
    tilted = raised.copy()
    for ring in IRIS:
        top, bottom = ring[2], ring[4]  # 468 + (centre, inner, top, outer, bottom)
        tilted[top, 2] -= 0.15
        tilted[bottom, 2] += 0.15
    plain = shapes_of(raised, neutral_calibration)
    tilt = shapes_of(tilted, neutral_calibration)
    assert tilt[up] > plain[up] + 0.1
    assert tilt[down] == plain[down] == 0.0


def test_upward_look_reads_in_the_wider_eye(canonical, neutral_calibration):
    """Both eyes look up; the one narrowed by its lower lid reads less eyeLookUp, the open
    one more, and a look straight ahead stays at none in either eye."""
    up_right, up_left = ARKIT_INDEX["eyeLookUpRight"], ARKIT_INDEX["eyeLookUpLeft"]
    both = shapes_of(look(0.0, 0.15)(canonical), neutral_calibration)
    narrowed = shapes_of(squint("Right")(look(0.0, 0.15)(canonical)), neutral_calibration)
    assert both[up_right] == pytest.approx(both[up_left], abs=0.02)
    assert narrowed[up_right] < both[up_right] - 0.1
    assert narrowed[up_left] > both[up_left] + 0.1
    ahead = shapes_of(squint("Right")(canonical), neutral_calibration)
    assert ahead[up_right] == ahead[up_left] == 0.0


_UPPER_OUTER = (185, 40, 39, 37, 0, 267, 269, 270, 409)


def test_pucker_counts_the_lips_bunching_up(canonical, neutral_calibration):
    """At the same narrowing, an upper lip pushed taller (its red bunched up) reads as
    more pucker."""
    k = ARKIT_INDEX["mouthPucker"]
    narrow = bump(bump(canonical, 61, 0.9, (0.25, 0.0, 0.1)), 291, 0.9, (-0.25, 0.0, 0.1))
    bunched = narrow.copy()
    bunched[list(_UPPER_OUTER), 1] += 0.15
    assert (
        shapes_of(bunched, neutral_calibration)[k]
        > shapes_of(narrow, neutral_calibration)[k] + 0.05
    )


_UPPER_INNER = (13, 82, 81, 80, 191, 312, 311, 310, 415)
_LOWER_INNER = (14, 87, 178, 88, 95, 317, 402, 318, 324)


def test_funnel_needs_the_lips_apart(canonical, neutral_calibration):
    """Flared lips are a funnel only held apart: the same lips closed are a pucker's."""
    k = ARKIT_INDEX["mouthFunnel"]
    flared = funnel(canonical)
    closed = flared.copy()
    closed[list(_LOWER_INNER), 1] = flared[list(_UPPER_INNER), 1]
    assert shapes_of(flared, neutral_calibration)[k] >= RESPONDS
    assert shapes_of(closed, neutral_calibration)[k] < 0.05


def test_a_smile_that_raises_no_cheek_counts_less(canonical, neutral_calibration):
    """Both corners drawn up and back alone are 0.7 of a smile; with both cheeks raised, all."""
    k = [ARKIT_INDEX["mouthSmileLeft"], ARKIT_INDEX["mouthSmileRight"]]
    corners = smile_corner("Left")(smile_corner("Right")(canonical))
    full = cheek_squint("Left")(cheek_squint("Right")(corners))
    assert shapes_of(full, neutral_calibration)[k] == pytest.approx(
        shapes_of(corners, neutral_calibration)[k] / 0.7, abs=0.02
    )
    assert (shapes_of(full, neutral_calibration)[k] >= RESPONDS).all()
    cheeks = cheek_squint("Left")(cheek_squint("Right")(canonical))
    assert (shapes_of(cheeks, neutral_calibration)[k] < 0.05).all()
