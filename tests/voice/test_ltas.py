"""The long-term spectrum equaliser: target reached, phonetic detail and level kept, streamable."""

import numpy as np
import pytest

from avatarlink.voice.formant import FormantWarp
from avatarlink.voice.lpc import formants
from avatarlink.voice.ltas import LOW_HZ, band_weights, target_db
from avatarlink.voice.offline import process_array
from avatarlink.voice.stream import VoiceParams

RATE = 16000
EQ = VoiceParams(equalise=1.0)


@pytest.mark.parametrize("rate", [8000, 16000, 48000])
def test_bands_are_a_partition_of_unity(rate):
    w = band_weights(rate, 2048)
    np.testing.assert_allclose(w.sum(axis=0), 1.0, atol=1e-12)
    assert w.shape[0] >= 15


def _band_db(x: np.ndarray, rate: int = RATE) -> tuple[np.ndarray, np.ndarray]:
    """Long-term band levels (dB per Hz, mean removed) and band centres, by Welch averaging."""
    from scipy.signal import welch

    hz, psd = welch(x, rate, nperseg=1024)
    w = band_weights(rate, 1024)
    avg = w / w.sum(axis=1, keepdims=True)
    centres = avg @ hz
    level = 10 * np.log10(avg @ psd + 1e-30)
    keep = (centres > 200) & (centres < 5000)
    return level[keep] - level[keep].mean(), centres[keep]


@pytest.mark.parametrize("tilt", [0.0, 3.0])
def test_a_coloured_voice_ends_up_with_the_target_spectrum_shape(tilt):
    # a voice 6 dB per octave brighter than the standard one, with a bump at 1.5-3 kHz
    spec = np.fft.rfft(np.random.default_rng(1).standard_normal(8 * RATE))
    hz = np.fft.rfftfreq(8 * RATE, 1 / RATE)
    colour_db = target_db(hz, 6.0) + 8.0 * ((hz > 1500) & (hz < 3000))
    coloured = np.fft.irfft(spec * 10 ** (colour_db / 20), 8 * RATE)
    coloured = (0.1 * coloured / coloured.std()).astype(np.float32)
    y = process_array(coloured, RATE, VoiceParams(equalise=1.0, tilt=tilt))
    before, centres = _band_db(coloured[4 * RATE :])
    after, _ = _band_db(y[4 * RATE :])
    goal = target_db(centres, tilt)
    goal -= goal.mean()
    assert np.sqrt(np.mean((before - goal) ** 2)) > 5.0
    assert np.sqrt(np.mean((after - goal) ** 2)) < 2.0
    level = 20 * np.log10(y[4 * RATE :].std() / coloured[4 * RATE :].std())
    assert abs(level) < 1.0  # loudness stays the speaker's


def test_vowels_keep_their_formant_pattern(vowels, synth, stream):
    # phones in turn, as in speech: a single vowel held for seconds *is* a long-term spectrum
    seg = int(0.3 * RATE)
    order = list(vowels.values()) * 5
    x = np.concatenate([synth(110.0, f, seconds=0.3) for f in order])
    y = stream(x, EQ)
    for i in range(len(order) - len(vowels), len(order)):
        after = formants(y[i * seg + 800 : (i + 1) * seg - 800], RATE)
        for f in order[i]:
            assert np.min(np.abs(after - f)) / f < 0.08


@pytest.mark.parametrize("block", [1, 37, 160, 1000, 4096])
def test_equalised_output_does_not_depend_on_block_size(block, synth, stream):
    params = VoiceParams(3.0, FormantWarp(ratio=1.1), equalise=1.0, tilt=-2.0)
    glide = synth(np.linspace(100.0, 220.0, 2 * RATE), (700.0, 1220.0, 2600.0), seconds=2.0)
    np.testing.assert_allclose(stream(glide, params, block=block), stream(glide, params), atol=1e-6)
    np.testing.assert_allclose(process_array(glide, RATE, params), stream(glide, params), atol=1e-6)


def test_below_the_lowest_band_nothing_is_boosted():
    hum = np.sin(2 * np.pi * 50.0 * np.arange(4 * RATE) / RATE).astype(np.float32) * 0.01
    speechy = np.random.default_rng(2).standard_normal(4 * RATE).astype(np.float32) * 0.05
    y = process_array(hum + speechy, RATE, EQ)
    spec_in = np.abs(np.fft.rfft(hum + speechy))
    spec_out = np.abs(np.fft.rfft(y))
    k = int(50.0 * hum.size / RATE)
    assert 50.0 < LOW_HZ
    assert spec_out[k] < 1.5 * spec_in[k]


def test_strength_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError):
        VoiceParams(equalise=1.5)
