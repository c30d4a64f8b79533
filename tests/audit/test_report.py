import json
import math
from pathlib import Path

import numpy as np
import pytest

from avatarlink.audit.report import FILES, chance_p, judge, write_report
from avatarlink.frame import ARKIT_NAMES


def _method(top1: float, tar: float, agree: float) -> dict:
    return {
        "identity": {
            "face_found": 0.5,
            "tar_at_far1": tar,
            "eer": 0.3,
            "top1": top1,
            "roc": {"far": [0.0, 0.5, 1.0], "tar": [0.0, 0.6, 1.0]},
        },
        "expression": {
            "face_found": 1.0,
            "observer": {"google": 2},
            "agreement": {"happiness": agree, "fear": float("nan")},
            "accuracy": {"happiness": 0.5, "fear": 0.0},
            "agreement_all": agree,
            "accuracy_all": 0.25,
            "shape_r_mean": 0.7,
        },
        "video": {
            "face_found": 1.0,
            "observer": {"google": 3},
            "frames_compared": 3,
            "shape_r": {n: 0.5 for n in ARKIT_NAMES},
            "mean_r": 0.5,
        },
    }


@pytest.fixture
def figures() -> dict:
    methods = {
        "original": _method(0.9, 0.9, 1.0),
        "character": _method(0.1, 0.0, 0.95),
        "blur": _method(0.6, 0.4, 0.5),
    }
    return {
        "methods": list(methods),
        "identity": {
            "n_identities": 10,
            "n_images": 10,
            "chance": 0.1,
            "methods": {k: v["identity"] for k, v in methods.items()},
        },
        "stream": {
            "faceframe": {
                "n": 10,
                "tracked": 1.0,
                "top1": 0.1,
                "chance": 0.1,
                "tar_at_far1": 0.0,
                "eer": 0.5,
            }
        },
        "expression": {
            "n_images": 4,
            "n_per_label": {"happiness": 2, "fear": 2},
            "readable_emotions": ["fear", "happiness"],
            "anonemoface_human": {"happiness": 0.933, "fear": 0.683},
            "methods": {k: v["expression"] for k, v in methods.items()},
        },
        "video": {
            "n_videos": 1,
            "n_frames": 3,
            "stride": 1,
            "methods": {k: v["video"] for k, v in methods.items()},
        },
        "voice": {"status": "skipped: test"},
    }


def test_chance_p_by_hand():
    # 1 hit of 10 at chance 0.1: P(X >= 1) = 1 - 0.9**10
    assert chance_p(0.1, 10, 0.1) == pytest.approx(1 - 0.9**10)
    # 6 of 10: sum_{k>=6} C(10,k) 0.1^k 0.9^(10-k)
    expected = sum(math.comb(10, k) * 0.1**k * 0.9 ** (10 - k) for k in range(6, 11))
    assert chance_p(0.6, 10, 0.1) == pytest.approx(expected)


def test_judge_targets(figures):
    v = judge(figures)
    assert v["character_identification_at_chance"]["pass"] is True
    assert v["character_tar_at_far1"]["pass"] is True
    assert v["character_expression_vs_anonemoface"]["happiness"]["pass"] is True
    # NaN agreement (no picture of that label read) is not a pass
    v2 = judge(json.loads(json.dumps(figures).replace("NaN", "null")))
    assert v2["character_expression_vs_anonemoface"]["fear"]["pass"] is False
    assert v["identity_leaks"]["blur"] == {
        "top1_above_chance": True,
        "p": pytest.approx(chance_p(0.6, 10, 0.1)),
        "tar_above_target": True,
    }


def test_write_report_writes_every_file(figures, tmp_path: Path):
    grid = [("p", [np.zeros((20, 20, 3), np.uint8)] * 3)]
    write_report(figures, grid, tmp_path / "out")
    for name in FILES:
        assert (tmp_path / "out" / name).stat().st_size > 0, name
    saved = json.loads((tmp_path / "out" / "figures.json").read_text())
    assert saved["expression"]["methods"]["character"]["agreement"]["fear"] is None
    assert saved["targets"]["character_tar_at_far1"]["value"] == 0.0
    md = (tmp_path / "out" / "report.md").read_text()
    assert "| character | 50.0% | 0.0% | 30.0% | 10.0% | 95.0% | 0.70 | 0.50 |" in md
    assert "![ROC](roc.png)" in md and "93.3%" in md
