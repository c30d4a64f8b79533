"""Google's Face Landmarker (Tasks API of the pinned wheel) as an optional backend.

For users who have a ``face_landmarker.task`` file: its own 52-blendshape
model replaces our solver. Its blendshapes are mapped to ARKit order by name
(``_neutral`` dropped, tongueOut 0: the model has none), head pose comes from
its facial transformation matrix (canonical face -> camera, centimetres).
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

import mediapipe as mp
from mediapipe.tasks.python import BaseOptions, vision

from avatarlink.closing import Closing
from avatarlink.errors import UserError
from avatarlink.frame import ARKIT_INDEX, N_SHAPES
from avatarlink.tracking.detector import MAX_FACES


@dataclass(frozen=True, slots=True)
class LandmarkerFace:
    landmarks: np.ndarray  # (478, 3) normalised
    shapes: np.ndarray  # (52,) ARKit order
    rotation: np.ndarray  # 3x3 head -> camera
    translation: np.ndarray  # (3,) metres


def to_arkit(names: list[str], scores: list[float]) -> np.ndarray:
    """Google's blendshapes (alphabetical, with ``_neutral``) to ARKit order, by name."""
    shapes = np.zeros(N_SHAPES, dtype=np.float32)
    for name, score in zip(names, scores, strict=True):
        index = ARKIT_INDEX.get(name)
        if index is not None:
            shapes[index] = score
    return shapes


class GoogleLandmarker(Closing):
    """Every face in a video frame (``video=False``: a still), with Google's shapes and pose."""

    def __init__(self, model: Path, max_faces: int = MAX_FACES, video: bool = True) -> None:
        model = Path(model)
        if not model.is_file():
            raise UserError(f"{model}: no such model file")
        if not zipfile.is_zipfile(model):
            raise UserError(f"{model}: not a Face Landmarker .task bundle")
        options = vision.FaceLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model)),
            running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
            num_faces=max_faces,
            output_face_blendshapes=True,
            output_facial_transformation_matrixes=True,
        )
        try:
            self._landmarker = vision.FaceLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as exc:
            raise UserError(f"{model}: cannot load as a Face Landmarker model ({exc})") from None
        self._video = video
        self._last_ms = -1

    def detect_all(self, rgb: np.ndarray, t: float = 0.0) -> list[LandmarkerFace]:
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if self._video:
            # VIDEO mode needs strictly increasing timestamps
            ms = max(round(t * 1000), self._last_ms + 1)
            self._last_ms = ms
            result = self._landmarker.detect_for_video(image, ms)
        else:
            result = self._landmarker.detect(image)
        faces = []
        for lms, shapes, matrix in zip(
            result.face_landmarks,
            result.face_blendshapes,
            result.facial_transformation_matrixes,
            strict=True,
        ):
            m = np.asarray(matrix, dtype=np.float64)
            faces.append(
                LandmarkerFace(
                    landmarks=np.array([(p.x, p.y, p.z) for p in lms], dtype=np.float32),
                    shapes=to_arkit([c.category_name for c in shapes], [c.score for c in shapes]),
                    rotation=m[:3, :3],
                    translation=(m[:3, 3] / 100.0).astype(np.float32),
                )
            )
        return faces

    def close(self) -> None:
        self._landmarker.close()
