"""Fixtures of the audit tests: small synthetic pictures and a fake data folder.

Real third-party faces are read only from the shared data folder (the
``shared_data`` fixture); everything made here is drawn, never copied.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest


@pytest.fixture
def grid_landmarks() -> np.ndarray:
    """478 normalised points on a grid filling x, y in [0.3, 0.7]: a face box by construction."""
    xs, ys = np.meshgrid(np.linspace(0.3, 0.7, 22), np.linspace(0.3, 0.7, 22))
    pts = np.stack([xs.ravel(), ys.ravel(), np.zeros(xs.size)], axis=1)[:478]
    return pts.astype(np.float32)


@pytest.fixture
def noise_image() -> np.ndarray:
    """A 200x200 RGB picture of random noise (every pixel different from a blurred one)."""
    return np.random.default_rng(0).integers(0, 256, size=(200, 200, 3), dtype=np.uint8)


def write_image(path: Path, value: int = 128, size: tuple[int, int] = (60, 80)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), np.full((*size, 3), value, dtype=np.uint8))
    return path


@pytest.fixture
def fake_data(tmp_path: Path) -> Path:
    """A folder laid out like shared/data with drawn grey pictures and a short drawn video."""
    root = tmp_path / "data"
    for person, n in (("ann", 3), ("bob", 2), ("cyd", 1)):
        for k in range(n):
            write_image(root / "faces" / "identity" / person / f"{k:02d}.jpg", 40 * k)
    write_image(root / "faces" / "emotion" / "happiness" / "a.png")
    write_image(root / "faces" / "emotion" / "fear" / "b.jpg")
    (root / "faces" / "emotion" / "fear" / "notes.txt").write_text("not a picture")
    (root / "video").mkdir()
    writer = cv2.VideoWriter(
        str(root / "video" / "clip.mp4"), cv2.VideoWriter_fourcc(*"mp4v"), 10, (64, 48)
    )
    for k in range(10):
        writer.write(np.full((48, 64, 3), 20 * k, dtype=np.uint8))
    writer.release()
    (root / "speech").mkdir()
    return root
