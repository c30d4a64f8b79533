"""One renderer per session: making a GL context and compiling shaders is the slow part."""

from __future__ import annotations

import numpy as np
import pytest

from avatarlink.avatars import DEFAULT_AVATAR
from avatarlink.frame import FaceFrame

BACKGROUND = "#203040"
SIZE = (320, 240)


@pytest.fixture(scope="session")
def renderer():
    from avatarlink.render import Renderer

    with Renderer(DEFAULT_AVATAR, size=SIZE, background=BACKGROUND, antialias=0) as r:
        yield r


@pytest.fixture(scope="session")
def neutral(renderer) -> np.ndarray:
    return renderer.render(FaceFrame(0.0, True))


def changed(a: np.ndarray, b: np.ndarray, threshold: int = 40) -> np.ndarray:
    """Pixels whose colour differs clearly between two renders."""
    return np.abs(a.astype(np.int32) - b.astype(np.int32)).sum(axis=-1) > threshold


def centroid(mask: np.ndarray) -> np.ndarray:
    """(x, y) centre of a pixel mask, in pixels."""
    ys, xs = np.nonzero(mask)
    assert len(xs) > 0, "empty mask"
    return np.array([xs.mean(), ys.mean()])


@pytest.fixture(scope="session")
def marks(renderer) -> dict[str, np.ndarray]:
    """Pixel positions of face landmarks at rest, from the model and the camera."""
    avatar = renderer.avatar
    world = avatar.world_matrices()
    out = {}
    for side, index in zip("LR", avatar.eyes, strict=True):
        out[f"eye_{side}"] = world[index][:3, 3]
    face = next(i for i, n in enumerate(avatar.nodes) if n.name == "face")
    mesh = avatar.meshes[avatar.nodes[face].mesh]
    by_material = {}
    for prim in mesh.primitives:
        name = avatar.materials[prim.material].name
        by_material[name] = prim.positions @ world[face][:3, :3].T + world[face][:3, 3]
    lips = by_material["lips"]
    out["mouth"] = lips.mean(axis=0)
    out["mouth_L"] = lips[np.argmax(lips[:, 0])]
    out["mouth_R"] = lips[np.argmin(lips[:, 0])]
    out["nose"] = by_material["nose"].mean(axis=0)
    names = list(out)
    pixels = renderer.project(np.array([out[n] for n in names]))
    marks = dict(zip(names, pixels, strict=True))
    # pixels per metre at the face, for sizing regions
    marks["scale"] = np.linalg.norm(marks["eye_L"] - marks["eye_R"]) / np.linalg.norm(
        out["eye_L"] - out["eye_R"]
    )
    eye_mesh = avatar.meshes[avatar.nodes[avatar.eyes[0]].mesh]
    marks["eye_r"] = float(np.abs(eye_mesh.primitives[0].positions).max()) * marks["scale"]
    return marks


def box(centre: np.ndarray, half_w: float, half_h: float) -> tuple[slice, slice]:
    """Image region (rows, cols) around a pixel position."""
    x, y = (round(float(v)) for v in centre)
    return slice(max(0, y - int(half_h)), y + int(half_h) + 1), slice(
        max(0, x - int(half_w)), x + int(half_w) + 1
    )
