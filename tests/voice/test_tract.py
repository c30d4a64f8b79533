"""The VTL (formant-scale) normaliser on synthetic vowels with known formants."""

import numpy as np
import pytest

from avatarlink.voice.lpc import formants
from avatarlink.voice.stream import VoiceParams, VoiceProcessor
from avatarlink.voice.tract import PRIOR_CM, SPEED_OF_SOUND_CM, spacing_hz

RATE = 16000
BANDWIDTHS = (80.0, 90.0, 120.0, 150.0)
UNIFORM_TUBE = (500.0, 1500.0, 2500.0, 3500.0)  # a 17.5 cm uniform tube: spacing 1000 Hz
VOWEL_A = (700.0, 1220.0, 2600.0, 3500.0)


def _vowel(synth, fmts, scale=1.0, f0=120.0, seconds=2.0, rate=RATE):
    scaled = tuple(f * scale for f in fmts)
    return synth(f0, scaled, seconds=seconds, rate=rate, bandwidths=BANDWIDTHS)


def _through(x, params, rate=RATE):
    """The processor's output (delay removed) and its VTL estimate at the end."""
    proc = VoiceProcessor(params, rate)
    y = np.concatenate([proc.process(x), proc.process(np.zeros(proc.latency, np.float32))])
    return y[proc.latency :], proc.speaker_vtl_cm


@pytest.mark.parametrize("rate", [16000, 44100, 48000])
@pytest.mark.parametrize("scale", [0.9, 1.0, 1.2])
def test_tracker_reads_the_length_of_a_uniform_tube(scale, rate, synth):
    x = _vowel(synth, UNIFORM_TUBE, scale, rate=rate)
    _, vtl = _through(x, VoiceParams(vtl_target=16.0), rate)
    assert vtl == pytest.approx(SPEED_OF_SOUND_CM / 2000.0 / scale, rel=0.03)


@pytest.mark.parametrize("fmts", [UNIFORM_TUBE, VOWEL_A], ids=["tube", "a"])
def test_normaliser_moves_differently_scaled_vowels_to_one_scale(fmts, synth, stream, f0_of):
    """A long and a short tract (formants 15 % apart) come out with the same formants.

    The estimate itself is within 1 % (see above); what is left is the formant
    warp's own accuracy on a 100 Hz voice, whose harmonics sample F1 sparsely.
    """
    params = VoiceParams(vtl_target=16.0)
    before, after = [], []
    for scale in (1.0, 1.15):
        x = _vowel(synth, fmts, scale, f0=100.0)  # a whole-sample period: no subharmonic
        y = stream(x, params)
        before.append(formants(x[RATE:], RATE)[:3])
        after.append(formants(y[RATE:], RATE)[:3])
        assert f0_of(y) == pytest.approx(f0_of(x), rel=0.01)  # pitch is left alone
    assert np.exp(np.log(before[1] / before[0]).mean()) == pytest.approx(1.15, rel=0.01)
    ratio = after[1] / after[0]
    assert np.exp(np.log(ratio).mean()) == pytest.approx(1.0, abs=0.035)
    np.testing.assert_allclose(ratio, 1.0, atol=0.05)


def test_a_uniform_tube_reaches_the_target_spacing(synth, stream):
    target = 15.0  # cm: spacing 1167 Hz, formants 583, 1750, 2917 Hz
    y = stream(_vowel(synth, UNIFORM_TUBE), VoiceParams(vtl_target=target))
    got = formants(y[RATE:], RATE)[:3] / (np.arange(3) + 0.5)
    np.testing.assert_allclose(got / spacing_hz(target), 1.0, atol=0.04)


def test_vtl_and_f0_normalisers_work_together(synth, stream, f0_of):
    x = _vowel(synth, UNIFORM_TUBE, f0=100.0)
    y = stream(x, VoiceParams(f0_target=150.0, vtl_target=15.0))
    assert f0_of(y[RATE:]) == pytest.approx(150.0, rel=0.03)
    got = formants(y[RATE:], RATE)[:3] / (np.arange(3) + 0.5)
    np.testing.assert_allclose(got / spacing_hz(15.0), 1.0, atol=0.05)


def test_unvoiced_input_leaves_the_estimate_at_its_prior():
    noise = np.random.default_rng(0).standard_normal(RATE).astype(np.float32) * 0.1
    _, vtl = _through(noise, VoiceParams(vtl_target=16.0))
    assert vtl == pytest.approx(PRIOR_CM)


@pytest.mark.parametrize("block", [1, 77, 160, 1000])
def test_vtl_normalised_output_does_not_depend_on_block_size(block, synth, stream):
    params = VoiceParams(f0_target=140.0, formant_follow=0.15, vtl_target=15.5, equalise=1.0)
    x = synth(np.linspace(100.0, 240.0, RATE), VOWEL_A, bandwidths=BANDWIDTHS)
    np.testing.assert_allclose(stream(x, params, block=block), stream(x, params), atol=1e-6)


@pytest.mark.parametrize("rate", [8000, 16000, 44100, 48000])
def test_vtl_normaliser_latency_is_at_most_40_ms(rate):
    for params in (VoiceParams(vtl_target=16.0), VoiceParams(4.0, vtl_target=16.0)):
        proc = VoiceProcessor(params, rate)
        assert proc.latency <= proc.max_latency <= 0.040 * rate


def test_vtl_normalisation_has_no_inverse_and_bad_targets_are_refused():
    params = VoiceParams(3.0, vtl_target=16.0)
    assert params.inverse() == VoiceParams(-3.0)
    assert VoiceProcessor(VoiceParams(), RATE).speaker_vtl_cm is None
    with pytest.raises(ValueError):
        VoiceParams(vtl_target=5.0)
