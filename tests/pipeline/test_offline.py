"""`avatarlink render` on a shared-data clip, through the installed command."""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import count_frames, gray_small, has_audio, ncc, read_video, run_cli

CLIP = "liveportrait_d18.mp4"  # 216 frames at 30 fps, with sound


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
