import itertools

import numpy as np
import pytest

from avatarlink.frame import ARKIT_INDEX, FaceFrame, quat_from_euler
from avatarlink.pipeline.idle import (
    EASE_SECONDS,
    IdleAnimator,
    blend_frames,
    blink_amount,
    idle_frame,
)

FPS = 30.0


def _face(t: float) -> FaceFrame:
    frame = FaceFrame(
        time=t,
        tracked=True,
        head_rotation=quat_from_euler(20.0, -10.0, 5.0),
        head_translation=np.array([0.05, -0.02, 0.0]),
        gaze_left=np.array([15.0, 5.0]),
        gaze_right=np.array([15.0, 5.0]),
    ).with_weights(jawOpen=0.9, mouthSmileLeft=0.0, browInnerUp=0.8)
    frame.tracked = True
    return frame


def _distance(a: FaceFrame, b: FaceFrame, blinks: bool = True) -> float:
    """Largest difference in coefficients, gaze degrees/30 and rotation."""
    shapes = np.abs(a.blendshapes - b.blendshapes)
    if not blinks:  # the idle's own blinks are quick on purpose
        shapes[[ARKIT_INDEX["eyeBlinkLeft"], ARKIT_INDEX["eyeBlinkRight"]]] = 0.0
    cos_half = min(1.0, abs(float(np.dot(a.head_rotation, b.head_rotation))))
    angle = 2 * np.degrees(np.arccos(cos_half))
    return max(
        float(shapes.max()),
        float(np.abs(a.gaze_left - b.gaze_left).max()) / 30.0,
        angle / 30.0,
        float(np.abs(a.head_translation - b.head_translation).max()) * 10,
    )


def test_idle_breathes_and_blinks():
    ts = np.arange(0.0, 20.0, 1.0 / FPS)
    frames = [idle_frame(t) for t in ts]
    pitch = np.array([f.head_euler()[1] for f in frames])
    blink = np.array([f.weight("eyeBlinkLeft") for f in frames])
    assert pitch.max() - pitch.min() > 1.0  # the head rises and falls with each breath
    # several full blinks, each short: lids closed only a small part of the time
    blinks = int(np.sum(np.diff((blink > 0.8).astype(int)) == 1))
    assert 3 <= blinks <= 10
    assert np.mean(blink > 0.5) < 0.1
    # both eyes together, a calm face: nothing extreme anywhere
    assert np.allclose([f.weight("eyeBlinkRight") for f in frames], blink)
    assert max(float(np.delete(f.blendshapes, [0, 7]).max()) for f in frames) < 0.2
    assert all(not f.tracked for f in frames)


def test_idle_is_a_pure_function_of_time_and_seed():
    a = [blink_amount(t, seed=3) for t in np.arange(0, 10, 0.05)]
    assert a == [blink_amount(t, seed=3) for t in np.arange(0, 10, 0.05)]
    assert a != [blink_amount(t, seed=4) for t in np.arange(0, 10, 0.05)]


def test_face_lost_eases_to_idle_within_half_a_second_and_back():
    animator = IdleAnimator()
    lost_at, back_at = 2.0, 4.0
    outputs = []
    for i in range(int(6.0 * FPS)):
        t = i / FPS
        seen = t < lost_at or t >= back_at
        outputs.append((t, animator.step(_face(t) if seen else FaceFrame.untracked(t))))
    # before the loss the face comes through unchanged
    before = [o for t, o in outputs if 1.0 <= t < lost_at]
    assert max(_distance(o, _face(o.time)) for o in before) < 1e-5
    # within 0.5 s of the loss the output is the idle, and stays there
    idle_part = [o for t, o in outputs if lost_at + 0.5 <= t < back_at]
    assert max(_distance(o, idle_frame(o.time)) for o in idle_part) < 1e-5
    assert all(not o.tracked for o in idle_part)
    # within 0.5 s of the face coming back it is followed again
    again = [o for t, o in outputs if back_at + 0.5 <= t]
    assert max(_distance(o, _face(o.time)) for o in again) < 1e-5
    # and every change is eased: no jump between frames larger than a smooth ramp allows
    steps = [_distance(a, b, blinks=False) for (_, a), (_, b) in itertools.pairwise(outputs)]
    assert max(steps) < 0.2
    assert EASE_SECONDS <= 0.5


def test_first_face_eases_in_from_idle():
    animator = IdleAnimator()
    first = animator.step(_face(0.0))
    assert _distance(first, idle_frame(0.0)) < 1e-5
    assert animator.presence == 0.0
    for i in range(1, int(0.5 * FPS) + 1):
        out = animator.step(_face(i / FPS))
    assert animator.presence == pytest.approx(1.0)
    assert _distance(out, _face(out.time)) < 1e-5


def test_blend_takes_the_short_way_round_and_keeps_unit_quaternions():
    a = FaceFrame(0.0, head_rotation=quat_from_euler(10.0, 0.0, 0.0))
    b = FaceFrame(0.0, head_rotation=-quat_from_euler(30.0, 0.0, 0.0))  # same rotation, flipped
    mid = blend_frames(a, b, 0.5, 0.0, True)
    assert np.linalg.norm(mid.head_rotation) == pytest.approx(1.0, abs=1e-6)
    assert mid.head_euler()[0] == pytest.approx(20.0, abs=0.5)
