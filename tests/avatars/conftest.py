"""Fixtures for the character tests: every installed character, loaded once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from avatarlink.avatars import Avatar, list_avatars, load_avatar
from avatarlink.frame import ARKIT_INDEX

NAMES = [a.name for a in list_avatars()]


@dataclass
class Face:
    """The face mesh of a character split by material, in head-node coordinates."""

    avatar: Avatar
    parts: dict[str, tuple[np.ndarray, np.ndarray]]  # material -> (rest (V,3), deltas (52,V,3))
    eye_centres: dict[str, np.ndarray]  # "L" (+X, own left) and "R"
    eye_radius: float
    height: float  # chin to crown of the skin

    def rest(self, part: str) -> np.ndarray:
        return self.parts[part][0]

    def delta(self, part: str, **weights: float) -> np.ndarray:
        """Displacement of a part's vertices for ARKit weights (linear blend)."""
        deltas = self.parts[part][1]
        out = np.zeros_like(self.parts[part][0])
        for name, w in weights.items():
            out += w * deltas[ARKIT_INDEX[name]]
        return out


def face_of(avatar: Avatar) -> Face:
    face_node = next(n for n in avatar.nodes if n.name == "face")
    assert np.allclose(face_node.translation, 0) and np.allclose(face_node.rotation, [0, 0, 0, 1])
    mesh = avatar.meshes[face_node.mesh]
    parts: dict[str, tuple[list, list]] = {}
    for prim in mesh.primitives:
        name = avatar.materials[prim.material].name
        rest, deltas = parts.setdefault(name, ([], []))
        rest.append(prim.positions)
        deltas.append(prim.morph_deltas)
    merged = {k: (np.vstack(r), np.concatenate(d, axis=1)) for k, (r, d) in parts.items()}
    eyes = {}
    for side, index in zip("LR", avatar.eyes, strict=True):
        eyes[side] = avatar.nodes[index].translation
    eye_mesh = avatar.meshes[avatar.nodes[avatar.eyes[0]].mesh]
    radius = float(np.abs(eye_mesh.primitives[0].positions).max())
    skin = merged["skin"][0]
    return Face(avatar, merged, eyes, radius, float(np.ptp(skin[:, 1])))


@pytest.fixture(scope="session")
def faces() -> dict[str, Face]:
    return {name: face_of(load_avatar(name)) for name in NAMES}
