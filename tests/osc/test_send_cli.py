"""`avatarlink send` end to end: a CSV to real receivers, and bad input as one line."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import numpy as np
import pytest

from avatarlink.frame import FaceFrame, quat_from_euler
from avatarlink.framecsv import write_frames

from .conftest import LOOPBACK, free_udp_port, wait_for


def avatarlink(repo_root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(repo_root / ".venv" / "bin" / "avatarlink"), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def frames_csv(tmp_path: Path) -> tuple[Path, list[FaceFrame]]:
    """Half a second at 30 fps; the face is lost for the last five frames."""
    rng = np.random.default_rng(5)
    frames = [
        FaceFrame(
            time=i / 30,
            tracked=i < 10,
            blendshapes=rng.uniform(0, 1, 52).round(3),
            head_rotation=quat_from_euler(2.0 * i, 1.0, 0.0),
            gaze_left=[3.0, 1.0],
            gaze_right=[3.0, 1.0],
        )
        for i in range(15)
    ]
    path = tmp_path / "frames.csv"
    write_frames(path, frames)
    return path, frames


def test_csv_replays_to_every_target(repo_root, pyosc, frames_csv):
    path, frames = frames_csv
    port = pyosc.port
    result = avatarlink(
        repo_root, "send", str(path),
        "--osc", f"raw:127.0.0.1:{port}",
        "--osc", f"vmc:127.0.0.1:{port}",
        "--osc", f"vrchat:127.0.0.1:{port},listen=127.0.0.1:0",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    wait_for(lambda: sum(d.startswith(b"#bundle") for d in pyosc.datagrams) >= 2 * 15)
    packets = pyosc.packets(len(pyosc.datagrams))
    raw = [p for p in packets if p[0][0] == "/avatarlink/frame"]
    vmc = [p for p in packets if p[0][0] == "/VMC/Ext/OK"]
    assert len(raw) == len(vmc) == 15  # every frame at its own time; nothing extra at the end
    assert [p[0][1][0] for p in raw] == pytest.approx([f.time for f in frames], abs=1e-4)
    for packet, frame in zip(raw, frames, strict=True):
        assert packet[0][1][1] is frame.tracked
        expected = frame.blendshapes if frame.tracked else np.zeros(52)
        assert packet[1][1] == pytest.approx(expected.tolist(), abs=1e-4)
    assert [p[0][1][3] for p in vmc] == [1] * 10 + [0] * 5  # VMC tracking status
    messages = [m for p in packets for m in p]
    status = [v for a, v in messages if a == "/avatar/parameters/FT/LipTrackingActive"]
    assert status == [[True], [False]]


@pytest.mark.parametrize(
    ("osc", "fragment"),
    [
        ("nonsense", "unknown target 'nonsense'"),
        ("vmc:999.1.1.1", "not a valid IPv4 address"),
        ("vmc:bad..name:39539", "cannot resolve host"),
        ("raw:255.255.255.255", "cannot send to 255.255.255.255"),
    ],
)
def test_bad_targets(repo_root, frames_csv, osc, fragment):
    result = avatarlink(repo_root, "send", str(frames_csv[0]), "--osc", osc)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("avatarlink: ")
    assert fragment in result.stderr


def test_listener_port_in_use(repo_root, frames_csv):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as busy:
        busy.bind((LOOPBACK, 0))
        port = busy.getsockname()[1]
        spec = f"vrchat:127.0.0.1:{free_udp_port()},listen=127.0.0.1:{port}"
        result = avatarlink(repo_root, "send", str(frames_csv[0]), "--osc", spec)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and f"port {port} is in use" in result.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--rate", "0"], "--rate '0'"),
        (["--profile", "me"], "not to a CSV"),
    ],
)
def test_bad_options(repo_root, frames_csv, args, fragment):
    result = avatarlink(repo_root, "send", str(frames_csv[0]), "--osc", "raw", *args)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert fragment in result.stderr


def test_missing_or_wrong_csv(repo_root, tmp_path):
    missing = avatarlink(repo_root, "send", str(tmp_path / "none.csv"), "--osc", "raw")
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n")
    wrong = avatarlink(repo_root, "send", str(tmp_path / "bad.csv"), "--osc", "raw")
    for result in (missing, wrong):
        assert result.returncode == 2 and result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr
    assert "not an avatarlink frames CSV" in wrong.stderr


def test_video_through_the_tracker_to_vmc(repo_root, pyosc, shared_data):
    video = shared_data / "video" / "retalking_face2.mp4"  # 125 frames, one talking face
    result = avatarlink(
        repo_root, "send", str(video), "--osc", f"vmc:127.0.0.1:{pyosc.port}", "--speed", "0"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    wait_for(lambda: len(pyosc.datagrams) >= 126)
    bundles = pyosc.packets(len(pyosc.datagrams))
    assert len(bundles) == 126  # every frame, then the calm state on exit
    tracked = [b[0][1][3] for b in bundles]
    assert sum(tracked[:-1]) >= 120 and tracked[-1] == 0
    heads = np.array([b[3][1][4:] for b in bundles[:-1]])
    assert np.ptp(heads, axis=0).max() > 0.01  # the head moves
    jaw = np.array([dict(m[1] for m in b[6:-1])["JawOpen"] for b in bundles[:-1]])
    assert jaw.max() - jaw.min() > 0.1  # and so does the mouth while talking
