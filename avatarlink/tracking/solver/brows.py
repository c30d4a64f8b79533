"""Brows: inner raise, outer raise and lowering, as heights over the eye line.

Heights are in head units (the face's rigid size), measured from the eye
corners so that an eye squint does not read as a brow movement. Both sides
at once: right first.

The brow's inner head is moved by two muscles at once in fear and sadness
(FACS AU1+4): the frontalis' medial part raises it while the corrugator draws
it down and towards the nose. Lowering (browDown, AU4) is therefore read from
the middle brow, the heads drawn together, and the inner head's height only
half, the outer end's the other half, so that the inner raise of those brows
cancels less of their lowering (it still reads as browInnerUp).
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking import mesh

NAMES = ("browDownRight", "browDownLeft", "browOuterUpRight", "browOuterUpLeft", "browInnerUp")
# Half a relaxed brow's rise from its outer end to its inner head (head units):
# the median of (inner - outer) / 2 is 0.035 over the identity photos of
# shared/data and 0.033 over the clips' frames. Added to the outer end where it
# stands in for the inner head, it keeps the lowering driver at the level it had
# on a relaxed face (inner and middle alone), so the default rest (defaults.py,
# -0.52) still means a relaxed brow.
RELAXED_HALF_SLOPE = 0.034
# The inner head's share in the lowering's head height (was all of it). Its
# height is AU4's in a frown but AU1's as well in fear and sadness brows.
# Measured against Google's browDown: r across people (identity photos) 0.62 /
# 0.63 (L/R) with all of it, 0.66 / 0.68 with half, 0.68 / 0.71 with none;
# pooled r over the clips' frames 0.83 / 0.75, 0.82 / 0.74, 0.81 / 0.73.
# Half takes most of the first gain for a 0.01 loss in the second.
INNER_WEIGHT = 0.5
# How much drawing the brow heads together (the corrugator) counts towards
# lowering, per head unit of the heads' distance from the midline (unchanged).
SQUEEZE = 0.5
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
    # the inner head counts half; the outer end takes the other half of its
    # weight (and its relaxed offset keeps the driver's level)
    head = INNER_WEIGHT * inner + (1 - INNER_WEIGHT) * (outer + 2 * RELAXED_HALF_SLOPE)
    down = -(head + mid) / 2 + SQUEEZE * squeeze
    return np.concatenate([down, outer, [(inner[0] + inner[1]) / 2]])
