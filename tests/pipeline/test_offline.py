"""`avatarlink render` on a shared-data clip, through the installed command."""

from __future__ import annotations

import numpy as np
import pytest

from avatarlink.pipeline.audio import SAMPLE_RATE, extract_audio

from .conftest import count_frames, gray_small, has_audio, ncc, read_video, run_cli

CLIP = "liveportrait_d18.mp4"  # 216 frames at 30 fps, with a (silent) sound track
VOICE_CLIP = "retalking_face2.mp4"  # 125 frames at 25 fps, speech


@pytest.fixture(scope="module")
def render_result(shared_data, tmp_path_factory):
    src = shared_data / "video" / CLIP
    out = tmp_path_factory.mktemp("render") / "anon.mp4"
    proc = run_cli("render", str(src), "-o", str(out), "--size", "240x240", "--quiet")
    return src, out, proc


def test_render_keeps_frame_count_and_rate(render_result):
    src, out, proc = render_result
    assert proc.returncode == 0, proc.stderr
    assert str(out) in proc.stdout
    _, src_fps = read_video(src)
    frames, fps = read_video(out)
    assert len(frames) == count_frames(out) == count_frames(src)
    assert fps == pytest.approx(src_fps)
    assert frames[0].shape == (240, 240, 3)


def test_render_drops_the_sound(render_result):
    src, out, _ = render_result
    assert has_audio(src)
    assert not has_audio(out)


def test_no_rendered_frame_resembles_its_input(render_result):
    src, out, _ = render_result
    inputs, _ = read_video(src)
    outputs, _ = read_video(out)
    pairs = zip(outputs, inputs, strict=True)
    corr = np.array([ncc(gray_small(o), gray_small(i)) for o, i in pairs])
    assert corr.max() < 0.5
    # and the character moves with the person: the output is not a still picture
    first = outputs[0].astype(np.float64)
    assert max(np.abs(o.astype(np.float64) - first).mean() for o in outputs[::10]) > 0.5


def test_voice_replaces_the_sound_and_never_copies_it(shared_data, tmp_path):
    src = shared_data / "video" / VOICE_CLIP
    out = tmp_path / "voiced.mp4"
    proc = run_cli("render", str(src), "-o", str(out), "--size", "96x96", "--quiet",
                   "--voice", "deeper", "--seed", "1")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert has_audio(out)
    original = extract_audio(src)
    changed = extract_audio(out)
    frames, fps = read_video(out)
    assert abs(len(changed) / SAMPLE_RATE - len(frames) / fps) < 0.1
    assert np.sqrt(np.mean(changed**2)) > 0.1 * np.sqrt(np.mean(original**2))  # not silence
    # no lag makes the output match the original voice (the AAC codec keeps a copy near 1)
    n = min(len(original), len(changed))
    a, b = original[:n], changed[:n]
    spec = np.fft.rfft(a, 2 * n) * np.conj(np.fft.rfft(b, 2 * n))
    xcorr = np.fft.irfft(spec)
    peak = np.abs(xcorr).max() / (np.linalg.norm(a) * np.linalg.norm(b))
    assert peak < 0.5


def test_unknown_voice_preset_is_one_line_before_rendering(shared_data, tmp_path):
    src = shared_data / "video" / CLIP
    proc = run_cli("render", str(src), "-o", str(tmp_path / "v.mp4"), "--voice", "nope")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "nope" in proc.stderr
    assert not (tmp_path / "v.mp4").exists()
