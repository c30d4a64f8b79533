"""Head pose from the rigid fit: angles, signs and position."""

from __future__ import annotations

import numpy as np
import pytest

from avatarlink.frame import quat_from_euler
from avatarlink.tracking.calibration import Calibration
from avatarlink.tracking.solver import pose, solve
from avatarlink.tracking.tracker import euler_from_matrix
from tests.tracking.conftest import IMAGE, project

CAL = Calibration.default()


def angles(landmarks: np.ndarray) -> np.ndarray:
    return euler_from_matrix(solve(landmarks, IMAGE, IMAGE, CAL.rest, CAL.span).rotation)


@pytest.mark.parametrize(
    ("yaw", "pitch", "roll"),
    [(30, 0, 0), (-30, 0, 0), (0, 20, 0), (0, -20, 0), (0, 0, 25), (0, 0, -25), (25, 15, -10)],
)
def test_angles_and_signs(canonical, yaw, pitch, roll):
    """Relative to the frontal face, the fit recovers each turn within 2 degrees."""
    front = angles(project(canonical))
    turned = angles(project(canonical, yaw=yaw, pitch=pitch, roll=roll))
    # compare as rotations, so that the frontal face's own small offset composes correctly
    from scipy.spatial.transform import Rotation

    r_front = Rotation.from_quat(quat_from_euler(*front))
    r_turned = Rotation.from_quat(quat_from_euler(*turned))
    r_true = Rotation.from_quat(quat_from_euler(yaw, pitch, roll))
    error = (r_turned * r_front.inv() * r_true.inv()).magnitude()
    assert np.degrees(error) < 2.0


def test_frontal_canonical_face_is_near_zero(canonical):
    yaw, pitch, roll = angles(project(canonical))
    assert abs(yaw) < 1 and abs(roll) < 1
    assert abs(pitch) < 12  # the midline lean is set for the face mesh's flatter depth


def test_rotation_is_proper(canonical):
    r = pose.fit_pose(pose.to_camera(project(canonical, yaw=10, pitch=5), IMAGE, IMAGE)).rotation
    np.testing.assert_allclose(r @ r.T, np.eye(3), atol=1e-9)
    assert np.linalg.det(r) == pytest.approx(1.0)


def test_translation_follows_the_face(canonical):
    centred = solve(project(canonical), IMAGE, IMAGE, CAL.rest, CAL.span).translation
    shifted = project(canonical)
    shifted[:, 0] += 0.2  # to the image's right = camera +x
    shifted[:, 1] -= 0.1  # up in the image = camera +y
    moved = solve(shifted, IMAGE, IMAGE, CAL.rest, CAL.span).translation
    small = solve(project(canonical * 0.5), IMAGE, IMAGE, CAL.rest, CAL.span).translation
    assert centred[2] < 0  # in front of the camera
    assert moved[0] > centred[0] + 0.02 and moved[1] > centred[1] + 0.01
    assert small[2] < centred[2]  # a smaller face is further away
    assert 0.2 < -centred[2] < 2.0


def test_closed_form_angle_conversions_match_the_contract():
    from scipy.spatial.transform import Rotation

    from avatarlink.tracking.tracker import quat_from_angles

    rng = np.random.default_rng(0)
    for yaw, pitch, roll in rng.uniform([-80, -80, -170], [80, 80, 170], size=(200, 3)):
        q = quat_from_euler(yaw, pitch, roll)
        assert (
            min(
                np.abs(q - quat_from_angles(yaw, pitch, roll)).max(),
                np.abs(q + quat_from_angles(yaw, pitch, roll)).max(),
            )
            < 1e-5
        )
        matrix = Rotation.from_quat(q).as_matrix()
        np.testing.assert_allclose(euler_from_matrix(matrix), [yaw, pitch, roll], atol=1e-3)


def test_learned_template_keeps_the_pose(canonical):
    """After its first frames, the Kabsch fit to the learned face recovers turns as well."""
    rigid = pose.RigidTemplate()
    for _ in range(pose.RigidTemplate.FRAMES):
        rigid.fit(pose.to_camera(project(canonical), IMAGE, IMAGE))
    turned = pose.to_camera(project(canonical, yaw=20, pitch=-10, roll=5), IMAGE, IMAGE)
    by_template = euler_from_matrix(rigid.fit(turned).rotation)
    by_symmetry = euler_from_matrix(pose.fit_pose(turned).rotation)
    np.testing.assert_allclose(by_template, by_symmetry, atol=0.5)
