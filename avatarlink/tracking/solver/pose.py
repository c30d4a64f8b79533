"""Head pose: a rigid fit of the landmarks to a canonical, symmetric face.

The canonical frame is the one MediaPipe's canonical face uses: x towards the
subject's left, y up, z out of the face. (The canonical face model itself is
not in the pinned wheel, so the canonical face is made from the person's own
rigid points.) First frames: yaw and roll come from the face's mirror symmetry
(every left/right landmark pair differs along the face's x axis only), pitch
from the face's rigid midline (forehead over nose). From those frames a
mirror-symmetric template of the rigid points is learned (:class:`RigidTemplate`);
after that every frame is a Kabsch fit of the rigid points to it, so noise in
single points averages out. Everything is in the camera's OpenGL frame
(+y up, +z to the camera).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from avatarlink.tracking import mesh

# The face's "up" is taken along its midline from the nose base to the upper
# forehead. On an upright head that line leans back: the forehead is further
# from the camera than the nose. Rotating by this angle about x makes a head
# held upright (Frankfurt plane level) read as pitch 0, as in MediaPipe's
# canonical face.
MIDLINE_LEAN_DEG = 19.0
FOREHEAD = (10, 151, 9, 109, 338, 108, 337)
NOSE_BASE = (4, 5, 195, 45, 275)
_FOREHEAD, _NOSE_BASE = np.array(FOREHEAD), np.array(NOSE_BASE)


@dataclass(frozen=True, slots=True)
class HeadPose:
    """``points_cam ~= origin + scale * rotation @ points_head`` (row form: H @ R.T)."""

    rotation: np.ndarray  # 3x3, columns are the head's x, y, z axes in camera space
    origin: np.ndarray  # 3, camera space (landmark units)
    scale: float  # landmark units per head unit

    def to_head(self, points: np.ndarray) -> np.ndarray:
        """Landmarks in the head's own frame, in units of the face's size."""
        return (points - self.origin) @ self.rotation / self.scale


@cache
def _pairs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = mesh.mirror_map()
    rigid = np.array(mesh.RIGID)
    left = np.intersect1d(rigid, mesh.left_side())
    return rigid, left, m[left]


def to_camera(landmarks: np.ndarray, width: int, height: int) -> np.ndarray:
    """MediaPipe's normalised landmarks (x right, y down, z away) to OpenGL-like pixel units."""
    out = np.empty_like(landmarks, dtype=np.float64)
    out[:, 0] = landmarks[:, 0] * width
    out[:, 1] = -landmarks[:, 1] * height
    out[:, 2] = -landmarks[:, 2] * width
    return out


def _rot_x(deg: float) -> np.ndarray:
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


_LEAN = _rot_x(MIDLINE_LEAN_DEG)


def symmetry_frame(points: np.ndarray) -> np.ndarray:
    """Head rotation from mirror symmetry and the midline: columns x, y, z."""
    _, left, right = _pairs()
    x = (points[left] - points[right]).sum(axis=0)
    x /= np.sqrt(x @ x)
    up = points[_FOREHEAD].sum(axis=0) / len(_FOREHEAD) - points[_NOSE_BASE].sum(axis=0) / len(
        _NOSE_BASE
    )
    y = up - (up @ x) * x
    y /= np.sqrt(y @ y)
    z = np.array([x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]])
    return np.column_stack([x, y, z]) @ _LEAN


def fit_pose(points: np.ndarray, template: np.ndarray | None = None) -> HeadPose:
    """Rigid pose of one face; ``template`` (head frame, rigid points) refines it by Kabsch."""
    rigid, _, _ = _pairs()
    rp = points[rigid]
    origin = rp.sum(axis=0) / len(rp)
    centred = rp - origin
    scale = float(np.sqrt((centred * centred).sum() / len(rp)))
    if template is None:
        rotation = symmetry_frame(points)
    else:
        rotation = kabsch(template, centred / scale)
    return HeadPose(rotation, origin, scale)


def kabsch(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Rotation R minimising ||target - source @ R.T|| (both centred, same scale)."""
    h = source.T @ target
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(vt.T @ u.T))
    return vt.T @ np.diag([1.0, 1.0, d]) @ u.T


class RigidTemplate:
    """The person's canonical face: rigid points, symmetrised, averaged over the first frames."""

    FRAMES = 30

    def __init__(self) -> None:
        self._sum: np.ndarray | None = None
        self._n = 0

    def reset(self) -> None:
        self._sum, self._n = None, 0

    def fit(self, points: np.ndarray) -> HeadPose:
        """This frame's pose: by Kabsch to the template once learned, by symmetry until then."""
        if self._n >= self.FRAMES:
            return fit_pose(points, self._sum / self._n)
        head_pose = fit_pose(points)
        t = symmetric_template(points, head_pose)
        self._sum = t if self._sum is None else self._sum + t
        self._n += 1
        return head_pose


def symmetric_template(points: np.ndarray, pose: HeadPose) -> np.ndarray:
    """The rigid points of this face in its head frame, made exactly mirror-symmetric."""
    rigid, _, _ = _pairs()
    m = mesh.mirror_map()
    head = pose.to_head(points)
    mirrored = head[m] * np.array([-1.0, 1.0, 1.0])
    sym = (head + mirrored) / 2
    t = sym[rigid]
    return t - t.mean(axis=0)
