"""The machine attacker on pictures: dlib's ResNet face descriptor (99.38% on LFW).

Weights come from the ``face_recognition_models`` package (found by path, not
imported: its ``__init__`` needs ``pkg_resources``, which new setuptools lacks).
Descriptors are 128-d; two faces of one person lie closer than 0.6 (dlib's
threshold). Scores here are similarities, ``-distance``, so higher = same person.

When the detector finds no face in an anonymised picture, the attacker still
measures the box where the original face was (blur and pixelation keep the
geometry, so an attacker knows where to look); ``found`` records the detector's
own verdict for the face-found rate.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from avatarlink.errors import UserError

DESCRIPTOR_MODEL = "dlib_face_recognition_resnet_model_v1.dat"
SHAPE_MODEL = "shape_predictor_5_face_landmarks.dat"


def _models_dir() -> Path:
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise UserError("the audit needs its extra: pip install 'avatarlink[audit]'")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


@dataclass(frozen=True)
class Box:
    """A face box in pixels (dlib's rectangle without dlib)."""

    left: int
    top: int
    right: int
    bottom: int


@dataclass(frozen=True)
class Description:
    """One picture's descriptor; None when not even the fallback box gave one."""

    descriptor: np.ndarray | None
    found: bool
    box: Box | None


class FaceRecogniser:
    """dlib's HOG face detector, 5-point aligner and ResNet descriptor."""

    def __init__(self, upsample: int = 1) -> None:
        try:
            import dlib
        except ImportError as exc:
            raise UserError("the audit needs its extra: pip install 'avatarlink[audit]'") from exc
        models = _models_dir()
        self._dlib = dlib
        self._detector = dlib.get_frontal_face_detector()
        self._shape = dlib.shape_predictor(str(models / SHAPE_MODEL))
        self._net = dlib.face_recognition_model_v1(str(models / DESCRIPTOR_MODEL))
        self._upsample = upsample

    def describe(self, rgb: np.ndarray, fallback: Box | None = None) -> Description:
        """Descriptor of the largest detected face, or of ``fallback`` when none is found."""
        rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
        rects = self._detector(rgb, self._upsample)
        if len(rects):
            rect = max(rects, key=lambda r: r.width() * r.height())
            found = True
        elif fallback is not None:
            rect = self._dlib.rectangle(
                fallback.left, fallback.top, fallback.right, fallback.bottom
            )
            found = False
        else:
            return Description(None, False, None)
        shape = self._shape(rgb, rect)
        vec = np.asarray(self._net.compute_face_descriptor(rgb, shape), dtype=np.float64)
        box = Box(rect.left(), rect.top(), rect.right(), rect.bottom())
        return Description(vec, found, box)
