"""Cheeks (puff, squint) and nose (sneer): the shapes Google's model leaves near zero.

cheekPuff pushes the lower cheeks sideways and forward; cheekSquint lifts the
cheek under the eye; noseSneer lifts the nostril wings towards the eyes.
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking import mesh


def drivers(h: np.ndarray) -> dict[str, float]:
    d: dict[str, float] = {}
    puff = 0.0
    for name, k, outward in (("Right", 0, -1.0), ("Left", 1, 1.0)):
        low = h[mesh.CHEEK_LOW[k]]
        puff += float(low[0] * outward + low[2]) / 2
        d[f"cheekSquint{name}"] = float(h[[mesh.CHEEK_UNDER_EYE[k], mesh.CHEEK[k]], 1].mean())
        ala = h[[mesh.NOSE_ALA[k], mesh.NOSE_ALA_TOP[k]]]
        d[f"noseSneer{name}"] = float(ala[:, 1].mean() - 0.25 * np.abs(ala[:, 0]).mean())
    d["cheekPuff"] = puff
    return d
