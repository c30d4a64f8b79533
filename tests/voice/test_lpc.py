import numpy as np
import pytest
from scipy.signal import lfilter

from avatarlink.voice import lpc as lpc_module
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


def test_levinson_gives_the_same_polynomials_without_scipys_private_solver(monkeypatch):
    rng = np.random.default_rng(2)
    frames = rng.standard_normal((4, 320)) * np.hanning(320)
    direct = lpc(frames, 18)
    assert lpc_module._toeplitz_levinson is not None  # this SciPy has it: the fast path ran
    monkeypatch.setattr(lpc_module, "_toeplitz_levinson", None)
    np.testing.assert_allclose(lpc(frames, 18), direct, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("vowel", ["a", "i", "o", "e"])
def test_formants_of_a_synthetic_vowel(vowel, vowels, synth):
    x = synth(100.0, vowels[vowel])
    found = formants(x[4000:12000], 16000)
    for f in vowels[vowel]:
        assert np.min(np.abs(found - f)) / f < 0.08
