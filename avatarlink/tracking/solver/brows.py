"""Brows: inner raise, outer raise and lowering, as heights over the eye line.

Heights are in head units (the face's rigid size), measured from the eye
corners so that an eye squint does not read as a brow movement.
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking import mesh


def drivers(h: np.ndarray) -> dict[str, float]:
    d: dict[str, float] = {}
    inner = []
    for name, k in (("Right", 0), ("Left", 1)):
        eye_line = (h[mesh.EYE_INNER[k], 1] + h[mesh.EYE_OUTER[k], 1]) / 2
        brow_in = float(h[list(mesh.BROW_INNER[k]), 1].mean() - eye_line)
        brow_mid = float(h[list(mesh.BROW_MID[k]), 1].mean() - eye_line)
        brow_out = float(h[list(mesh.BROW_OUTER[k]), 1].mean() - eye_line)
        # frowning also pulls the inner brows towards each other
        squeeze = float(-np.abs(h[list(mesh.BROW_INNER[k]), 0]).mean())
        inner.append(brow_in)
        d[f"browDown{name}"] = -(brow_in + brow_mid) / 2 + 0.5 * squeeze
        d[f"browOuterUp{name}"] = brow_out
    d["browInnerUp"] = float(np.mean(inner))
    return d
