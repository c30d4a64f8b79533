"""`avatarlink run --window` on a virtual screen, as OBS would capture it."""

from __future__ import annotations

import itertools
import os
import subprocess
import time
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from avatarlink.pipeline.sinks.window import WINDOW_TITLE

from .conftest import AVATARLINK, gray_small, ncc, read_video, screenshot, window_geometry

BACKGROUND = (0x3A, 0x4A, 0x5A)


def _window_id(env: dict[str, str], proc: subprocess.Popen, timeout: float = 90.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1]
        ids = subprocess.run(
            ["xdotool", "search", "--name", f"^{WINDOW_TITLE}$"],
            capture_output=True,
            text=True,
            env=env,
        ).stdout.split()
        if ids:
            return ids[0]
        time.sleep(0.2)
    raise AssertionError("the window did not appear")


def _wait_for_character(display: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    """Until the backdrop colour shows (the window starts black, before the first render)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1]
        x, y, _, _ = window_geometry(display)
        if np.abs(screenshot(display)[y + 2, x + 2].astype(int) - BACKGROUND).max() <= 3:
            return
        time.sleep(0.2)
    raise AssertionError("no character appeared in the window")


@pytest.fixture
def long_clip(shared_data, tmp_path) -> Path:
    """A 15 s clip played three times over: still playing when q comes, however busy the machine."""
    clip = tmp_path / "d10_x3.mp4"
    source = shared_data / "video" / "liveportrait_d10.mp4"
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-stream_loop", "2", "-i", str(source)]
    subprocess.run([*cmd, "-an", "-c", "copy", str(clip)], check=True)
    return clip


def test_window_shows_only_the_character_c_recalibrates_q_quits(xdisplay, long_clip):
    clip = long_clip
    env = {**os.environ, "DISPLAY": xdisplay}
    args = ["run", "--source", str(clip), "--window", "--size", "320x240"]
    proc = subprocess.Popen(
        [str(AVATARLINK), *args, "--background", "#3a4a5a"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        window = _window_id(env, proc)
        # its final size from its first picture (Qt maps it a moment before, at a default size)
        deadline = time.monotonic() + 10.0
        while window_geometry(xdisplay)[2:] != (320, 240) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert window_geometry(xdisplay)[2:] == (320, 240)
        _wait_for_character(xdisplay, proc)
        shots = []
        for _ in range(6):
            x, y, w, h = window_geometry(xdisplay)
            assert (w, h) == (320, 240)  # the picture and nothing else: no toolbar, no status
            shots.append(screenshot(xdisplay)[y : y + h, x : x + w].copy())
            time.sleep(0.25)
        subprocess.run(["xdotool", "key", "--window", window, "c"], env=env, capture_output=True)
        _wait_for_character(xdisplay, proc)  # still running after a recalibration
        subprocess.run(["xdotool", "key", "--window", window, "q"], env=env, capture_output=True)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert f'window "{WINDOW_TITLE}"' in out
    assert "frames in" in out  # the closing summary: it stopped on q, not on a crash
    for shot in shots:  # the corners are the backdrop, the middle is the character
        for corner in (shot[2, 2], shot[2, -3], shot[-3, 2], shot[-3, -3]):
            assert np.abs(corner.astype(int) - BACKGROUND).max() <= 3
        assert np.abs(shot[80:200, 110:210].astype(int) - BACKGROUND).max() > 30
    assert any(np.abs(a.astype(int) - b).mean() > 0.1 for a, b in itertools.pairwise(shots))
    inputs, _ = read_video(clip)
    small = [gray_small(i) for i in inputs]
    assert max(ncc(gray_small(s), i) for s in shots for i in small) < 0.5


def test_osc_only_run_sends_the_fail_closed_stream(fail_closed_clip):
    """`run --osc` with no picture output: frames still flow, tracked and idle alike."""
    import socket

    from pythonosc.osc_bundle import OscBundle

    path, _, _ = fail_closed_clip
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.5)
    port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [str(AVATARLINK), "run", "--source", str(path), "--osc", f"raw:127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    tracked: list[bool] = []
    try:
        while proc.poll() is None:
            try:
                data = sock.recv(65536)
            except TimeoutError:
                continue
            for element in OscBundle(data):
                if element.address == "/avatarlink/frame":
                    tracked.append(bool(element.params[1]))
        out, err = proc.communicate(timeout=30)
    finally:
        sock.close()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "frames in" in out
    # the person is seen, then gone (the senders get the idle, marked untracked), then back
    assert any(tracked) and not all(tracked)
    first_lost = tracked.index(False, tracked.index(True))
    assert any(tracked[first_lost:])
