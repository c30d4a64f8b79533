"""Fixtures for the tracking tests: a synthetic face built from MediaPipe's canonical mesh.

The canonical face (468 points, centimetres, x = subject's left, y up, z out)
is read from the shared evaluation data; ten iris points are added at the
eye centres. Expressions are made by moving named regions of it, and the
result is projected into a synthetic 512x512 "image" as MediaPipe's
normalised landmarks, so the solver sees exactly what the face mesh would give.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from avatarlink.frame import ARKIT_INDEX, FaceFrame, quat_from_euler
from avatarlink.tracking import mesh
from avatarlink.tracking.calibration import Calibration
from avatarlink.tracking.solver import solve

IMAGE = 512
CM_PER_IMAGE = 30.0  # the synthetic camera sees 30 cm across


def load_canonical(path: Path) -> np.ndarray:
    verts = [
        [float(v) for v in line.split()[1:4]]
        for line in path.read_text().splitlines()
        if line.startswith("v ")
    ]
    points = np.array(verts, dtype=np.float64)
    assert points.shape == (468, 3)
    irises = []
    for k in (0, 1):  # subject's right then left, as in MediaPipe's 468..477
        contour = points[
            [mesh.EYE_INNER[k], mesh.EYE_OUTER[k], *mesh.LID_UPPER[k], *mesh.LID_LOWER[k]]
        ]
        centre = contour.mean(axis=0) + np.array([0.0, 0.0, 0.15])  # the cornea bulges
        r = 0.55
        inward = 1.0 if k == 0 else -1.0  # 469 / 474 lie towards the nose
        ring = [[inward * r, 0, 0], [0, r, 0], [-inward * r, 0, 0], [0, -r, 0]]
        irises.append(np.vstack([centre, centre + np.array(ring)]))
    return np.vstack([points, *irises])


@pytest.fixture(scope="session")
def canonical(shared_data: Path) -> np.ndarray:
    """(478, 3) canonical face in centimetres, head frame."""
    return load_canonical(shared_data / "models" / "canonical_face_model.obj")


@pytest.fixture(scope="session")
def neutral_calibration(canonical: np.ndarray) -> Calibration:
    """A profile recorded on the canonical face itself (its neutral reads all zeros)."""
    base = Calibration.default()
    drivers = solve(project(canonical), IMAGE, IMAGE, base.rest, base.span).drivers
    return Calibration.from_neutral(np.tile(drivers, (5, 1)))


def shapes_of(points: np.ndarray, cal: Calibration, **pose: float) -> np.ndarray:
    """The solver's 52 coefficients for a synthetic face seen at a head pose."""
    return solve(project(points, **pose), IMAGE, IMAGE, cal.rest, cal.span).shapes


def project(
    points: np.ndarray, yaw: float = 0.0, pitch: float = 0.0, roll: float = 0.0
) -> np.ndarray:
    """Head-frame centimetres -> MediaPipe normalised landmarks of a 512x512 image."""
    rot = Rotation.from_quat(quat_from_euler(yaw, pitch, roll)).as_matrix()
    cam = points @ rot.T
    out = np.empty_like(cam)
    out[:, 0] = 0.5 + cam[:, 0] / CM_PER_IMAGE
    out[:, 1] = 0.5 - cam[:, 1] / CM_PER_IMAGE
    out[:, 2] = -cam[:, 2] / CM_PER_IMAGE
    return out.astype(np.float32)


def bump(points: np.ndarray, centre: int | np.ndarray, sigma: float, delta: tuple) -> np.ndarray:
    """Move the region around ``centre`` by ``delta`` cm, fading with a Gaussian of ``sigma`` cm."""
    c = points[centre] if isinstance(centre, int | np.integer) else np.asarray(centre)
    w = np.exp(-((points - c) ** 2).sum(axis=1) / (2 * sigma**2))
    return points + w[:, None] * np.asarray(delta, dtype=np.float64)


def move(points: np.ndarray, indices, delta: tuple) -> np.ndarray:
    out = points.copy()
    out[list(indices)] += np.asarray(delta, dtype=np.float64)
    return out


@pytest.fixture(scope="module")
def phantom_photo(shared_data) -> np.ndarray:
    """happiness_faceapi.jpg (RGB): a grin, and behind her buildings that pass the face
    mesh as a larger face at detector confidence 0.61 (hers: 0.96)."""
    bgr = cv2.imread(str(shared_data / "faces/emotion/happiness/happiness_faceapi.jpg"))
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def smiles(frame: FaceFrame) -> list[float]:
    """A FaceFrame's mouthSmile, left and right."""
    return [float(frame.blendshapes[ARKIT_INDEX[f"mouthSmile{s}"]]) for s in ("Left", "Right")]
