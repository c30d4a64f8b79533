"""MediaPipe face mesh (bundled in the pinned wheel): RGB image -> 478 landmarks per face.

This is the one place landmarks come from. Outside the tracking package they
are available only through :class:`LandmarkDetector`, for the privacy audit's
landmark-dot baseline and its attacker.
"""

from __future__ import annotations

import os
from types import TracebackType

import numpy as np

# MediaPipe's C++ logging goes to stderr; keep the CLI's stderr for our own messages.
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from mediapipe.python.solutions import face_mesh

MAX_FACES = 2


def face_area(landmarks: np.ndarray, width: int, height: int) -> float:
    """Bounding-box area in pixels: how prominent a face is."""
    span = landmarks[:, :2].max(axis=0) - landmarks[:, :2].min(axis=0)
    return float(span[0] * width * span[1] * height)


class LandmarkDetector:
    """Raw face-mesh landmarks: (478, 3) float32, x and y normalised to [0, 1], z relative depth.

    ``video=True`` tracks between frames (faster, steadier) and expects
    consecutive frames of one stream; ``video=False`` treats each image alone.
    """

    def __init__(self, video: bool = False, max_faces: int = MAX_FACES) -> None:
        self._mesh = face_mesh.FaceMesh(
            static_image_mode=not video,
            max_num_faces=max_faces,
            refine_landmarks=True,
            min_detection_confidence=0.5,
            min_tracking_confidence=0.5,
        )

    def detect_all(self, rgb: np.ndarray) -> list[np.ndarray]:
        """Every face found, each (478, 3) float32."""
        result = self._mesh.process(np.ascontiguousarray(rgb))
        faces = result.multi_face_landmarks or []
        return [
            np.array([(p.x, p.y, p.z) for p in face.landmark], dtype=np.float32) for face in faces
        ]

    def detect(self, rgb: np.ndarray) -> np.ndarray | None:
        """The most prominent (largest) face, or None."""
        faces = self.detect_all(rgb)
        if not faces:
            return None
        h, w = rgb.shape[:2]
        return max(faces, key=lambda lm: face_area(lm, w, h))

    def close(self) -> None:
        self._mesh.close()

    def __enter__(self) -> LandmarkDetector:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
