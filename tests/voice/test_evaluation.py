"""The evaluation the audit calls, on the real LibriSpeech / LibriVox data (small subsets)."""

import numpy as np
import pytest

from avatarlink.voice import evaluation as ev
from avatarlink.voice.presets import Preset
from avatarlink.voice.stream import VoiceParams


def test_speaker_verification_figures_on_a_subset(speech_dir):
    r = ev.speaker_verification(
        speech_dir, "anonymous", attackers=("ignorant", "inverse"), max_speakers=2, max_utterances=2
    )
    assert r["utterances"] == 4 and r["genuine_trials"] == 4 and r["impostor_trials"] == 8
    assert r["eer_original"] <= 25.0  # resemblyzer tells these two speakers apart
    for key in ("eer_ignorant", "eer_inverse"):
        assert 0.0 <= r[key] <= 100.0
    assert "eer_lazy" not in r
    assert 0.0 < r["cpu_per_audio_second"] < 5.0


def test_anonymised_speech_is_further_from_its_speaker(speech_dir):
    utts = ev.load_speech(speech_dir, max_speakers=1, max_utterances=2)
    a, b = utts
    enrol = ev.embed(a.audio, a.sample_rate)
    plain = float(enrol @ ev.embed(b.audio, b.sample_rate))
    shifted = ev.ours(b.audio, b.sample_rate, ev.get_preset("anonymous").draw(3))
    assert float(enrol @ ev.embed(shifted, b.sample_rate)) < plain


def test_pitch_of_real_speech_moves_by_the_requested_interval(male_utterance):
    audio, rate = male_utterance
    out = ev.ours(audio, rate, VoiceParams(4.0))
    a, b = ev.f0_contour(audio, rate), ev.f0_contour(out, rate)
    n = min(a.size, b.size)
    voiced = (a[:n] > 0) & (b[:n] > 0)
    assert np.median(b[:n][voiced] / a[:n][voiced]) == pytest.approx(2 ** (4 / 12), rel=0.03)
    # Praat finds sub-octaves in some shifted frames: r is 0.7-0.9 on real speech
    assert ev.f0_correlation(audio, out, rate) > 0.65


def test_prosody_and_intelligibility_on_a_subset(speech_dir, shared_data):
    p = ev.prosody(speech_dir, "deeper", max_speakers=1, max_utterances=2)
    assert p["utterances"] == 2 and p["f0_correlation_mean"] > 0.8
    mild = Preset("mild", "a fixed, mild shift", semitones=(2.0, 2.0), formant_ratio=(1.08, 1.08))
    w = ev.intelligibility(shared_data / "speech_transcribed", mild, max_clips=1)
    assert w["clips"] == 1
    assert w["wer_original"] < 50.0  # pocketsphinx understands the clip at all
    assert w["wer_anonymised"] <= w["wer_original"] + 20.0


def test_a_clip_decodes_to_the_same_words_whatever_was_decoded_before(shared_data):
    # A cached decoder carried its cepstral mean from clip to clip: this anonymised
    # clip, decoded after its original as intelligibility() does, lost "due to four".
    import soundfile as sf

    wav = sorted((shared_data / "speech_transcribed").glob("*.wav"))[0]
    audio, rate = sf.read(str(wav), dtype="float32")
    shifted = ev.ours(audio, rate, ev.get_preset("anonymous").draw(2926792190))
    alone = ev.transcribe(shifted, rate)
    ev.transcribe(audio, rate)
    assert ev.transcribe(shifted, rate) == alone


def test_peers_get_a_fixed_shift_for_the_same_session():
    from avatarlink.voice.formant import FormantWarp

    fixed = VoiceParams(3.0, FormantWarp(ratio=1.1))
    assert ev.peer_shift(120.0, fixed) == pytest.approx((2 ** (3 / 12), 1.1))
    # a normalising session: from the utterance's median to the target, then away
    # from the speaker's register, within the engine's ±8 semitones
    away = VoiceParams(f0_target=150.0, register_semitones=3.0, register_formant=1.06)
    assert ev.peer_shift(120.0, away) == pytest.approx((150 / 120 * 2 ** (3 / 12), 1.06))
    assert ev.peer_shift(240.0, away) == pytest.approx((2 ** (-8 / 12), 1 / 1.06))
    towards = VoiceParams(f0_target=150.0, register_semitones=-3.0, register_formant=1.06)
    assert ev.peer_shift(120.0, towards) == pytest.approx((150 / 120 * 2 ** (-3 / 12), 1 / 1.06))
    assert ev.peer_shift(0.0, away) == (1.0, 1.0)  # no voicing found: nothing to shift


@pytest.mark.parametrize("peer", ["praat-change-gender", "pyworld-warp"])
def test_each_peer_moves_a_low_voice_up_as_the_session_asks(peer, synth, f0_of):
    x = synth(120.0, (600.0, 1700.0, 2700.0), seconds=1.5)
    away = VoiceParams(f0_target=150.0, register_semitones=3.0, register_formant=1.06)
    out = ev.PEERS[peer](x, 16000, away)
    assert f0_of(out) == pytest.approx(150 * 2 ** (3 / 12), rel=0.04)


@pytest.mark.parametrize(("hz", "semitones"), [(200.0, -8.0), (110.0, 8.0)])
def test_register_attacker_shifts_back_the_way_the_voice_came(hz, semitones, synth):
    undo = ev.undo_register(synth(hz, (600.0, 1700.0, 2700.0)), 16000, ev.get_preset("anonymous"))
    assert undo.semitones == semitones  # a high output came up from a low voice, and back
    assert (undo.formant.ratio < 1.0) == (semitones < 0)  # formants by the range's midpoint


def test_register_attacker_runs_only_where_the_design_has_a_register(speech_dir):
    subset = {"attackers": ("register",), "max_speakers": 2, "max_utterances": 2}
    assert 0.0 <= ev.speaker_verification(speech_dir, "anonymous", **subset)["eer_register"] <= 100
    assert "eer_register" not in ev.speaker_verification(speech_dir, "brighter", **subset)
