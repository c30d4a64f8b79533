import numpy as np
import pytest

from avatarlink.voice.formant import FormantWarp
from avatarlink.voice.lpc import formants
from avatarlink.voice.stream import MAX_SEMITONES, VoiceParams, VoiceProcessor

RATE = 16000
SHIFTED = VoiceParams(4.0, FormantWarp(ratio=1.15))


def test_unchanged_settings_give_the_input_back_delayed_by_the_latency():
    x = np.random.default_rng(0).standard_normal(RATE).astype(np.float32) * 0.1
    proc = VoiceProcessor(VoiceParams(), RATE)
    y = np.concatenate([proc.process(x), proc.process(np.zeros(proc.latency))])
    lag = int(np.argmax(np.correlate(y, x, "full"))) - (x.size - 1)
    assert lag == proc.latency
    np.testing.assert_allclose(y[lag : lag + x.size], x, atol=1e-5)


@pytest.mark.parametrize("rate", [8000, 16000, 44100, 48000])
@pytest.mark.parametrize("semitones", [-MAX_SEMITONES, -5.0, 0.0, 5.0, MAX_SEMITONES])
def test_algorithmic_latency_is_at_most_40_ms(rate, semitones):
    proc = VoiceProcessor(VoiceParams(semitones, FormantWarp(alpha=0.8)), rate)
    assert proc.latency <= proc.max_latency <= 0.040 * rate


@pytest.mark.parametrize("block", [1, 17, 64, 160, 441, 1000, 4096])
def test_output_does_not_depend_on_block_size(block, synth, stream):
    glide = synth(np.linspace(100.0, 220.0, RATE), (700.0, 1220.0, 2600.0))
    whole = stream(glide, SHIFTED)
    np.testing.assert_allclose(stream(glide, SHIFTED, block=block), whole, atol=1e-6)


@pytest.mark.parametrize("block", [32, 100, 333])
def test_no_clicks_or_level_jumps_at_block_boundaries(block, synth, stream):
    vowel = synth(130.0, (600.0, 1700.0, 2700.0), seconds=1.5)
    y = stream(vowel, SHIFTED, block=block)[2000:-2000]
    # a click is a sample step far beyond the signal's own largest step
    steps = np.abs(np.diff(y))
    edges = np.arange(block - 2000 % block, y.size - 1, block)
    assert steps[edges].max() <= 1.05 * steps.max()
    assert steps.max() < 4 * np.abs(np.diff(vowel)).max()
    # level: 10 ms RMS of a steady vowel stays within ±2 dB of its median
    rms = np.sqrt((y[: y.size // 160 * 160].reshape(-1, 160) ** 2).mean(axis=1))
    level = 20 * np.log10(rms / np.median(rms))
    assert np.abs(level).max() < 2.0


@pytest.mark.parametrize("semitones", [-5.0, -3.0, 3.0, 5.0])
@pytest.mark.parametrize("f0", [110.0, 210.0])
def test_pitch_shift_reaches_the_requested_pitch_with_formants_kept(
    semitones, f0, synth, stream, f0_of
):
    fmts = (700.0, 1220.0, 2600.0)
    x = synth(f0, fmts)
    y = stream(x, VoiceParams(semitones))
    assert f0_of(y) / f0_of(x) == pytest.approx(2 ** (semitones / 12), rel=0.02)
    if f0 < 150:  # above that, harmonics sample the envelope too sparsely to measure
        after = formants(y[4000:12000], RATE)
        for f in fmts:  # formants stay where they were synthesised
            assert np.min(np.abs(after - f)) / f < 0.08


def _formant_ratio(x, y, expected):
    """Geometric mean over F1..F3 of (output formant nearest the target / input formant)."""
    before, after = formants(x[4000:12000], RATE)[:3], formants(y[4000:12000], RATE)
    found = np.array([after[np.argmin(np.abs(after - f * expected))] / f for f in before])
    return float(np.exp(np.log(found).mean())), found


@pytest.mark.parametrize("ratio", [0.85, 0.9, 1.1, 1.2])
@pytest.mark.parametrize("vowel", ["a", "e", "o"])
def test_formant_shift_reaches_the_requested_ratio_with_pitch_kept(
    ratio, vowel, vowels, synth, stream, f0_of
):
    x = synth(100.0, vowels[vowel])
    y = stream(x, VoiceParams(0.0, FormantWarp(ratio=ratio)))
    mean, each = _formant_ratio(x, y, ratio)
    assert mean == pytest.approx(ratio, rel=0.05)
    assert np.all(np.abs(each / ratio - 1) < 0.08)
    assert f0_of(y) == pytest.approx(f0_of(x), rel=0.01)


@pytest.mark.parametrize(("semitones", "ratio"), [(4.0, 0.9), (-3.0, 1.1), (-4.0, 0.88)])
def test_pitch_and_formants_shift_independently_together(semitones, ratio, synth, stream, f0_of):
    x = synth(120.0, (600.0, 1700.0, 2700.0))
    y = stream(x, VoiceParams(semitones, FormantWarp(ratio=ratio)))
    assert f0_of(y) / f0_of(x) == pytest.approx(2 ** (semitones / 12), rel=0.02)
    assert _formant_ratio(x, y, ratio)[0] == pytest.approx(ratio, rel=0.05)


def test_pitch_glide_is_followed(synth, stream):
    import parselmouth

    from avatarlink.metrics import pearson

    contour = 120.0 + 40.0 * np.sin(2 * np.pi * 1.5 * np.arange(2 * RATE) / RATE)
    x = synth(contour, (700.0, 1220.0, 2600.0), seconds=2.0)
    y = stream(x, VoiceParams(-4.0, FormantWarp(ratio=0.9)))

    def track(s):
        p = parselmouth.Sound(s.astype(np.float64), RATE).to_pitch(0.01, 50, 500)
        return p.selected_array["frequency"]

    a, b = track(x), track(y)
    voiced = (a > 0) & (b > 0)
    assert voiced.mean() > 0.9
    assert pearson(a[voiced], b[voiced]) > 0.98
    assert np.median(b[voiced] / a[voiced]) == pytest.approx(2 ** (-4 / 12), rel=0.02)


def test_mcadams_warp_moves_formants_as_the_pole_angle_formula_says(synth, stream):
    warp = FormantWarp(alpha=0.85)
    x = synth(100.0, (700.0, 1220.0, 2600.0))
    y = stream(x, VoiceParams(0.0, warp))
    before, after = formants(x[4000:12000], RATE)[:3], formants(y[4000:12000], RATE)
    for f in before:
        target = float(warp.output_hz(f))
        assert np.min(np.abs(after - target)) / target < 0.06


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError):
        VoiceParams(MAX_SEMITONES + 1)
    with pytest.raises(ValueError):
        FormantWarp(ratio=3.0)
    with pytest.raises(ValueError):
        VoiceProcessor(VoiceParams(), 4000)
