"""The face mesh's fast landmark read-out against MediaPipe's own ``process`` path."""

from __future__ import annotations

import os

import numpy as np
import pytest
from mediapipe.framework.formats import landmark_pb2
from mediapipe.python.solutions import face_mesh

from avatarlink.tracking import FaceTracker, LandmarkDetector, open_source
from avatarlink.tracking.detector import PHANTOM_MARGIN, face_area, parse_landmarks
from tests.tracking.conftest import smiles


def _proto(points: np.ndarray, **extra: float) -> bytes:
    face = landmark_pb2.NormalizedLandmarkList()
    for x, y, z in points:
        face.landmark.add(x=x, y=y, z=z, **extra)
    return face.SerializeToString()


def test_parse_reads_the_fixed_stride_message_exactly() -> None:
    points = np.random.default_rng(0).uniform(-1, 2, (478, 3)).astype(np.float32)
    assert np.array_equal(parse_landmarks(_proto(points)), points)


def test_parse_falls_back_to_the_proto_parser_on_other_layouts() -> None:
    points = np.random.default_rng(1).uniform(0, 1, (20, 3)).astype(np.float32)
    # visibility set: 22 bytes a landmark, not the fast path's 17
    assert np.array_equal(parse_landmarks(_proto(points, visibility=0.5)), points)
    # 17 such landmarks make a multiple of 17 bytes: the field tags still tell
    assert np.array_equal(parse_landmarks(_proto(points[:17], visibility=0.5)), points[:17])
    assert parse_landmarks(b"").shape == (0, 3)


@pytest.fixture(scope="module")
def frames(shared_data) -> list[np.ndarray]:
    with open_source(shared_data / "video" / "retalking_face2.mp4") as src:
        return [rgb for (_, rgb), _ in zip(src, range(12), strict=False)]


@pytest.mark.parametrize("faces", [2, 1])
def test_detect_all_matches_mediapipe_own_face_mesh(frames, faces: int) -> None:
    """Our thread-less graph and byte read-out give exactly the stock FaceMesh's landmarks
    (two faces: the detector runs on every frame; one: the mesh follows its last face)."""
    stock = face_mesh.FaceMesh(max_num_faces=faces, refine_landmarks=True)
    with LandmarkDetector(video=True, max_faces=faces) as fast, stock:
        for rgb in frames:
            ours = fast.detect_all(rgb)
            result = stock.process(rgb)
            theirs = [
                np.array([(p.x, p.y, p.z) for p in f.landmark], dtype=np.float32)
                for f in result.multi_face_landmarks or []
            ]
            assert len(ours) == len(theirs) == 1
            assert ours[0].shape == (478, 3)
            assert np.array_equal(ours[0], theirs[0])


def test_detect_all_finds_nothing_in_a_blank_picture() -> None:
    with LandmarkDetector() as det:
        assert det.detect_all(np.zeros((240, 320, 3), np.uint8)) == []


def test_detect_all_refuses_a_picture_that_is_not_rgb() -> None:
    with LandmarkDetector() as det, pytest.raises(ValueError, match="RGB"):
        det.detect_all(np.zeros((240, 320), np.uint8))


def test_the_graph_runs_on_the_calling_thread() -> None:
    """No worker threads: the calculators run inside the caller's ``detect_all``
    (a thread pool of even one worker would show here as one more thread)."""
    before = len(os.listdir("/proc/self/task"))
    with LandmarkDetector() as det:
        det.detect_all(np.zeros((240, 320, 3), np.uint8))
        assert len(os.listdir("/proc/self/task")) <= before


def test_a_phantom_in_the_background_is_not_the_most_prominent_face(phantom_photo) -> None:
    """The buildings behind her pass for a larger face; size alone chose them and lost
    her smile."""
    rgb = phantom_photo
    h, w = rgb.shape[:2]
    with LandmarkDetector() as det:
        faces = det.detect_all(rgb)
        assert len(faces) == 2 and len(det.scores) == 2
        phantom = min(range(2), key=det.scores.__getitem__)
        assert det.scores[phantom] < max(det.scores) - PHANTOM_MARGIN
        assert face_area(faces[phantom], w, h) > face_area(faces[1 - phantom], w, h)
        chosen = det.detect(rgb)
    assert chosen[:, 0].mean() > 0.5  # her face, right of centre; the buildings are left
    with FaceTracker() as tracker:
        frame = tracker.process(rgb, 0.0)
    assert frame.tracked and min(smiles(frame)) > 0.5
