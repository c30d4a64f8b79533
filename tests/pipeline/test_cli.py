"""Bad input gets one clear line and exit status 2, through the installed command."""

from __future__ import annotations

import pytest

from .conftest import cli_env, run_cli


def _one_line(proc, *words: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("avatarlink: ")
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def clip(shared_data):
    return str(shared_data / "video" / "liveportrait_d18.mp4")


def test_unknown_avatar(clip, tmp_path):
    proc = run_cli("render", clip, "-o", str(tmp_path / "o.mp4"), "--avatar", "no-such-character")
    _one_line(proc, "no-such-character")
    assert not (tmp_path / "o.mp4").exists()


def test_corrupt_video(tmp_path):
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    proc = run_cli("render", str(bad), "-o", str(tmp_path / "o.mp4"), "--quiet")
    _one_line(proc, "broken.mp4")


@pytest.mark.parametrize("command", ["render", "demo", "run"])
def test_unwritable_output(clip, tmp_path, command):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = str(blocker / "out.mp4")
    args = {
        "render": ["render", clip, "-o", target],
        "demo": ["demo", "-o", target],
        "run": ["run", "--source", clip, "--record", target],
    }[command]
    _one_line(run_cli(*args), "cannot write", "out.mp4")


def test_window_on_a_headless_machine(clip):
    env = cli_env(DISPLAY=None, WAYLAND_DISPLAY=None)
    proc = run_cli("run", "--source", clip, "--window", env=env)
    _one_line(proc, "--window", "display")


def test_missing_camera(tmp_path):
    proc = run_cli("run", "--camera", "57", "--record", str(tmp_path / "o.mp4"), "--duration", "5")
    _one_line(proc, "camera 57")


def test_virtual_camera_without_a_backend_or_it_works(clip):
    proc = run_cli("run", "--source", clip, "--virtual-camera", "--duration", "1")
    if proc.returncode != 0:
        _one_line(proc, "virtual camera")


def test_bad_size_is_refused_before_anything_runs(tmp_path):
    proc = run_cli("demo", "-o", str(tmp_path / "d.mp4"), "--size", "641x480")
    assert proc.returncode == 2
    assert "even" in proc.stderr
    assert not (tmp_path / "d.mp4").exists()


def test_live_voice_works_or_names_the_missing_device(clip, tmp_path):
    proc = run_cli("run", "--source", clip, "--record", str(tmp_path / "o.mp4"),
                   "--voice", "deeper", "--duration", "2")  # fmt: skip
    if proc.returncode != 0:  # machines without a sound card (CI) say so in one line
        _one_line(proc)
