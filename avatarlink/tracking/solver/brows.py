"""Brows: inner raise, outer raise and lowering, as heights over the eye line.

Heights are in head units (the face's rigid size), measured from the eye
corners so that an eye squint does not read as a brow movement. Both sides
at once: right first.
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking import mesh

NAMES = ("browDownRight", "browDownLeft", "browOuterUpRight", "browOuterUpLeft", "browInnerUp")
_CORNERS = np.array([mesh.EYE_INNER, mesh.EYE_OUTER]).T  # (side, 2)
_INNER, _MID, _OUTER = (np.array(p) for p in (mesh.BROW_INNER, mesh.BROW_MID, mesh.BROW_OUTER))


def drivers(h: np.ndarray) -> np.ndarray:
    # (sums over point pairs, halved: cheaper than .mean on these tiny arrays)
    eye_line = h[_CORNERS, 1].sum(axis=1) / 2
    inner = h[_INNER, 1].sum(axis=1) / 2 - eye_line
    mid = h[_MID, 1].sum(axis=1) / 2 - eye_line
    outer = h[_OUTER, 1].sum(axis=1) / 2 - eye_line
    # frowning also pulls the inner brows towards each other
    squeeze = -np.abs(h[_INNER, 0]).sum(axis=1) / 2
    down = -(inner + mid) / 2 + 0.5 * squeeze
    return np.concatenate([down, outer, [(inner[0] + inner[1]) / 2]])
