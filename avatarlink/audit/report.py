"""The audit's output: ``figures.json`` (every number), ``report.md`` and its PNG plots.

Targets are judged here, in one place, so the Markdown and the JSON agree:
identification "at chance" means a one-sided binomial test cannot tell the
top-1 hits from random guessing (p >= 0.05); verification must stay at or
below 5% TAR at 1% FAR; expression agreement must reach AnonEmoFace's human
figures for the emotions it reports.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from scipy.stats import binomtest

from avatarlink.frame import ARKIT_NAMES

TAR_TARGET = 0.05
ALPHA = 0.05
FILES = ("report.md", "figures.json", "roc.png", "grid.png", "emotion.png", "video_shapes.png")


def _clean(value):
    """JSON without NaN/inf (they become null), numpy scalars as Python numbers."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def chance_p(top1: float, n: int, chance: float) -> float:
    """One-sided p that a random guesser gets at least this many top-1 hits."""
    hits = round(top1 * n)
    return float(binomtest(hits, n, chance, alternative="greater").pvalue)


def judge(figures: dict) -> dict:
    """Pass/fail of each target, with the numbers that decided it."""
    verdicts: dict = {}
    ident = figures.get("identity")
    if ident and "character" in ident["methods"]:
        m = ident["methods"]["character"]
        p = chance_p(m["top1"], ident["n_images"], ident["chance"])
        verdicts["character_identification_at_chance"] = {
            "top1": m["top1"],
            "chance": ident["chance"],
            "p": p,
            "pass": p >= ALPHA,
        }
        verdicts["character_tar_at_far1"] = {
            "value": m["tar_at_far1"],
            "target": TAR_TARGET,
            "pass": m["tar_at_far1"] <= TAR_TARGET,
        }
        leaks = {}
        for name, m in ident["methods"].items():
            if name == "original":
                continue
            p = chance_p(m["top1"], ident["n_images"], ident["chance"])
            leaks[name] = {
                "top1_above_chance": p < ALPHA,
                "p": p,
                "tar_above_target": m["tar_at_far1"] > TAR_TARGET,
            }
        verdicts["identity_leaks"] = leaks
    expr = figures.get("expression")
    if expr and "character" in expr["methods"]:
        agree = expr["methods"]["character"]["agreement"]
        verdicts["character_expression_vs_anonemoface"] = {
            e: {
                "agreement": agree.get(e),
                "human": h,
                "pass": agree.get(e) is not None and agree[e] >= h,
            }
            for e, h in expr["anonemoface_human"].items()
        }
    return verdicts


def _pct(v) -> str:
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{100 * v:.1f}%"


def _num(v, digits: int = 2) -> str:
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{digits}f}"


def _row(*cells: object) -> str:
    return "| " + " | ".join(map(str, cells)) + " |"


def _plot_roc(figures: dict, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    for name, m in figures["identity"]["methods"].items():
        far, tar = np.asarray(m["roc"]["far"]), np.asarray(m["roc"]["tar"])
        ax.plot(np.clip(far, 1e-4, 1), tar, label=f"{name} (TAR@1% {_pct(m['tar_at_far1'])})")
    ax.axvline(0.01, color="grey", lw=0.8, ls=":")
    ax.plot([1e-4, 1], [1e-4, 1], color="grey", lw=0.8, ls="--", label="random")
    ax.set_xscale("log")
    ax.set_xlim(1e-3, 1)
    ax.set_ylim(0, 1.01)
    ax.set_xlabel("false accept rate (original vs anonymised, other photo)")
    ax.set_ylabel("true accept rate")
    ax.set_title("dlib face verification")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _plot_grid(grid: list, methods: list[str], path: Path) -> None:
    import matplotlib.pyplot as plt

    rows = max(len(grid), 1)
    fig, axes = plt.subplots(
        rows, len(methods), figsize=(2.1 * len(methods), 2.2 * rows), squeeze=False
    )
    for r, (_, images) in enumerate(grid):
        for c, image in enumerate(images):
            axes[r][c].imshow(image)
    for c, name in enumerate(methods):
        axes[0][c].set_title(name)
    for ax in axes.ravel():
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_emotion(figures: dict, path: Path) -> None:
    import matplotlib.pyplot as plt

    expr = figures["expression"]
    labels = [e for e in expr["n_per_label"] if e in expr["readable_emotions"]]
    methods = [m for m in expr["methods"] if m != "original"]
    width = 0.8 / (len(methods) + 1)
    x = np.arange(len(labels))
    fig, ax = plt.subplots(figsize=(8, 4))
    for k, name in enumerate(methods):
        vals = [expr["methods"][name]["agreement"].get(e) for e in labels]
        ax.bar(x + k * width, [np.nan if v is None else v for v in vals], width, label=name)
    human = [expr["anonemoface_human"].get(e, np.nan) for e in labels]
    ax.bar(
        x + len(methods) * width, human, width, label="AnonEmoFace humans", color="black", alpha=0.6
    )
    ax.set_xticks(x + 0.4 - width / 2, labels)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("agreement with the original")
    ax.set_title("emotion the observer reads: anonymised vs original")
    ax.legend(fontsize=8, ncol=3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _plot_video(figures: dict, path: Path) -> None:
    import matplotlib.pyplot as plt

    video = figures["video"]["methods"]
    methods = [m for m in video if m != "original"]
    fig, ax = plt.subplots(figsize=(12, 4))
    x = np.arange(len(ARKIT_NAMES))
    width = 0.8 / max(len(methods), 1)
    for k, name in enumerate(methods):
        r = [video[name]["shape_r"].get(n) for n in ARKIT_NAMES]
        ax.bar(x + k * width, [np.nan if v is None else v for v in r], width, label=name)
    ax.set_xticks(x + 0.4 - width / 2, ARKIT_NAMES, rotation=90, fontsize=7)
    ax.set_ylim(-0.5, 1.0)
    ax.set_ylabel("Pearson r over frames")
    ax.set_title("each blendshape over the video frames: anonymised vs original (same observer)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _markdown(figures: dict, verdicts: dict) -> str:
    lines = ["# avatarlink audit", ""]
    if "command" in figures:
        lines += [f"Command: `{figures['command']}`", ""]
    lines += _summary(figures) + _targets(verdicts)
    if "identity" in figures:
        lines += _identity_md(figures)
    if "stream" in figures:
        lines += _stream_md(figures["stream"])
    if "expression" in figures:
        lines += _expression_md(figures["expression"])
    if "video" in figures:
        lines += _video_md(figures["video"])
    lines += _voice_md(figures.get("voice", {}))
    return "\n".join(lines)


def _summary(figures: dict) -> list[str]:
    ident = figures.get("identity", {}).get("methods", {})
    expr = figures.get("expression", {}).get("methods", {})
    video = figures.get("video", {}).get("methods", {})
    chance = figures.get("identity", {}).get("chance")
    lines = [
        "## Summary",
        "",
        f"| method | face found (dlib) | TAR@FAR1% | EER | top-1 (chance {_pct(chance)}) "
        "| emotion agreement | shape r (images) | shape r (video) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in figures["methods"]:
        i, e, v = ident.get(name, {}), expr.get(name, {}), video.get(name, {})
        cells = [_pct(i.get(k)) for k in ("face_found", "tar_at_far1", "eer", "top1")]
        cells += [_pct(e.get("agreement_all")), _num(e.get("shape_r_mean")), _num(v.get("mean_r"))]
        lines.append(_row(name, *cells))
    return [*lines, ""]


def _targets(verdicts: dict) -> list[str]:
    lines = ["## Targets", ""]
    ok = lambda b: "PASS" if b else "FAIL"  # noqa: E731
    if "character_identification_at_chance" in verdicts:
        v = verdicts["character_identification_at_chance"]
        lines.append(
            f"- character identification at chance: {ok(v['pass'])} (top-1 {_pct(v['top1'])}, "
            f"chance {_pct(v['chance'])}, binomial p = {v['p']:.3f})"
        )
        v = verdicts["character_tar_at_far1"]
        lines.append(f"- character TAR@FAR1% <= 5%: {ok(v['pass'])} ({_pct(v['value'])})")
    for e, v in verdicts.get("character_expression_vs_anonemoface", {}).items():
        human, got = _pct(v["human"]), _pct(v["agreement"])
        lines.append(f"- {e} agreement >= AnonEmoFace {human}: {ok(v['pass'])} ({got})")
    for name, v in verdicts.get("identity_leaks", {}).items():
        leak = [
            w
            for w, b in (
                ("top-1 above chance", v["top1_above_chance"]),
                ("TAR@FAR1% above 5%", v["tar_above_target"]),
            )
            if b
        ]
        lines.append(
            f"- {name} leaks identity: {', '.join(leak) if leak else 'no'} (p = {v['p']:.3g})"
        )
    return [*lines, ""]


def _identity_md(figures: dict) -> list[str]:
    ident = figures["identity"]
    return [
        "## Face identity (dlib ResNet descriptor)",
        "",
        f"{ident['n_images']} photos of {ident['n_identities']} people. Verification pairs each "
        "anonymised photo with the *other* original photos (genuine: same person; impostor: "
        "everyone else). Identification enrols each person from their other original photos "
        "(mean descriptor) and names each anonymised photo by the nearest enrolment. Where dlib "
        "finds no face in an output, the attacker measures the box where the original face was.",
        "",
        "![ROC](roc.png)",
        "",
        "Each method's output beside its original (the first photo of a few people):",
        "",
        "![grid](grid.png)",
        "",
    ]


def _stream_md(stream: dict) -> list[str]:
    lines = [
        "## What leaves the machine (nearest-neighbour attacker on the numbers)",
        "",
        "| stream | tracked | top-1 | chance | TAR@FAR1% | EER |",
        "|---|---|---|---|---|---|",
    ]
    names = {
        "faceframe": "FaceFrame (what avatarlink sends)",
        "faceframe_shapes": "FaceFrame, 52 shapes only (no pose, position, gaze)",
        "landmarks": "raw landmarks (what dots show)",
    }
    for key, s in stream.items():
        cells = [_pct(s[k]) for k in ("tracked", "top1", "chance", "tar_at_far1", "eer")]
        lines.append(_row(names.get(key, key), *cells))
    return [*lines, ""]


def _expression_md(expr: dict) -> list[str]:
    methods = [m for m in expr["methods"] if m != "original"]
    labels = [e for e in expr["n_per_label"] if e in expr["readable_emotions"]]
    lines = [
        "## Expression kept (independent observer: Google's Face Landmarker blendshapes)",
        "",
        "Agreement: share of pictures of each label where the emotion the observer reads from "
        "the anonymised output equals the one it reads from the original. AnonEmoFace's figures "
        "are human raters' recognition of its dot avatars. The `faceframe` column reads the "
        "character's FaceFrame itself (what avatarlink sends, before drawing): where it agrees "
        "and `character` does not, expression is lost in drawing or re-reading the character.",
        "",
        "| emotion | n | " + " | ".join(methods) + " | AnonEmoFace humans |",
        "|---" * (len(methods) + 3) + "|",
    ]
    for e in labels:
        row = [_pct(expr["methods"][m]["agreement"].get(e)) for m in methods]
        lines.append(
            f"| {e} | {expr['n_per_label'][e]} | "
            + " | ".join(row)
            + f" | {_pct(expr['anonemoface_human'].get(e))} |"
        )
    lines += [
        "",
        "Accuracy against the label (the original is the observer's own ceiling):",
        "",
        "| emotion | original | " + " | ".join(methods) + " |",
        "|---" * (len(methods) + 2) + "|",
    ]
    for e in labels:
        row = [_pct(expr["methods"][m]["accuracy"].get(e)) for m in ["original", *methods]]
        lines.append(f"| {e} | " + " | ".join(row) + " |")
    found = ", ".join(f"{m} {_pct(expr['methods'][m]['face_found'])}" for m in expr["methods"])
    return [*lines, "", f"Observer found a face: {found}.", "", "![emotion](emotion.png)", ""]


def _video_md(video: dict) -> list[str]:
    methods = [m for m in video["methods"] if m != "original"]
    lines = [
        "## Expression over video frames",
        "",
        f"{video['n_videos']} videos, {video['n_frames']} frames (frame stride {video['stride']}). "
        "Pearson r of each blendshape over the frames, anonymised vs original, same observer "
        "(`faceframe`: the FaceFrame's own shapes against the observer on the original).",
        "",
        "| method | frames compared | observer found face | mean r over shapes |",
        "|---|---|---|---|",
    ]
    for m in methods:
        v = video["methods"][m]
        lines.append(
            f"| {m} | {v['frames_compared']} | {_pct(v['face_found'])} | {_num(v['mean_r'])} |"
        )
    return [*lines, "", "![video shapes](video_shapes.png)", ""]


def _voice_md(voice: dict) -> list[str]:
    lines = [
        "## Voice (the voice changer's own evaluation)",
        "",
        f"Status: {voice.get('status', 'not run')}. EER and WER in percent; F0 as Pearson r of "
        "log-F0 contours, original vs shifted.",
        "",
    ]
    parts = {k: v for k, v in voice.items() if isinstance(v, dict)}
    if parts:
        lines += ["| part | figure | value |", "|---|---|---|"]
        for part, values in parts.items():
            for key, value in values.items():
                shown = _num(value) if isinstance(value, float) else value
                lines.append(_row(part, key, shown))
    return [*lines, ""]


def write_report(figures: dict, grid: list, out_dir: Path) -> dict:
    """Write every file of the report into ``out_dir``; returns the verdicts."""
    import matplotlib

    matplotlib.use("Agg")
    out_dir.mkdir(parents=True, exist_ok=True)
    figures = _clean(figures)
    verdicts = judge(figures)
    figures["targets"] = verdicts
    if "identity" in figures:
        _plot_roc(figures, out_dir / "roc.png")
        _plot_grid(grid, figures["methods"], out_dir / "grid.png")
    if "expression" in figures:
        _plot_emotion(figures, out_dir / "emotion.png")
    if "video" in figures:
        _plot_video(figures, out_dir / "video_shapes.png")
    (out_dir / "figures.json").write_text(json.dumps(_clean(figures), indent=1))
    (out_dir / "report.md").write_text(_markdown(figures, verdicts))
    return verdicts
