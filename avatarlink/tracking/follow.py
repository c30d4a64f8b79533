"""Follow one person: lock on the most prominent face, never jump to a bystander.

At the start (or after the person has been gone a while) the largest face is
chosen. After that only a face whose landmarks lie near the followed face's
last landmarks is accepted; anyone else in view is ignored.
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking.detector import face_area

# Accept a face whose landmarks moved on average less than this many face
# widths since the last frame the person was seen (a head moves far less per frame).
MAX_STEP_FACE_WIDTHS = 0.6
# After this long without the person, start over with the most prominent face.
RELOCK_AFTER_S = 1.5


class FaceFollower:
    def __init__(self) -> None:
        self._last: np.ndarray | None = None
        self._last_t = 0.0

    def reset(self) -> None:
        self._last = None

    def choose(
        self, faces: list[np.ndarray], t: float, width: int, height: int
    ) -> np.ndarray | None:
        """The followed person's landmarks among ``faces``, or None if they are not in view."""
        scale = np.array([width, height], dtype=np.float64)
        if self._last is not None and t - self._last_t > RELOCK_AFTER_S:
            self._last = None
        if not faces:
            return None
        if self._last is None:
            chosen = max(faces, key=lambda lm: face_area(lm, width, height))
        else:
            last = self._last[:, :2] * scale
            size = float(np.ptp(last[:, 0]))
            steps = [float(np.linalg.norm(f[:, :2] * scale - last, axis=1).mean()) for f in faces]
            best = int(np.argmin(steps))
            if steps[best] > MAX_STEP_FACE_WIDTHS * size:
                return None
            chosen = faces[best]
        self._last, self._last_t = chosen, t
        return chosen
