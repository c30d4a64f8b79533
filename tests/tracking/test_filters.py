"""One Euro filter: steady when still, fast for a blink."""

from __future__ import annotations

import numpy as np

from avatarlink.tracking import filters

FPS = 30.0


def run(flt: filters.OneEuroFilter, values: np.ndarray) -> np.ndarray:
    return np.array([flt(v, i / FPS) for i, v in enumerate(values)])


def make(params: filters.OneEuroParams, channels: int = 1) -> filters.OneEuroFilter:
    return filters.OneEuroFilter.from_params([params] * channels)


def test_constant_passes_unchanged():
    out = run(make(filters.MOUTH_BROWS, 3), np.full((20, 3), 0.4))
    np.testing.assert_allclose(out, 0.4)


def test_jitter_is_smoothed():
    """A still face's landmark jitter (here 0.005 per frame) is at least halved."""
    rng = np.random.default_rng(0)
    noisy = 0.3 + rng.normal(0, 0.005, size=(120, 1))
    for params in (filters.EYES, filters.GAZE, filters.MOUTH_BROWS, filters.HEAD):
        out = run(make(params), noisy)
        assert np.diff(out[30:, 0]).std() < 0.5 * np.diff(noisy[30:, 0]).std()


def test_blink_comes_through_within_two_frames():
    """eyeBlink rising from below 0.2 to above 0.8 shows above 0.8 within 2 frames."""
    rng = np.random.default_rng(1)
    blink = np.concatenate([np.full(40, 0.1), np.full(5, 0.9), np.full(20, 0.1)])
    out = run(make(filters.EYES), (blink + rng.normal(0, 0.01, blink.size))[:, None])[:, 0]
    assert out[39] < 0.2
    assert out[41] > 0.8  # frame 40 is the first closed one


def test_channels_are_independent_and_grouped():
    flt = filters.OneEuroFilter.from_params([filters.EYES, filters.EYES, filters.HEAD])
    assert flt.beta.tolist() == [filters.EYES.beta] * 2 + [filters.HEAD.beta]
    steps = np.zeros((10, 3))
    steps[5:, 0] = 1.0
    out = run(flt, steps)
    assert out[-1, 0] > 0.9 and np.allclose(out[:, 1:], 0.0)


def test_reset_forgets_the_past():
    flt = make(filters.HEAD)
    run(flt, np.zeros((5, 1)))
    flt.reset()
    assert flt(np.array([5.0]), 1.0)[0] == 5.0
