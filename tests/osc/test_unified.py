"""ARKit -> Unified Expressions v2: names, renames, eye lids and look, native eye signs."""

from __future__ import annotations

import numpy as np
import pytest

from avatarlink.frame import ARKIT_NAMES, FaceFrame
from avatarlink.osc.unified import SIGNED, UNIFIED_NAMES, native_eye, unified_values


def values_of(frame: FaceFrame) -> dict[str, float]:
    return dict(zip(UNIFIED_NAMES, unified_values(frame).tolist(), strict=True))


def test_every_arkit_shape_reaches_a_parameter_and_names_are_unique():
    assert len(set(UNIFIED_NAMES)) == len(UNIFIED_NAMES)
    base = values_of(FaceFrame(0.0, True))
    for name in ARKIT_NAMES:
        moved = values_of(FaceFrame(0.0, True).with_weights(**{name: 1.0}))
        assert any(moved[k] != base[k] for k in base), f"{name} reaches no parameter"


@pytest.mark.parametrize(
    ("arkit", "unified"),
    [
        ("eyeBlinkLeft", "EyeClosedLeft"),
        ("eyeBlinkRight", "EyeClosedRight"),
        ("mouthClose", "MouthClosed"),
        ("mouthRollUpper", "LipSuckUpper"),
        ("mouthRollLower", "LipSuckLower"),
        ("mouthFunnel", "LipFunnel"),
        ("mouthPucker", "LipPucker"),
        ("mouthShrugUpper", "MouthRaiserUpper"),
        ("mouthShrugLower", "MouthRaiserLower"),
        ("eyeLookOutLeft", "EyeLookOutLeft"),
        ("jawOpen", "JawOpen"),
        ("mouthUpperUpRight", "MouthUpperUpRight"),
        ("tongueOut", "TongueOut"),
        ("cheekPuff", "CheekPuffLeft"),
        ("cheekPuff", "CheekPuffRight"),
    ],
)
def test_renamed_and_one_to_one(arkit, unified):
    assert values_of(FaceFrame(0.0, True).with_weights(**{arkit: 0.625}))[unified] == 0.625


def test_signed_combinations():
    v = values_of(FaceFrame(0.0, True).with_weights(mouthLeft=0.5, jawRight=0.25))
    assert (v["MouthX"], v["JawX"]) == (-0.5, 0.25)
    assert {n for n, s in zip(UNIFIED_NAMES, SIGNED, strict=True) if s} == {
        "MouthX", "JawX", "EyeLeftX", "EyeLeftY", "EyeRightX", "EyeRightY", "EyeX", "EyeY",
    }  # fmt: skip


def test_eye_lids_open_closed_and_wide():
    assert values_of(FaceFrame(0.0, True))["EyeLidLeft"] == 0.75
    closed = values_of(FaceFrame(0.0, True).with_weights(eyeBlinkLeft=1.0))
    assert (closed["EyeLidLeft"], closed["EyeLidRight"]) == (0.0, 0.75)
    wide = values_of(FaceFrame(0.0, True).with_weights(eyeWideRight=1.0))
    assert wide["EyeLidRight"] == 1.0


def test_eye_look_signs_and_scale():
    # the subject looks 22.5 deg to their own left and 45 deg up; VRCFT's +X is the user's right
    frame = FaceFrame(0.0, True, gaze_left=[22.5, 45.0], gaze_right=[22.5, 90.0])
    v = values_of(frame)
    assert (v["EyeLeftX"], v["EyeLeftY"]) == (-0.5, 1.0)
    assert v["EyeRightY"] == 1.0  # clipped to VRChat's float range
    assert (v["EyeX"], v["EyeY"]) == (-0.5, 1.0)


def test_native_eye_pitch_down_yaw_right_positive():
    frame = FaceFrame(0.0, True, gaze_left=[-20.0, 15.0], gaze_right=[-20.0, 15.0])
    frame = frame.with_weights(eyeBlinkLeft=0.5, eyeBlinkRight=1.0)
    # VRChat's example: 15 deg up and 20 deg to the user's right -> (-15, 20)
    assert native_eye(frame) == pytest.approx((0.75, -15.0, 20.0))


def test_out_of_range_shapes_are_clipped():
    v = unified_values(FaceFrame(0.0, True, blendshapes=np.full(52, 3.0)))
    assert v.min() >= -1.0 and v.max() <= 1.0
