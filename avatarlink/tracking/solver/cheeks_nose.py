"""Cheeks (puff, squint) and nose (sneer): the shapes Google's model leaves near zero.

cheekPuff pushes the lower cheeks sideways and forward; cheekSquint lifts the
cheek under the eye; noseSneer lifts the nostril wings towards the eyes.
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking import mesh

NAMES = ("cheekSquintRight", "cheekSquintLeft", "noseSneerRight", "noseSneerLeft", "cheekPuff")
_OUTWARD = np.array([-1.0, 1.0])
_LOW = np.array(mesh.CHEEK_LOW)
_SQUINT = np.array([mesh.CHEEK_UNDER_EYE, mesh.CHEEK]).T  # (side, 2)
_ALA = np.array([mesh.NOSE_ALA, mesh.NOSE_ALA_TOP]).T


def drivers(h: np.ndarray) -> np.ndarray:
    low = h[_LOW]
    puff = (low[:, 0] * _OUTWARD + low[:, 2]).sum() / 2
    squint = h[_SQUINT, 1].sum(axis=1) / 2
    ala = h[_ALA]
    sneer = (ala[:, :, 1].sum(axis=1) - 0.25 * np.abs(ala[:, :, 0]).sum(axis=1)) / 2
    return np.concatenate([squint, sneer, [puff]])
