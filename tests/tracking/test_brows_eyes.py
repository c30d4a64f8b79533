"""Brows and eyes on synthetic faces: combined movements read as all of their shapes.

The single movements are in test_solver.py. Here are the combinations that
the emotions need: fear and sadness raise the brows' inner heads (FACS AU1)
while the corrugator draws them together and down (AU4), and neither may
cancel the other.
"""

from __future__ import annotations

import numpy as np
import pytest

from avatarlink.frame import ARKIT_INDEX
from avatarlink.tracking.calibration import Calibration
from avatarlink.tracking.solver import brows, solve
from tests.tracking.conftest import IMAGE, bump, project, shapes_of
from tests.tracking.expressions import brow_down, brow_inner_up, wide

# Both shapes of an AU1+4 brow read at least this far (a clear, not a full, movement)
BOTH_READ = 0.25
QUIET = 0.25  # as in test_solver.py (BOTH_READ equals it: above every unrelated shape)
_SIGN = (-1.0, 1.0)  # +x is the subject's left


def fear_brows(points: np.ndarray, up: float = 0.35, pull: float = 0.3) -> np.ndarray:
    """AU1+4 (cm): the inner heads up and towards the nose, the brows' middle down."""
    for k, sign in enumerate(_SIGN):
        points = bump(points, (107, 336)[k], 0.9, (-sign * pull, up, 0.0))
        points = bump(points, (105, 334)[k], 1.4, (-sign * 0.1, -0.3, 0.0))
    return points


def read(shapes: np.ndarray, *names: str) -> np.ndarray:
    return np.array([shapes[ARKIT_INDEX[n]] for n in names])


@pytest.mark.parametrize(("up", "pull"), [(0.35, 0.3), (0.5, 0.3), (0.4, 0.35)])
def test_fear_brows_read_inner_raise_and_lowering(canonical, neutral_calibration, up, pull):
    shapes = shapes_of(fear_brows(canonical, up, pull), neutral_calibration)
    assert read(shapes, "browInnerUp")[0] >= BOTH_READ
    assert (read(shapes, "browDownLeft", "browDownRight") >= BOTH_READ).all()
    assert (read(shapes, "browOuterUpLeft", "browOuterUpRight") <= QUIET).all()


def test_inner_head_counts_half_towards_lowering(canonical, neutral_calibration):
    """With the inner head's full height (the old driver) the AU1 cancelled the AU4."""
    points = fear_brows(canonical)
    full = brows.INNER_WEIGHT
    try:
        brows.INNER_WEIGHT = 1.0
        old = read(shapes_of(points, neutral_calibration), "browDownLeft", "browDownRight")
    finally:
        brows.INNER_WEIGHT = full
    new = read(shapes_of(points, neutral_calibration), "browDownLeft", "browDownRight")
    assert (old < 0.1).all() and (new >= BOTH_READ).all()


def test_inner_raise_alone_is_not_lowering(canonical, neutral_calibration):
    shapes = shapes_of(brow_inner_up(canonical), neutral_calibration)
    assert (read(shapes, "browDownLeft", "browDownRight") == 0.0).all()


@pytest.mark.parametrize("side", ["Left", "Right"])
def test_frown_still_lowers_its_own_brow(canonical, neutral_calibration, side):
    other = "Right" if side == "Left" else "Left"
    shapes = shapes_of(brow_down(side)(canonical), neutral_calibration)
    assert read(shapes, f"browDown{side}")[0] >= 0.5
    assert read(shapes, f"browDown{other}")[0] <= QUIET
    assert read(shapes, "browInnerUp")[0] <= QUIET


def test_relaxed_brow_keeps_the_default_level(canonical):
    """The outer end stands in for half the inner head at the relaxed slope: same driver."""
    base = Calibration.default()
    d = solve(project(canonical), IMAGE, IMAGE, base.rest, base.span).drivers
    full = brows.INNER_WEIGHT
    try:
        brows.INNER_WEIGHT = 1.0
        d_old = solve(project(canonical), IMAGE, IMAGE, base.rest, base.span).drivers
    finally:
        brows.INNER_WEIGHT = full
    k = [ARKIT_INDEX["browDownRight"], ARKIT_INDEX["browDownLeft"]]
    # within a sixth of the span (0.06): the canonical face's brow slope is near the median
    assert np.abs(d[k] - d_old[k]).max() < 0.01


def test_fear_eyes_and_brows_read_together(canonical, neutral_calibration):
    """AU1+4+5: the raised upper lids read eyeWide alongside both brow shapes, no squint."""
    points = wide("Right")(wide("Left")(fear_brows(canonical)))
    shapes = shapes_of(points, neutral_calibration)
    assert (read(shapes, "eyeWideLeft", "eyeWideRight") >= 0.5).all()
    assert (read(shapes, "browDownLeft", "browDownRight") >= BOTH_READ).all()
    assert read(shapes, "browInnerUp")[0] >= BOTH_READ
    assert (read(shapes, "eyeSquintLeft", "eyeSquintRight", "eyeBlinkLeft") <= QUIET).all()
