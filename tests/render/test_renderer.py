"""Pixel tests: shapes, head pose and gaze change the image where and how they should.

The character is shown as the camera sees the person, unmirrored: its own
left (+X) is on image right. The default character (a fox) has a white
muzzle, a black nose and dark pupils, which make easy pixel masks.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from avatarlink.errors import UserError
from avatarlink.frame import FaceFrame, quat_from_euler
from avatarlink.render.expressions import EXPRESSIONS, expression_frame

from .conftest import BACKGROUND, SIZE, box, centroid, changed

W, H = SIZE


def _frame(**weights) -> FaceFrame:
    return FaceFrame(0.0, True).with_weights(**weights)


def _posed(yaw=0.0, pitch=0.0, roll=0.0) -> FaceFrame:
    frame = FaceFrame(0.0, True)
    frame.head_rotation[:] = quat_from_euler(yaw, pitch, roll)
    return frame


def _dark(image: np.ndarray) -> np.ndarray:
    return image.astype(np.int32).sum(axis=-1) < 180  # pupils, lashes, lips


def _white(image: np.ndarray) -> np.ndarray:
    return image.min(axis=-1) > 200


def _luma(image: np.ndarray) -> np.ndarray:
    return image.astype(np.float64) @ [0.299, 0.587, 0.114]


def _motion(before: np.ndarray, after: np.ndarray, region) -> np.ndarray:
    """Where dark features went: centroid of pixels that darkened minus of those that lightened."""
    b, a = _luma(before[region]), _luma(after[region])
    return centroid(a < b - 30) - centroid(a > b + 30)


def _muzzle(image: np.ndarray) -> np.ndarray:
    """The white muzzle: the largest white blob once the mouth and whiskers are bridged."""
    from scipy import ndimage

    labels, n = ndimage.label(ndimage.binary_closing(_white(image), iterations=4))
    sizes = ndimage.sum(np.ones_like(labels), labels, index=np.arange(1, n + 1))
    return labels == 1 + int(np.argmax(sizes))


def test_output_shape_and_type(neutral):
    assert neutral.shape == (H, W, 3) and neutral.dtype == np.uint8
    assert neutral.flags.c_contiguous


def test_landmarks_sit_where_the_image_shows_them(neutral, marks):
    for eye in ("eye_L", "eye_R"):
        assert _dark(neutral[box(marks[eye], 2, 2)]).mean() > 0.6  # the pupil: eye's centre
    assert marks["eye_L"][0] > W / 2 > marks["eye_R"][0]  # own left eye on image right
    assert _dark(neutral[box(marks["mouth"], 6, 3)]).mean() > 0.5  # the closed lips


def test_jaw_open_darkens_the_lower_middle(renderer, neutral, marks):
    opened = renderer.render(_frame(jawOpen=1.0))
    s = marks["scale"]
    below = box(marks["mouth"] + [0, 0.012 * s], 0.012 * s, 0.008 * s)
    assert _luma(opened[below]).mean() < 0.8 * _luma(neutral[below]).mean()  # interior shows
    top = slice(0, int(marks["nose"][1])), slice(0, W)
    assert not changed(neutral[top], opened[top]).any()  # nothing above the nose moves
    cx, cy = centroid(changed(neutral, opened))
    assert abs(cx - W / 2) < 0.05 * W and cy > marks["mouth"][1]  # lower middle, centred


@pytest.mark.parametrize("shape", ["eyeBlink", "mouthSmile", "browDown", "eyeSquint"])
def test_left_shapes_change_image_right(renderer, neutral, shape):
    left = changed(neutral, renderer.render(_frame(**{shape + "Left": 1.0})))
    right = changed(neutral, renderer.render(_frame(**{shape + "Right": 1.0})))
    assert left.sum() > 30 and right.sum() > 30
    assert centroid(left)[0] > W / 2 + 5  # the character's own left is image right
    assert centroid(right)[0] < W / 2 - 5


@pytest.mark.parametrize("side", ["Left", "Right"])
def test_blink_hides_that_eye(renderer, neutral, marks, side):
    closed = renderer.render(_frame(**{f"eyeBlink{side}": 1.0}))
    r = marks["eye_r"]
    this_side, other_side = ("L", "R") if side == "Left" else ("R", "L")
    this = box(marks[f"eye_{this_side}"], 0.7 * r, 0.5 * r)
    other = box(marks[f"eye_{other_side}"], 0.7 * r, 0.5 * r)
    # open at rest: the white and the pupil show (the eyes are human-sized, so few pixels)
    assert _white(neutral[this]).sum() > 10 and _dark(neutral[this]).sum() > 10
    assert _white(closed[this]).sum() == 0  # no white of the eye is left
    assert _dark(closed[this]).sum() < 0.5 * _dark(neutral[this]).sum()  # nor the pupil
    assert not changed(neutral[other], closed[other]).any()


def test_smile_lifts_the_mouth_corners_and_frown_drops_them(renderer, neutral, marks):
    smile = renderer.render(_frame(mouthSmileLeft=1.0, mouthSmileRight=1.0))
    frown = renderer.render(_frame(mouthFrownLeft=1.0, mouthFrownRight=1.0))
    s = marks["scale"]
    for corner in ("mouth_L", "mouth_R"):
        region = box(marks[corner], 0.008 * s, 0.012 * s)
        assert _motion(neutral, smile, region)[1] < -1, corner  # the corner rises in the image
        assert _motion(neutral, frown, region)[1] > 1, corner


def test_tongue_out_shows_pink_below_the_mouth(renderer, neutral, marks):
    out = renderer.render(_frame(tongueOut=1.0))

    def pink(image):
        r, g, b = (image[..., i].astype(int) for i in range(3))
        return (r > 170) & (r - g > 40) & (r - b > 30) & (b > g - 10)

    assert pink(out).sum() > pink(neutral).sum() + 60
    assert centroid(pink(out))[1] > marks["mouth"][1]


@pytest.mark.parametrize("sign", [1, -1])
def test_yaw_turns_the_face_towards_image_right_when_positive(renderer, neutral, sign):
    turned = renderer.render(_posed(yaw=25.0 * sign))
    shift = centroid(_muzzle(turned))[0] - centroid(_muzzle(neutral))[0]
    assert shift * sign > 6  # yaw > 0: subject's left = image right


@pytest.mark.parametrize("sign", [1, -1])
def test_pitch_lifts_the_face_when_positive(renderer, neutral, sign):
    tilted = renderer.render(_posed(pitch=20.0 * sign))
    shift = centroid(_muzzle(tilted))[1] - centroid(_muzzle(neutral))[1]
    assert -shift * sign > 4  # pitch > 0 looks up: the muzzle moves up the image


def test_roll_towards_the_left_shoulder_lowers_the_image_right_ear(renderer, marks):
    from scipy import ndimage

    rolled = renderer.render(_posed(roll=20.0))
    top = int(marks["eye_L"][1] - 0.03 * marks["scale"])
    labels, n = ndimage.label(_white(rolled[:top]))
    blobs = [np.argwhere(labels == i + 1) for i in range(n)]
    ears = sorted((b for b in blobs if len(b) > 30), key=len)[-2:]
    (left_y, _), (right_y, _) = sorted((b.mean(axis=0) for b in ears), key=lambda c: c[1])
    assert right_y > left_y + 3  # the character's left ear (image right) goes down


def test_head_translation_moves_the_character_a_little(renderer, neutral):
    frame = FaceFrame(0.0, True, head_translation=np.array([0.05, 0.0, 0.0]))
    shift = centroid(_muzzle(renderer.render(frame)))[0] - centroid(_muzzle(neutral))[0]
    assert 2 < shift < 0.15 * W


@pytest.mark.parametrize(("yaw", "pitch"), [(25.0, 0.0), (-25.0, 0.0), (0.0, 20.0), (0.0, -20.0)])
def test_gaze_moves_the_pupils(renderer, neutral, marks, yaw, pitch):
    frame = FaceFrame(0.0, True)
    frame.gaze_left[:] = (yaw, pitch)
    frame.gaze_right[:] = (yaw, pitch)
    looked = renderer.render(frame)
    r = marks["eye_r"]
    for eye in ("eye_L", "eye_R"):
        dx, dy = _motion(neutral, looked, box(marks[eye], r, r))
        # gaze to the subject's left looks to image right; pitch > 0 looks up
        assert dx * np.sign(yaw) > 1 if yaw else dy * -np.sign(pitch) > 1, eye


def test_untracked_frame_renders_the_calm_neutral(renderer, neutral):
    assert not changed(neutral, renderer.render(FaceFrame.untracked(3.0))).any()


def test_only_changed_weights_upload_and_same_frame_uploads_nothing(renderer):
    renderer.render(_frame(jawOpen=0.3))
    before = renderer.uploads
    renderer.render(_frame(jawOpen=0.3))
    assert renderer.uploads == before  # nothing changed: no upload
    renderer.render(_frame(jawOpen=0.3, eyeBlinkLeft=1.0))
    moved = renderer.uploads - before
    assert 1 <= moved < len(renderer._morphs)  # only the primitives a blink moves


def test_every_expression_renders_differently(renderer, neutral):
    for name in EXPRESSIONS:
        if name == "neutral":
            continue
        assert changed(neutral, renderer.render(expression_frame(name))).sum() > 100, name


@pytest.mark.parametrize(
    ("background", "corner"),
    [("#203040", (0x20, 0x30, 0x40)), ("green", (0x00, 0xB1, 0x40)), ("#ffffff", (255, 255, 255))],
)
def test_solid_backgrounds(background, corner):
    from avatarlink.render import Renderer

    with Renderer("pip", size=(96, 72), background=background, antialias=0) as r:
        image = r.render(FaceFrame(0.0, True))
    assert image.shape == (72, 96, 3)
    for y, x in ((0, 0), (0, -1), (-1, 0)):
        assert np.abs(image[y, x].astype(int) - corner).max() <= 1


def test_transparent_background_is_rgba_with_clear_corners():
    from avatarlink.render import Renderer

    with Renderer("pip", size=(96, 72), background="transparent") as r:
        image = r.render(FaceFrame(0.0, True))
    assert image.shape == (72, 96, 4)
    assert image[0, 0, 3] == 0 and image[0, -1, 3] == 0 and image[-1, 0, 3] == 0
    assert image[36, 48, 3] == 255  # the face is opaque


@pytest.mark.parametrize("bad", ["blue", "#12345", "#zzzzzz"])
def test_bad_background_is_a_user_error(bad):
    from avatarlink.render import Renderer

    with pytest.raises(UserError, match="background"):
        Renderer("pip", size=(64, 48), background=bad)


def test_unknown_avatar_and_bad_size_are_user_errors():
    from avatarlink.render import Renderer

    with pytest.raises(UserError, match="unknown avatar"):
        Renderer("nobody")
    with pytest.raises(UserError, match="size"):
        Renderer("pip", size=(0, 10))


def test_switching_platform_in_a_running_process_is_a_user_error(renderer):
    from avatarlink.render import Renderer

    other = "osmesa" if renderer.platform == "egl" else "egl"
    with pytest.raises(UserError, match="AVATARLINK_GL"):
        Renderer("pip", size=(64, 48), platform=other)


@pytest.mark.parametrize("platform", ["egl", "osmesa"])
def test_each_platform_renders_in_a_fresh_process(platform, repo_root):
    code = (
        "from avatarlink.render import Renderer\n"
        "from avatarlink.frame import FaceFrame\n"
        "with Renderer('pip', size=(64, 48)) as r:\n"
        "    img = r.render(FaceFrame(0.0, True).with_weights(jawOpen=1.0))\n"
        "print(r.platform, img.shape, int(img.std() > 10))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYOPENGL_PLATFORM"}
    env["AVATARLINK_GL"] = platform
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=repo_root, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.split() == [platform, "(48,", "64,", "3)", "1"]


def test_background_is_the_only_thing_outside_the_character(neutral):
    rgb = tuple(int(BACKGROUND[i : i + 2], 16) for i in (1, 3, 5))
    top_row = neutral[0]
    assert np.all(np.abs(top_row[:10].astype(int) - rgb).max(axis=-1) <= 1)
