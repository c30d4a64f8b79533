"""`avatarlink track` and `avatarlink calibrate` through the command line.

The bad sources of the issue's item 2 run the real console script in a
subprocess (exit code 2, one line on stderr, no traceback); the other bad
options go through the same ``main`` in-process, which is quicker.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from avatarlink import cli
from avatarlink.frame import ARKIT_NAMES
from avatarlink.tracking import FaceTracker

AVATARLINK = Path(sys.executable).parent / "avatarlink"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(AVATARLINK), *args], capture_output=True, text=True, timeout=120, env=os.environ
    )


def check_one_line(code: int, stderr: str, *words: str) -> None:
    assert code == 2, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("avatarlink: ") and "Traceback" not in stderr
    for word in words:
        assert word in lines[0]


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(autouse=True)
def config(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("AVATARLINK_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config"


@pytest.fixture(scope="module")
def frames(tmp_path_factory, shared_data) -> Path:
    """Eight frames of a real clip as a folder of PNGs, then one without a face."""
    folder = tmp_path_factory.mktemp("frames")
    cap = cv2.VideoCapture(str(shared_data / "video" / "liveportrait_d18.mp4"))
    for i in range(8):
        ok, bgr = cap.read()
        assert ok
        cv2.imwrite(str(folder / f"{i:03d}.png"), bgr)
    cv2.imwrite(str(folder / "999.png"), np.zeros((64, 64, 3), np.uint8))
    return folder


@pytest.mark.parametrize("case", ["missing", "empty", "corrupt", "empty_folder", "camera"])
def test_bad_sources_through_the_console_script(tmp_path, case):
    source = tmp_path / "in.mp4"
    if case == "empty":
        source.write_bytes(b"")
    elif case == "corrupt":
        source.write_bytes(np.random.default_rng(3).bytes(4096))
    elif case == "empty_folder":
        source = tmp_path / "frames"
        source.mkdir()
    elif case == "camera":
        source = "97"  # no such camera
    proc = run("track", str(source), "--out", str(tmp_path / "out.csv"))
    check_one_line(proc.returncode, proc.stderr)
    assert not (tmp_path / "out.csv").exists()


def test_bad_options(tmp_path, frames, capsys):
    out = str(tmp_path / "out.csv")
    fake = tmp_path / "fake.task"
    fake.write_text("not a model")
    cases = [
        (["track", str(frames), "--out", out, "--profile", "ghost"], "ghost"),
        (["track", str(frames), "--out", out, "--profile", "../x"], "profile name"),
        (["track", str(frames), "--out", out, "--model", str(fake)], "fake.task"),
        (["track", str(frames), "--out", out, "--model", str(tmp_path / "no.task")], "no.task"),
        (["track", str(frames), "--out", str(tmp_path / "no" / "o.csv")], "does not exist"),
        (["calibrate", "--source", str(frames), "--name", "a b"], "profile name"),
        (["calibrate", "--camera", "97", "--name", "me"], "camera 97"),
    ]
    for argv, word in cases:
        code = cli.main(argv)
        check_one_line(code, capsys.readouterr().err, word)


def test_track_a_folder_of_frames(tmp_path, frames):
    proc = run("track", str(frames), "--out", str(tmp_path / "f.csv"))
    assert proc.returncode == 0, proc.stderr
    rows = read_rows(tmp_path / "f.csv")
    assert [r["tracked"] for r in rows] == ["1"] * 8 + ["0"]
    assert {"time", "head_yaw", "head_pitch", "head_roll", *ARKIT_NAMES} <= set(rows[0])
    assert float(rows[1]["time"]) == pytest.approx(1 / 30, abs=1e-3)
    for row in rows:
        assert all(0.0 <= float(row[n]) <= 1.0 for n in ARKIT_NAMES)


def test_calibrate_then_track_with_the_profile(tmp_path, frames, config):
    assert cli.main(["calibrate", "--source", str(frames), "--name", "me", "--seconds", "1"]) == 0
    profile = json.loads((config / "profiles" / "me.json").read_text())
    assert "jawOpen" in profile["drivers"]
    with FaceTracker(profile="me") as tracker:
        assert tracker.calibration.rest[0] == profile["drivers"][ARKIT_NAMES[0]]["rest"]
    assert (
        cli.main(["track", str(frames), "--out", str(tmp_path / "p.csv"), "--profile", "me"]) == 0
    )
    rows = read_rows(tmp_path / "p.csv")
    assert [r["tracked"] for r in rows] == ["1"] * 8 + ["0"]


def test_track_with_googles_model(tmp_path, frames, shared_data):
    model = str(shared_data / "models" / "face_landmarker.task")
    code = cli.main(["track", str(frames), "--out", str(tmp_path / "g.csv"), "--model", model])
    assert code == 0
    rows = read_rows(tmp_path / "g.csv")
    assert [r["tracked"] for r in rows] == ["1"] * 8 + ["0"]
    assert all(float(r["tongueOut"]) == 0.0 for r in rows)  # Google's model has none
    assert any(float(r["eyeBlinkLeft"]) > 0.0 for r in rows)
