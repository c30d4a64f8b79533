"""`avatarlink audit` end to end: bad input gets one line; a shared-data run writes every figure."""

import importlib.util
import json
import math
from pathlib import Path

import pytest

from avatarlink.audit.dataset import EMOTIONS
from avatarlink.audit.methods import METHOD_NAMES
from avatarlink.audit.report import FILES
from avatarlink.cli import main
from avatarlink.frame import ARKIT_NAMES


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "out"], "either --data DIR or picture/video files"),
        (["--data", "nowhere", "-o", "out"], "data folder not found"),
        (["--data", ".", "-o", "out", "--methods", "character,mask"], "unknown method mask"),
        (["--data", ".", "-o", "out", "--limit", "0"], "--limit must be at least 1"),
    ],
)
def test_bad_input_is_one_line(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["audit", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("avatarlink: ") and message in err and "\n" not in err


def test_loose_files_need_the_observer_model(tmp_path, capsys):
    picture = tmp_path / "happiness" / "1.jpg"
    picture.parent.mkdir()
    picture.write_bytes(b"")
    assert main(["audit", str(picture), "-o", str(tmp_path / "out")]) == 2
    assert "--observer-model" in capsys.readouterr().err


@pytest.fixture(scope="module")
def report(shared_data: Path, tmp_path_factory) -> Path:
    """A quick audit of shared/data: two people, two pictures per emotion, short clips."""
    out = tmp_path_factory.mktemp("audit") / "report"
    args = ["audit", "--data", str(shared_data), "-o", str(out), "--quiet"]
    args += ["--limit", "2", "--video-frames", "8", "--video-stride", "4"]
    assert main(args) == 0
    return out


def _number(value) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def test_report_holds_every_figure(report: Path):
    for name in FILES:
        assert (report / name).stat().st_size > 0, name
    fig = json.loads((report / "figures.json").read_text())
    assert fig["methods"] == list(METHOD_NAMES)
    ident = fig["identity"]
    assert ident["n_identities"] == 2 and ident["chance"] == 0.5
    for name in METHOD_NAMES:
        m = ident["methods"][name]
        for key in ("face_found", "tar_at_far1", "eer", "top1"):
            assert _number(m[key]), (name, key)
        assert len(m["roc"]["far"]) == len(m["roc"]["tar"]) >= 2
    # the control shows the attacker works at all
    assert ident["methods"]["original"]["top1"] == 1.0
    for stream in ("faceframe", "landmarks"):
        assert all(
            _number(fig["stream"][stream][k]) for k in ("top1", "chance", "tar_at_far1", "eer")
        )
    expr = fig["expression"]
    readable = [e for e in EMOTIONS if e != "neutral"]
    for name in METHOD_NAMES:
        m = expr["methods"][name]
        assert all(_number(m["agreement"][e]) and _number(m["accuracy"][e]) for e in readable)
    assert expr["methods"]["original"]["agreement_all"] == 1.0
    video = fig["video"]
    assert video["n_videos"] == 2 and video["n_frames"] == 16
    for name in METHOD_NAMES:
        assert set(video["methods"][name]["shape_r"]) == set(ARKIT_NAMES)
        assert video["methods"][name]["frames_compared"] >= 0
    voice = fig["voice"]
    if importlib.util.find_spec("resemblyzer") and importlib.util.find_spec("pocketsphinx"):
        assert voice["status"] == "measured"
        sv, f0 = voice["speaker_verification"], voice["prosody"]
        assert _number(sv["eer_original"]) and _number(sv["eer_ignorant"])
        assert _number(voice["intelligibility"]["wer_anonymised"]) and _number(
            f0["f0_correlation_mean"]
        )
    else:
        assert voice["status"].startswith("skipped: the voice evaluation needs the bench extra")
    targets = fig["targets"]
    assert set(targets["character_expression_vs_anonemoface"]) == {
        "happiness",
        "fear",
        "anger",
        "disgust",
    }
    assert isinstance(targets["character_tar_at_far1"]["pass"], bool)
    assert set(targets["identity_leaks"]) == {"character", "blur", "pixelate", "dots"}


def test_markdown_shows_the_tables(report: Path):
    md = (report / "report.md").read_text()
    for name in METHOD_NAMES:
        assert f"| {name} |" in md
    for emotion in ("happiness", "fear", "anger", "disgust", "sadness", "surprise"):
        assert f"| {emotion} |" in md
    for section in (
        "## Summary",
        "## Targets",
        "## Face identity",
        "## What leaves the machine",
        "## Voice",
    ):
        assert section in md
    for image in ("roc.png", "grid.png", "emotion.png", "video_shapes.png"):
        assert f"({image})" in md


def test_loose_files_run_the_identity_section(shared_data: Path, tmp_path: Path):
    people = shared_data / "faces" / "identity"
    files = [
        people / p / f
        for p in ("lfw_gerry_adams", "lfw_meryl_streep")
        for f in ("01.jpg", "03.jpg")
    ]
    out = tmp_path / "loose"
    assert main(["audit", *map(str, files), "-o", str(out), "--methods", "blur", "--quiet"]) == 0
    fig = json.loads((out / "figures.json").read_text())
    assert fig["methods"] == ["original", "blur"] and fig["identity"]["n_images"] == 4
    assert fig["identity"]["methods"]["original"]["top1"] == 1.0
    assert any(s.startswith("expression") for s in fig["skipped"])
