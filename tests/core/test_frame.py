import numpy as np
import pytest

from avatarlink.frame import ARKIT_INDEX, ARKIT_NAMES, FaceFrame, euler_from_quat, quat_from_euler


def test_arkit_names_are_the_canonical_52():
    assert len(ARKIT_NAMES) == 52 == len(set(ARKIT_NAMES))
    assert ARKIT_NAMES[0] == "eyeBlinkLeft"
    assert ARKIT_NAMES[17] == "jawOpen"
    assert ARKIT_NAMES[-1] == "tongueOut"


@pytest.mark.parametrize("angles", [(0, 0, 0), (20, 0, 0), (0, -15, 0), (0, 0, 10), (25, 10, -8)])
def test_euler_round_trip(angles):
    assert np.allclose(euler_from_quat(quat_from_euler(*angles)), angles, atol=1e-3)


def test_yaw_positive_turns_face_to_subject_left_which_is_image_right():
    from scipy.spatial.transform import Rotation

    forward = Rotation.from_quat(quat_from_euler(30, 0, 0)).apply([0, 0, 1])
    assert forward[0] > 0.4  # +x is image right = subject's left
    up = Rotation.from_quat(quat_from_euler(0, 20, 0)).apply([0, 0, 1])
    assert up[1] > 0.3  # pitch > 0 looks up


def test_untracked_frame_is_neutral_and_with_weights_copies():
    frame = FaceFrame.untracked(1.5)
    assert not frame.tracked and frame.blendshapes.dtype == np.float32
    smile = frame.with_weights(mouthSmileLeft=0.7)
    assert smile.weight("mouthSmileLeft") == pytest.approx(0.7)
    assert frame.blendshapes[ARKIT_INDEX["mouthSmileLeft"]] == 0
