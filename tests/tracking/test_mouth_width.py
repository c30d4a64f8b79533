"""mouthPucker's inner width: read from the whole inner lip contour, not its two corners."""

from __future__ import annotations

import numpy as np

from avatarlink.frame import ARKIT_INDEX
from avatarlink.tracking import mesh
from tests.tracking.conftest import move, shapes_of

_PUCKER = ARKIT_INDEX["mouthPucker"]
_INNER = list(mesh.LIPS_INNER)
_INNER_CORNERS = (78, 308)  # where the inner lip contours meet


def _narrow_inner(points: np.ndarray, scale: float) -> np.ndarray:
    """The inner lip contour drawn in across the face (its x about the midline scaled)."""
    out = points.copy()
    out[_INNER, 0] *= scale
    return out


def test_narrowed_inner_contour_reads_as_pucker(canonical, neutral_calibration):
    """The sphincter closing the opening draws the whole inner contour in."""
    assert shapes_of(_narrow_inner(canonical, 0.8), neutral_calibration)[_PUCKER] > 0.25


def test_inner_corners_alone_barely_move_pucker(canonical, neutral_calibration):
    """The two points where the contours meet, misplaced inwards by 2 mm (as the mesh
    places them least surely), move mouthPucker less than a third as far as the
    whole contour drawn in by as much at its ends."""
    right, left = _INNER_CORNERS
    corners = move(move(canonical, [right], (0.2, 0.0, 0.0)), [left], (-0.2, 0.0, 0.0))
    half_width = abs(canonical[left, 0])
    whole = _narrow_inner(canonical, 1.0 - 0.2 / half_width)
    moved_corners = shapes_of(corners, neutral_calibration)[_PUCKER]
    moved_whole = shapes_of(whole, neutral_calibration)[_PUCKER]
    assert moved_whole > 0.1
    assert moved_corners < moved_whole / 3
