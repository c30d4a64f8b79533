"""How a machine observer reads each character: the fast loop behind the audit.

For each character, renders neutral, single shapes and the named emotions
(FaceFrames with given blendshapes) and runs the audit's own observer
(Google's Face Landmarker blendshapes, still-image mode) on the picture. One
row per pose: whether Google's model found a face, the EMFACS emotion read
from its shapes (``avatarlink.audit.expression``), the emotion scores and the
shapes it reads most. The full audit re-reads real photos and takes half an
hour; this takes a minute and shows which shape the character fails to carry.

    .venv/bin/python tools/probe_legibility.py [NAME ...] [--data ../shared/data] [--scale 0.6]

``--scale`` multiplies every pose's weights, to see how a weaker expression
fares. The source column says who read the picture: ``google``, or
``tracker`` where Google's model found no face (the audit's fallback).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from avatarlink.audit.expression import Observer, emotion_scores, read_emotion  # noqa: E402
from avatarlink.avatars import list_avatars  # noqa: E402
from avatarlink.frame import ARKIT_INDEX, ARKIT_NAMES, FaceFrame  # noqa: E402
from avatarlink.pipeline import options  # noqa: E402
from avatarlink.render import Renderer  # noqa: E402
from avatarlink.render.expressions import EXPRESSIONS  # noqa: E402


def _both(name: str, value: float = 1.0) -> dict[str, float]:
    return {f"{name}Left": value, f"{name}Right": value}


SINGLES: dict[str, dict[str, float]] = {
    "mouthSmile": _both("mouthSmile"),
    "cheekSquint": _both("cheekSquint"),
    "eyeSquint": _both("eyeSquint"),
    "browDown": _both("browDown"),
    "browInnerUp": {"browInnerUp": 1.0},
    "browOuterUp": _both("browOuterUp"),
    "eyeWide": _both("eyeWide"),
    "jawOpen": {"jawOpen": 1.0},
    "mouthFrown": _both("mouthFrown"),
    "mouthStretch": _both("mouthStretch"),
    "noseSneer": _both("noseSneer"),
    "mouthUpperUp": _both("mouthUpperUp"),
    "mouthPress": _both("mouthPress"),
    "eyeBlink": _both("eyeBlink"),
}
EMOTION_OF = {"smile": "happiness", "sad": "sadness", "surprise": "surprise",
              "anger": "anger", "fear": "fear", "disgust": "disgust"}  # fmt: skip
WATCH = ("browInnerUp", "browOuterUpLeft", "browDownLeft", "eyeWideLeft", "eyeSquintLeft",
         "eyeLookDownLeft", "eyeBlinkLeft", "cheekSquintLeft", "mouthSmileLeft",
         "mouthFrownLeft", "jawOpen")  # fmt: skip
"""Shapes printed for the neutral pose: the ones a resting face must keep low."""


def poses() -> dict[str, dict[str, float]]:
    """Neutral, each named emotion, then each single shape."""
    out = {"neutral": {}}
    out.update({k: EXPRESSIONS[k] for k in EMOTION_OF})
    out.update(SINGLES)
    return out


def _top(shapes: np.ndarray, n: int = 4) -> str:
    order = np.argsort(shapes)[::-1][:n]
    return " ".join(f"{ARKIT_NAMES[i]}={shapes[i]:.2f}" for i in order)


def probe(
    name: str, observer: Observer, scale: float, size: tuple[int, int], only: list[str]
) -> list[str]:
    """Rows of the table for one character; the last row counts right readings."""
    rows, hits, asked = [], 0, 0
    label = Path(name).stem
    with Renderer(name, size=size) as renderer:
        for pose, weights in poses().items():
            if only and pose not in only:
                continue
            frame = FaceFrame(0.0, True).with_weights(**{k: v * scale for k, v in weights.items()})
            observer.reset()
            reading = observer.read(renderer.render(frame))
            if reading.shapes is None:
                rows.append(f"{label:6} {pose:13} no face")
                continue
            scores = emotion_scores(reading.shapes)
            emo = read_emotion(reading.shapes)
            want = EMOTION_OF.get(pose, "neutral" if pose == "neutral" else None)
            mark = "" if want is None else (" ok" if emo == want else " MISS")
            hits += mark == " ok"
            asked += bool(mark)
            score_text = " ".join(f"{k[:3]}={v:.2f}" for k, v in scores.items())
            detail = (
                " ".join(f"{s}={reading.shapes[ARKIT_INDEX[s]]:.2f}" for s in WATCH)
                if pose == "neutral"
                else _top(reading.shapes)
            )
            rows.append(
                f"{label:6} {pose:13} {reading.source:7} {emo:10}{mark:5} {score_text} | {detail}"
            )
    rows.append(f"{label:6} {'(right)':13} {hits}/{asked} neutral+emotions read right")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="characters or .glb paths (default: all)")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every pose's weights")
    parser.add_argument("--poses", default="", help="only these poses, comma-separated")
    parser.add_argument(
        "--size", type=options.parse_size, default=(640, 480), metavar="WxH", help="render size"
    )
    args = parser.parse_args(argv)
    paths = [n for n in args.names if n.endswith(".glb")]
    chosen = paths or [a.name for a in list_avatars() if not args.names or a.name in args.names]
    only = [p for p in args.poses.split(",") if p]
    with Observer(args.data / "models" / "face_landmarker.task") as observer:
        for name in chosen:
            print("\n".join(probe(name, observer, args.scale, args.size, only)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
