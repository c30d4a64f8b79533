"""The outputs on their own: video file, virtual camera, and the window under Xvfb."""

from __future__ import annotations

import os
import subprocess
import time

import numpy as np
import pytest

from avatarlink.errors import UserError
from avatarlink.pipeline.sinks.video import RealTimeRecorder, VideoWriter, check_writable
from avatarlink.pipeline.sinks.virtualcam import NO_BACKEND, VirtualCameraSink
from avatarlink.pipeline.sinks.window import WINDOW_TITLE, WindowSink, check_display

from .conftest import count_frames, has_audio, read_video, screenshot, window_geometry


def _pattern(w: int, h: int, k: int) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w]
    img = np.zeros((h, w, 3), np.uint8)
    img[..., 0] = (x * 255 // w + 40 * k) % 256
    img[..., 1] = y * 255 // h
    img[..., 2] = 128
    return img


def test_video_writer_keeps_count_rate_and_size_and_has_no_sound(tmp_path):
    out = tmp_path / "clip.mp4"
    writer = VideoWriter(out, (96, 64), 29.97)
    for k in range(37):
        writer.write(_pattern(96, 64, k))
    writer.close()
    frames, fps = read_video(out)
    assert len(frames) == count_frames(out) == 37
    assert fps == pytest.approx(29.97, abs=0.01)
    assert frames[0].shape == (64, 96, 3)
    assert np.abs(frames[5].astype(int) - _pattern(96, 64, 5)).mean() < 6  # real pixels, in order
    assert not has_audio(out)


def test_real_time_recorder_fills_gaps_so_the_file_keeps_wall_time(tmp_path):
    out = tmp_path / "live.mp4"
    rec = RealTimeRecorder(out, (32, 32), 20.0)
    start = time.perf_counter()
    for k in range(4):
        rec.write(_pattern(32, 32, k))
        time.sleep(0.15)  # a slow source: 4 images over about 0.6 s
    elapsed = time.perf_counter() - start - 0.15
    rec.close()
    n = count_frames(out)
    assert n >= 4
    assert abs(n - (elapsed * 20.0 + 1)) <= 3


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p / "missing" / "out.mp4", "does not exist"),
        (lambda p: p, "is a folder"),
        (lambda p: (p / "file.txt").write_text("x") and p / "file.txt" / "out.mp4", "not exist"),
    ],
)
def test_unwritable_paths_are_one_clear_error(tmp_path, make, words):
    with pytest.raises(UserError, match=words):
        check_writable(make(tmp_path))


def test_virtual_camera_works_or_says_what_to_install():
    try:
        cam = VirtualCameraSink((64, 48), 30.0)
    except UserError as exc:
        assert str(exc) == NO_BACKEND
        assert "v4l2loopback" in str(exc) or "OBS" in str(exc)
        return
    try:  # a machine with a loopback device: frames must go through
        cam.write(_pattern(64, 48, 0))
    finally:
        cam.close()


def test_headless_window_is_one_clear_error(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(UserError, match="no display"):
        check_display()
    monkeypatch.setenv("DISPLAY", ":4242")
    with pytest.raises(UserError, match="cannot be reached"):
        check_display()


def test_window_shows_exactly_the_image_and_answers_keys(xdisplay, monkeypatch):
    monkeypatch.setenv("DISPLAY", xdisplay)
    image = _pattern(160, 120, 3)
    window = WindowSink((160, 120))
    try:
        # a loaded machine may take a while to map and paint the window: keep
        # showing the picture and look again, up to a few seconds
        deadline = time.monotonic() + 10.0
        shown = False
        while not shown and time.monotonic() < deadline:
            window.write(image)
            for _ in range(10):  # let Qt handle the repaint before looking
                assert window.poll() is None
                time.sleep(0.01)
            try:
                x, y, w, h = window_geometry(xdisplay)
            except subprocess.CalledProcessError:  # not mapped yet
                continue
            shot = screenshot(xdisplay)[y : y + h, x : x + w]
            shown = (w, h) == (160, 120) and np.array_equal(shot, image)
        x, y, w, h = window_geometry(xdisplay)
        shot = screenshot(xdisplay)[y : y + h, x : x + w]
        assert (w, h) == (160, 120)  # no toolbar or status bar around the picture
        assert np.array_equal(shot, image)  # RGB as given, nothing else drawn
        ids = subprocess.run(
            ["xdotool", "search", "--name", f"^{WINDOW_TITLE}$"],
            capture_output=True,
            text=True,
            env={**os.environ, "DISPLAY": xdisplay},
        ).stdout.split()
        assert len(ids) >= 1
        actions = []
        for key in ("c", "q"):
            subprocess.run(
                ["xdotool", "key", "--window", ids[0], key],
                env={**os.environ, "DISPLAY": xdisplay},
                capture_output=True,
            )
            for _ in range(50):
                action = window.poll()
                if action:
                    actions.append(action)
                    break
                time.sleep(0.02)
        assert actions == ["recalibrate", "quit"]
    finally:
        window.close()
