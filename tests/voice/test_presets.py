import numpy as np
import pytest

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
        ratios = np.array([d.formant.ratio for d in draws])
        inside = ((ratios >= lo) & (ratios <= hi)) | ((1 / ratios >= lo) & (1 / ratios <= hi))
        assert inside.all()


def test_seed_makes_a_session_repeatable_and_none_does_not():
    assert session_params("anonymous", seed=7) == session_params("anonymous", seed=7)
    assert session_params("anonymous", seed=7) != session_params("anonymous", seed=8)
    assert session_params("anonymous") != session_params("anonymous")


def test_anonymous_goes_both_ways_so_its_midpoint_is_the_plain_voice():
    preset = PRESETS["anonymous"]
    draws = [preset.draw(s) for s in range(100)]
    ups = sum(d.f0_target > preset.f0_target[1] for d in draws)
    assert 25 < ups < 75
    for d in draws:  # pitch and formants move together, so the voice stays natural
        assert (d.f0_target > preset.f0_target[1]) == (d.formant.ratio > 1)
        assert (d.f0_target < preset.f0_target[0]) == (d.formant.ratio < 1)
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
