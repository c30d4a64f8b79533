"""FaceTracker on real clips from the shared evaluation data.

One clip (a man yawning with his eyes closed) is tracked by us and by
Google's Face Landmarker; the comparison checks agreement on the shapes the
clip shows, pose within a few degrees, and that our tracker sees the shapes
Google's model leaves at zero.
"""

from __future__ import annotations

import numpy as np
import pytest

from avatarlink.frame import ARKIT_INDEX, N_SHAPES
from avatarlink.metrics import pearson
from avatarlink.tracking import FaceTracker, LandmarkDetector, open_source
from avatarlink.tracking.follow import RELOCK_AFTER_S
from avatarlink.tracking.landmarker import GoogleLandmarker
from avatarlink.tracking.tracker import euler_from_matrix
from tests.tracking.conftest import smiles


@pytest.fixture(scope="module")
def clip_frames(shared_data) -> list[tuple[float, np.ndarray]]:
    with open_source(shared_data / "video" / "liveportrait_d18.mp4") as src:
        return list(src)


@pytest.fixture(scope="module")
def ours_and_google(clip_frames, shared_data):
    ours, google, our_pose, google_pose = [], [], [], []
    model = shared_data / "models" / "face_landmarker.task"
    with FaceTracker() as tracker, GoogleLandmarker(model, max_faces=1) as landmarker:
        for t, rgb in clip_frames:
            frame = tracker.process(rgb, t)
            (face,) = landmarker.detect_all(rgb, t)
            assert frame.tracked
            ours.append(frame.blendshapes)
            our_pose.append(frame.head_euler())
            google.append(face.shapes)
            google_pose.append(euler_from_matrix(face.rotation))
    return np.array(ours), np.array(google), np.array(our_pose), np.array(google_pose)


def test_agrees_with_google_on_the_shapes_this_clip_shows(ours_and_google):
    ours, google, _, _ = ours_and_google
    assert ours.shape[1] == N_SHAPES and ((ours >= 0) & (ours <= 1)).all()
    for name, least in (("jawOpen", 0.9), ("eyeBlinkLeft", 0.6), ("eyeBlinkRight", 0.75)):
        k = ARKIT_INDEX[name]
        assert pearson(ours[:, k], google[:, k]) >= least, name


def test_head_pose_agrees_with_googles_transformation_matrix(ours_and_google):
    _, _, our_pose, google_pose = ours_and_google
    mae = np.abs(our_pose - google_pose).mean(axis=0)
    assert (mae < 4.0).all(), mae


def test_sees_what_google_leaves_at_zero(ours_and_google):
    # eyeWide is not among them here: this yawn keeps the eyes shut (its widening
    # is tested on synthetic lids in test_brows_eyes and shown on the grimace
    # clips by tools/bench_tracker.py --only beyond)
    ours, google, _, _ = ours_and_google
    for name in ("cheekPuff", "cheekSquintLeft", "cheekSquintRight", "noseSneerLeft"):
        k = ARKIT_INDEX[name]
        assert google[:, k].max() < 0.05, name
        assert ours[:, k].max() > 0.3 and ours[:, k].std() > 0.05, name


def test_still_face_is_steady(clip_frames):
    _, rgb = clip_frames[0]
    with FaceTracker() as tracker:
        shapes = np.array([tracker.process(rgb, i / 30).blendshapes for i in range(45)])
    assert np.diff(shapes[15:], axis=0).std(axis=0).max() <= 0.02


def side_by_side(main: np.ndarray, other: np.ndarray | None, size: int = 260) -> np.ndarray:
    """The followed person's frame, with a smaller second person to its right (or blank)."""
    h = main.shape[0]
    canvas = np.zeros((h, main.shape[1] + size, 3), np.uint8)
    canvas[:, : main.shape[1]] = main
    if other is not None:
        import cv2

        canvas[(h - size) // 2 : (h + size) // 2, main.shape[1] :] = cv2.resize(other, (size, size))
    return canvas


def test_follows_the_most_prominent_person_and_ignores_a_bystander(clip_frames, shared_data):
    with open_source(shared_data / "video" / "retalking_face4.mp4") as src:
        bystander = [rgb for _, rgb in src][: len(clip_frames)]
    n = 90
    with FaceTracker() as alone:
        ref = np.array([alone.process(rgb, t).weight("jawOpen") for t, rgb in clip_frames[:n]])
    with FaceTracker() as tracker:
        both = [
            tracker.process(side_by_side(rgb, bystander[i]), t)
            for i, (t, rgb) in enumerate(clip_frames[:n])
        ]
        # the person leaves; the bystander stays: no jump to the bystander
        gone = [
            tracker.process(
                side_by_side(np.zeros_like(clip_frames[0][1]), bystander[n + i]), (n + i) / 30
            )
            for i in range(10)
        ]
    assert all(f.tracked for f in both)
    jaw = np.array([f.weight("jawOpen") for f in both])
    assert pearson(jaw, ref) > 0.9
    assert not any(f.tracked for f in gone)


def test_landmark_detector_gives_normalised_landmarks(clip_frames):
    with LandmarkDetector() as det:
        lm = det.detect(clip_frames[0][1])
        nothing = det.detect(np.zeros((120, 160, 3), np.uint8))
    assert lm.shape == (478, 3) and lm.dtype == np.float32
    assert (lm[:, :2] > 0).all() and (lm[:, :2] < 1).all()
    assert nothing is None


def test_relocking_after_an_absence_still_skips_the_phantom(phantom_photo):
    """The lock graph must not follow its last, long-gone faces: it would skip the
    detector and take the larger phantom behind her when she comes back."""
    rgb = phantom_photo
    blank = np.zeros_like(rgb)
    with FaceTracker() as tracker:
        assert tracker.process(rgb, 0.0).tracked
        for t in np.arange(1, 30) / 30:  # she is gone for a second
            assert not tracker.process(blank, float(t)).tracked
        # back after more than RELOCK_AFTER_S: the tracker chooses anew, in this picture
        frame = tracker.process(rgb, RELOCK_AFTER_S + 0.1)
    assert frame.tracked and min(smiles(frame)) > 0.5
