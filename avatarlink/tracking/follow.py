"""Follow one person: lock on the most prominent face, never jump to a bystander.

At the start (or after the person has been gone a while) the largest face is
chosen, of those the face detector is sure of (a phantom in the background
may be larger, see :func:`~avatarlink.tracking.detector.most_prominent`).
After that only a face whose landmarks lie near the followed face's last
landmarks is accepted; anyone else in view is ignored. While locked, the
tracker also blanks the picture outside the person's surroundings
(:func:`mask_around`), so the face mesh can run for one face only: faster,
and a bystander is not even seen.
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking.detector import most_prominent

# Accept a face whose landmarks moved on average less than this many face
# widths since the last frame the person was seen (a head moves far less per frame).
MAX_STEP_FACE_WIDTHS = 0.6
# After this long without the person, start over with the most prominent face.
RELOCK_AFTER_S = 1.5


# Around the followed face, keep this many face widths of picture on each side.
MASK_MARGIN_FACE_WIDTHS = 0.6


def mask_around(rgb: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """A copy of ``rgb`` that is black except around the face (a bystander vanishes)."""
    h, w = rgb.shape[:2]
    lo, hi = landmarks[:, :2].min(axis=0), landmarks[:, :2].max(axis=0)
    pad = (hi[0] - lo[0]) * MASK_MARGIN_FACE_WIDTHS
    x0, y0 = int(max(0.0, lo[0] - pad) * w), int(max(0.0, lo[1] - pad) * h)
    x1, y1 = int(min(1.0, hi[0] + pad) * w) + 1, int(min(1.0, hi[1] + pad) * h) + 1
    out = np.zeros_like(rgb)
    out[y0:y1, x0:x1] = rgb[y0:y1, x0:x1]
    return out


class FaceFollower:
    def __init__(self) -> None:
        self._last: np.ndarray | None = None
        self._last_t = 0.0

    def locked(self, t: float) -> np.ndarray | None:
        """The followed face's last landmarks, or None when it is time to choose anew."""
        if self._last is not None and t - self._last_t > RELOCK_AFTER_S:
            self._last = None
        return self._last

    def choose(
        self,
        faces: list[np.ndarray],
        t: float,
        width: int,
        height: int,
        scores: list[float] | None = None,
    ) -> np.ndarray | None:
        """The followed person's landmarks among ``faces``, or None if they are not in view.

        ``scores``: the detector's confidence in each face, for choosing anew.
        """
        self.locked(t)
        if not faces:
            return None
        if self._last is None:
            chosen = faces[most_prominent(faces, scores, width, height)]
        else:
            scale = np.array([width, height], dtype=np.float32)
            last = self._last[:, :2]
            x = last[:, 0]
            size = float(x.max() - x.min()) * width
            # mean pixel distance moved; ufunc reductions, not np.mean/np.ptp's Python
            # wrappers (this runs every frame, right after the face mesh has evicted
            # NumPy from the caches)
            steps = [
                float(np.add.reduce(np.hypot(*((f[:, :2] - last) * scale).T))) / len(last)
                for f in faces
            ]
            best = min(range(len(steps)), key=steps.__getitem__)
            if steps[best] > MAX_STEP_FACE_WIDTHS * size:
                return None
            chosen = faces[best]
        self._last, self._last_t = chosen, t
        return chosen
