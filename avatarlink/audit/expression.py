"""The independent observer of expression, and the emotion it reads.

The observer is Google's Face Landmarker with its own 52-blendshape model
(``face_landmarker.task``, passed by path; the MediaPipe Tasks API in still
image mode, so no smoothing links one picture to the next). Where Google's
model finds no face, our own tracker reads the picture instead, and the
reading records which one spoke. The same observer reads the original and
every anonymised output, so agreement measures what each method keeps.

Emotion is read from the blendshapes with EMFACS prototypes (Friesen & Ekman:
happiness AU6+12, sadness AU1+4+15, surprise AU1+2+5+26, fear
AU1+2+4+5+20+26, anger AU4+5+7+23, disgust AU9+10+15), each action unit
mapped to its ARKit shapes. Google's model leaves cheekSquint, noseSneer and
eyeWide near zero, so each emotion is scored as the mean of its units and
every emotion is scored the same way; below ``NEUTRAL_FLOOR`` the face reads
as neutral.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from avatarlink.closing import Closing
from avatarlink.errors import UserError
from avatarlink.frame import ARKIT_INDEX

ACTION_UNITS: dict[str, tuple[str, ...]] = {
    "AU1": ("browInnerUp",),
    "AU2": ("browOuterUpLeft", "browOuterUpRight"),
    "AU4": ("browDownLeft", "browDownRight"),
    "AU5": ("eyeWideLeft", "eyeWideRight"),
    "AU6": ("cheekSquintLeft", "cheekSquintRight"),
    "AU7": ("eyeSquintLeft", "eyeSquintRight"),
    "AU9": ("noseSneerLeft", "noseSneerRight"),
    "AU10": ("mouthUpperUpLeft", "mouthUpperUpRight"),
    "AU12": ("mouthSmileLeft", "mouthSmileRight"),
    "AU15": ("mouthFrownLeft", "mouthFrownRight"),
    "AU20": ("mouthStretchLeft", "mouthStretchRight"),
    "AU23": ("mouthPressLeft", "mouthPressRight"),
    "AU26": ("jawOpen",),
}
"""FACS action units as the ARKit shapes that move the same muscles."""

PROTOTYPES: dict[str, tuple[str, ...]] = {
    "happiness": ("AU6", "AU12"),
    "sadness": ("AU1", "AU4", "AU15"),
    "surprise": ("AU1", "AU2", "AU5", "AU26"),
    "fear": ("AU1", "AU2", "AU4", "AU5", "AU20", "AU26"),
    "anger": ("AU4", "AU5", "AU7", "AU23"),
    "disgust": ("AU9", "AU10", "AU15"),
}
"""EMFACS prototypes: the action units of each basic emotion."""

NEUTRAL_FLOOR = 0.15
ANONEMOFACE_HUMAN = {"happiness": 0.933, "fear": 0.683, "anger": 0.5005, "disgust": 0.355}
"""Human recognition of AnonEmoFace's dot avatars (Hintz et al., table in section 5.2)."""


def action_units(shapes: np.ndarray) -> dict[str, float]:
    """Each FACS action unit's activation: the mean of its ARKit shapes."""
    return {
        au: float(np.mean([shapes[ARKIT_INDEX[n]] for n in names]))
        for au, names in ACTION_UNITS.items()
    }


def emotion_scores(shapes: np.ndarray) -> dict[str, float]:
    """Mean action-unit activation of each prototype, from 52 ARKit coefficients."""
    aus = action_units(np.asarray(shapes, dtype=np.float64))
    return {
        emotion: float(np.mean([aus[a] for a in units])) for emotion, units in PROTOTYPES.items()
    }


def read_emotion(shapes: np.ndarray | None) -> str | None:
    """The emotion whose prototype is most active; neutral when none passes the floor."""
    if shapes is None:
        return None
    scores = emotion_scores(shapes)
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= NEUTRAL_FLOOR else "neutral"


@dataclass(frozen=True)
class Reading:
    """One picture as the observer saw it: 52 ARKit coefficients, or None (no face)."""

    shapes: np.ndarray | None
    source: str  # "google", "tracker" or "none"


class Observer(Closing):
    """Google's Face Landmarker blendshapes, our own tracker where Google's sees no face."""

    def __init__(self, model: Path) -> None:
        model = Path(model)
        if not model.is_file():
            raise UserError(f"observer model not found: {model} (pass --observer-model)")
        from avatarlink.tracking.landmarker import GoogleLandmarker

        self._google = GoogleLandmarker(model, max_faces=1, video=False)
        self._tracker = None

    def reset(self) -> None:
        """Start the fallback tracker afresh (a new subject or a new still picture)."""
        if self._tracker is not None:
            self._tracker.close()
            self._tracker = None

    def read(self, rgb: np.ndarray, t: float = 0.0) -> Reading:
        faces = self._google.detect_all(rgb)
        if faces:
            return Reading(faces[0].shapes, "google")
        return self._fallback(rgb, t)

    def _fallback(self, rgb: np.ndarray, t: float) -> Reading:
        from avatarlink.tracking import FaceTracker

        if self._tracker is None:
            self._tracker = FaceTracker()
        frame = self._tracker.process(rgb, t)
        if not frame.tracked:
            return Reading(None, "none")
        return Reading(np.asarray(frame.blendshapes, dtype=np.float32), "tracker")

    def close(self) -> None:
        self.reset()
        self._google.close()
