"""Auto-neutral: only the mouth's opening is learned; everything else stays absolute."""

from __future__ import annotations

import numpy as np

from avatarlink.tracking.neutral import LEARNED, MAX_SHIFT_SPANS, MIN_FRAMES, AutoNeutral
from avatarlink.tracking.solver import DRIVER_INDEX, DRIVER_NAMES
from avatarlink.tracking.solver.defaults import DEFAULT_REST, DEFAULT_SPAN


def test_mouth_opening_rest_is_learned_from_a_closed_mouth():
    neutral = AutoNeutral()
    rng = np.random.default_rng(0)
    lips = DRIVER_INDEX["lipGap"]
    for i in range(90):
        d = DEFAULT_REST.copy()
        # thick lips: a little open even at rest, and talking half of the time
        d[lips] += DEFAULT_SPAN[lips] * (
            1.0 + (2.0 if i % 2 else 0.0) + 0.05 * rng.standard_normal()
        )
        rest = neutral.update(d)
    assert abs(rest[lips] - (DEFAULT_REST[lips] + DEFAULT_SPAN[lips])) < 0.2 * DEFAULT_SPAN[lips]


def test_other_rests_stay_absolute():
    """Raised brows, narrow eyes or a downward look held for long still read as such."""
    neutral = AutoNeutral()
    d = DEFAULT_REST + 2.0 * DEFAULT_SPAN
    for _ in range(4 * MIN_FRAMES):
        rest = neutral.update(d)
    absolute = [i for i, n in enumerate(DRIVER_NAMES) if n not in LEARNED]
    np.testing.assert_array_equal(rest[absolute], DEFAULT_REST[absolute])


def test_a_long_yawn_is_not_learned_as_neutral_and_reset_forgets():
    neutral = AutoNeutral()
    jaw = DRIVER_INDEX["jawOpen"]
    d = DEFAULT_REST.copy()
    d[jaw] += 10 * DEFAULT_SPAN[jaw]
    for _ in range(4 * MIN_FRAMES):
        rest = neutral.update(d)
    assert rest[jaw] <= DEFAULT_REST[jaw] + MAX_SHIFT_SPANS * DEFAULT_SPAN[jaw] + 1e-9
    neutral.reset()
    np.testing.assert_array_equal(neutral.rest, DEFAULT_REST)


def test_upper_lid_rest_is_the_median():
    """eyeWide moves both ways from rest (lids up and down), so its rest is the median."""
    neutral = AutoNeutral()
    wide = DRIVER_INDEX["eyeWideLeft"]
    for i in range(90):
        d = DEFAULT_REST.copy()
        d[wide] += DEFAULT_SPAN[wide] * (1.0 if i % 3 else -1.0)
        rest = neutral.update(d)
    assert abs(rest[wide] - (DEFAULT_REST[wide] + DEFAULT_SPAN[wide])) < 1e-9
