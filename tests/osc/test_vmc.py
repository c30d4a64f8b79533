"""The camera-space -> Unity conversion of head and eye rotations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from avatarlink.frame import quat_from_euler
from avatarlink.osc.vmc import (
    PERFECT_SYNC_NAMES,
    eye_quaternion,
    unity_quaternion,
)

MIRROR = np.diag(
    [-1.0, 1.0, 1.0]
)  # camera space (subject's left = +x) -> Unity (avatar's left = -x)
FORWARD, UP = np.array([0.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.0])


def unity_matrix(quat_xyzw: np.ndarray) -> np.ndarray:
    """The rotation matrix of a Unity quaternion (the same algebra, read in Unity's axes)."""
    return Rotation.from_quat(quat_xyzw).as_matrix()


def test_quaternion_map_is_the_mirror_conjugation():
    for q in Rotation.random(50, random_state=1).as_quat():
        expected = MIRROR @ Rotation.from_quat(q).as_matrix() @ MIRROR
        assert unity_matrix(unity_quaternion(*q)) == pytest.approx(expected, abs=1e-5)


def test_turn_to_own_left_turns_the_avatar_to_its_left():
    face = unity_matrix(unity_quaternion(*quat_from_euler(30.0, 0.0, 0.0))) @ FORWARD
    assert face[0] < -0.4  # a Unity avatar faces +z with its own left at -x


def test_chin_up_lifts_the_avatar_face():
    face = unity_matrix(unity_quaternion(*quat_from_euler(0.0, 20.0, 0.0))) @ FORWARD
    assert face[1] > 0.3 and face[0] == pytest.approx(0.0, abs=1e-6)


def test_tilt_to_left_shoulder_tilts_to_the_avatar_left():
    top = unity_matrix(unity_quaternion(*quat_from_euler(0.0, 0.0, 25.0))) @ UP
    assert top[0] < -0.3


def test_eye_looking_to_the_subject_left_and_up():
    look = unity_matrix(eye_quaternion(15.0, 10.0)) @ FORWARD
    assert look[0] < -0.2 and look[1] > 0.1


def test_eye_quaternions_match_the_frame_convention():
    gaze = np.random.default_rng(2).uniform(-60, 60, (40, 2))
    expected = [unity_quaternion(*quat_from_euler(yaw, pitch, 0.0)) for yaw, pitch in gaze]
    got = [eye_quaternion(yaw, pitch) for yaw, pitch in gaze]
    assert np.array(got) == pytest.approx(np.array(expected), abs=1e-6)


def test_perfect_sync_names():
    assert PERFECT_SYNC_NAMES[0] == "EyeBlinkLeft" and PERFECT_SYNC_NAMES[-1] == "TongueOut"
    assert len(set(PERFECT_SYNC_NAMES)) == 52
