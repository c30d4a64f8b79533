"""The `voice` and `devices` commands as a user runs them (subprocesses)."""

import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf


def avatarlink(*args, env=None, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "avatarlink", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def one_clear_line(result):
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("avatarlink: ")
    assert "Traceback" not in result.stderr


def test_voice_file_to_file(tmp_path, synth):
    src = tmp_path / "in.wav"
    sf.write(src, synth(140.0, (700.0, 1220.0, 2600.0), rate=22050), 22050)
    result = avatarlink(
        "voice", str(src), "-o", str(tmp_path / "out.flac"), "--preset", "deeper", "--seed", "4"
    )
    assert result.returncode == 0, result.stderr
    out, rate = sf.read(tmp_path / "out.flac")
    assert rate == 22050 and out.shape == (22050,)
    assert "semitone" not in result.stdout  # the drawn settings are never shown


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"", "empty.wav"), (b"not audio at all" * 50, "corrupt.flac"), (None, "missing.wav")],
)
def test_bad_input_files_get_one_line_and_exit_2(tmp_path, content, name):
    src = tmp_path / name
    if content is not None:
        src.write_bytes(content)
    one_clear_line(avatarlink("voice", str(src), "-o", str(tmp_path / "o.wav")))


def test_bad_output_and_missing_arguments(tmp_path, synth):
    src = tmp_path / "in.wav"
    sf.write(src, synth(140.0, (700.0, 1220.0, 2600.0)), 16000)
    one_clear_line(avatarlink("voice", str(src), "-o", str(tmp_path / "o.mp3")))
    one_clear_line(avatarlink("voice", str(src)))
    one_clear_line(avatarlink("voice", str(src), "-o", str(tmp_path / "o.wav"), "--formant", "5"))
    low = tmp_path / "low.wav"
    sf.write(low, np.zeros(4000, dtype=np.float32) + 0.1, 4000)
    one_clear_line(avatarlink("voice", str(low), "-o", str(tmp_path / "o.wav")))


def test_help_explains_presets():
    result = avatarlink("voice", "--help")
    assert result.returncode == 0 and "anonymous" in result.stdout and "--live" in result.stdout


def test_without_portaudio_devices_and_live_say_so_in_one_line(tmp_path):
    # hide the PortAudio library from ctypes, as on a machine without libportaudio2
    (tmp_path / "sitecustomize.py").write_text(
        "import ctypes.util\n"
        "_find = ctypes.util.find_library\n"
        "ctypes.util.find_library = lambda n: None if 'portaudio' in n else _find(n)\n"
    )
    env = {"PYTHONPATH": str(tmp_path)}
    for args in (["devices"], ["voice", "--live", "--seconds", "1"]):
        result = avatarlink(*args, env=env)
        one_clear_line(result)
        assert "PortAudio" in result.stderr
