import numpy as np
import pytest
from scipy.signal import lfilter

from avatarlink.voice.lpc import formants, levinson, lpc


def test_levinson_recovers_a_known_all_pole_filter():
    a_true = np.array([1.0, -1.2, 0.8, -0.3])
    x = lfilter([1.0], a_true, np.random.default_rng(0).standard_normal(200_000))
    a = lpc(x[None, :], 3)[0]
    np.testing.assert_allclose(a, a_true, atol=0.02)


def test_levinson_is_vectorised_over_frames_and_stable_on_silence():
    rng = np.random.default_rng(1)
    frames = np.vstack([rng.standard_normal(320), np.zeros(320), rng.standard_normal(320)])
    a = lpc(frames * np.hanning(320), 18)
    assert a.shape == (3, 19)
    assert np.all(np.abs(np.roots(a[0])) < 1) and np.all(np.abs(np.roots(a[1])) < 1)
    single = levinson(np.atleast_2d(np.correlate(frames[2], frames[2], "full")[319:339]), 18)
    assert single.shape == (1, 19)


@pytest.mark.parametrize("vowel", ["a", "i", "o", "e"])
def test_formants_of_a_synthetic_vowel(vowel, vowels, synth):
    x = synth(100.0, vowels[vowel])
    found = formants(x[4000:12000], 16000)
    for f in vowels[vowel]:
        assert np.min(np.abs(found - f)) / f < 0.08
