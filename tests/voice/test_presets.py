import numpy as np
import pytest

from avatarlink.voice.formant import FormantWarp
from avatarlink.voice.presets import PRESETS, get_preset, session_params
from avatarlink.voice.stream import VoiceParams


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_each_session_draws_within_the_preset_range(name):
    preset = PRESETS[name]
    draws = [preset.draw(seed) for seed in range(200)]
    semis = np.array([d.semitones for d in draws])
    drawn = {d.f0_target for d in draws} if preset.f0_target else {d.semitones for d in draws}
    assert len(drawn) == 200  # a real draw, not a fixed setting
    if preset.f0_target:  # the pitch shift moves the drawn target instead
        assert not semis.any()
        targets = np.array([d.f0_target for d in draws])
        if preset.away:  # the target itself; the engine shifts from it, up or down
            assert np.all((targets >= preset.f0_target[0]) & (targets <= preset.f0_target[1]))
            away = np.abs([d.register_semitones for d in draws])
            assert np.all((away >= preset.semitones[0]) & (away <= preset.semitones[1]))
            targets = targets * 2.0 ** (np.array([d.register_semitones for d in draws]) / 12)
        up = 2.0 ** (np.array(preset.semitones) / 12)
        within = (targets >= preset.f0_target[0] * up[0]) & (targets <= preset.f0_target[1] * up[1])
        if preset.either_direction:
            below = (targets >= preset.f0_target[0] / up[1]) & (
                targets <= preset.f0_target[1] / up[0]
            )
            within |= below
        assert within.all()
        assert all(d.normalises_f0 and d.inverse().semitones == 0.0 for d in draws)
    else:
        if preset.either_direction:
            semis = np.abs(semis)
        assert np.all((semis >= preset.semitones[0]) & (semis <= preset.semitones[1]))
    if preset.vtl_target:
        assert all(preset.vtl_target[0] <= d.vtl_target <= preset.vtl_target[1] for d in draws)
        assert all(d.inverse().vtl_target is None for d in draws)
    if preset.formant_ratio:
        lo, hi = preset.formant_ratio
        ratios = np.array([d.register_formant if preset.away else d.formant.ratio for d in draws])
        inside = ((ratios >= lo) & (ratios <= hi)) | ((1 / ratios >= lo) & (1 / ratios <= hi))
        assert inside.all()


def test_seed_makes_a_session_repeatable_and_none_does_not():
    assert session_params("anonymous", seed=7) == session_params("anonymous", seed=7)
    assert session_params("anonymous", seed=7) != session_params("anonymous", seed=8)
    assert session_params("anonymous") != session_params("anonymous")


def test_anonymous_mostly_goes_away_from_the_speakers_register_and_its_midpoint_is_plain():
    preset = PRESETS["anonymous"]
    draws = [preset.draw(s) for s in range(200)]
    away = sum(d.register_semitones > 0 for d in draws)
    assert 0.9 * 200 < away < 200  # towards it sometimes: sessions of one voice differ
    for d in draws:  # pitch and formants move together, so the voice stays natural
        assert d.formant == FormantWarp() and d.register_formant > 1.0
        assert d.normalises_f0 and d.normalises_vtl  # shifted from a normalised voice
    assert preset.midpoint() == VoiceParams()


def test_unknown_preset_names_the_choices():
    with pytest.raises(ValueError, match="anonymous"):
        get_preset("robot")


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_equalises_with_a_per_session_tilt_and_its_midpoint_does_not(name):
    preset = PRESETS[name]
    tilts = np.array([preset.draw(seed).tilt for seed in range(50)])
    assert all(preset.draw(seed).equalise == 1.0 for seed in range(5))
    assert np.all((tilts >= preset.tilt[0]) & (tilts <= preset.tilt[1])) and np.ptp(tilts) > 1.0
    assert preset.midpoint().equalise == 0.0  # the equaliser has no inverse to apply


@pytest.mark.parametrize("speaker_hz", [95.0, 200.0])
def test_deeper_sets_a_deep_level_so_a_deep_voice_is_not_pushed_into_a_growl(
    speaker_hz, synth, stream, f0_of
):
    params = session_params("deeper", seed=3)
    assert 90.0 <= params.f0_target <= 105.0 and params.formant.ratio < 1.0
    x = synth(speaker_hz, (600.0, 1700.0, 2700.0), seconds=3.0)
    out = f0_of(stream(x, params)[16000:])  # after the first second: the running mean settles
    if speaker_hz < 100.0:  # already deep: kept near the drawn level, not shifted lower
        assert out == pytest.approx(params.f0_target, rel=0.06)
    else:  # a high voice comes down as far as the engine's shift limit allows
        assert out < speaker_hz * 2 ** (-7 / 12)
