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

``--round-trip`` measures the drawing alone, on real faces instead of set
poses: Google's own shapes, read from the identity photos and every 15th
video frame of DATA (not the labelled emotion photos the audit scores), are
drawn on the character with our tracker's head pose and gaze and read again
(so the eyeLook rows measure the eyes turned by our gaze and the lids moved
by Google's eyeLook shapes). It prints
how often the EMFACS emotion survives and, per action unit, Pearson r and the
mean shift (character minus photo). A perfect drawing gives r = 1 and no
shift; what it loses, the audit's ``character`` loses on top of tracking.
A second line per character gives, per shape, r and the gain (least-squares
slope of the re-read value on the drawn one: 1 keeps the magnitude, 0.2
means a real face's 0.5 reads as 0.1). ``--cache FILE`` keeps the real faces'
readings between runs, so before/after compare the same faces.
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from avatarlink.audit.expression import (  # noqa: E402
    ACTION_UNITS,
    Observer,
    action_units,
    emotion_scores,
    read_emotion,
)
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


ROUND_TRIP_STRIDE = 15  # every 15th video frame


def round_trip_faces(data: Path) -> list[tuple[np.ndarray, FaceFrame, tuple[int, int]]]:
    """(Google's shapes, our tracker's frame, size) per identity photo and sampled video frame."""
    from avatarlink.audit.dataset import load_rgb, video_frames
    from avatarlink.tracking import FaceTracker

    pictures = (load_rgb(p) for p in sorted((data / "faces" / "identity").glob("*/*")))
    clips = (
        rgb
        for v in sorted((data / "video").glob("*.mp4"))
        for _, rgb in video_frames(v, ROUND_TRIP_STRIDE, None)
    )
    out = []
    with Observer(data / "models" / "face_landmarker.task") as observer:
        for rgb in (*pictures, *clips):
            reading = observer.read(rgb)
            if reading.source != "google":
                continue
            with FaceTracker() as tracker:
                frame = tracker.process(rgb, 0.0)
            if frame.tracked:
                out.append((reading.shapes, frame, (rgb.shape[1], rgb.shape[0])))
    return out


GAIN_SHAPES = ("jawOpen", "browInnerUp", "browDown", "mouthFrown", "eyeWide", "browOuterUp",
               "mouthSmile", "eyeSquint", "eyeBlink", "mouthStretch", "mouthPress",
               "mouthUpperUp", "mouthPucker", "mouthFunnel", "mouthRollLower",
               "eyeLookUp", "eyeLookDown", "eyeLookIn", "eyeLookOut")  # fmt: skip
"""Shapes whose per-shape r and gain the round trip prints (sided ones: mean of both)."""


def _shape(shapes: np.ndarray, name: str) -> np.ndarray:
    """One shape's column; a sided shape is the mean of its Left and Right."""
    if name in ARKIT_INDEX:
        return shapes[:, ARKIT_INDEX[name]]
    return shapes[:, [ARKIT_INDEX[name + "Left"], ARKIT_INDEX[name + "Right"]]].mean(axis=1)


def shape_gains(shown: np.ndarray, seen: np.ndarray) -> str:
    """Per shape ``name=r/gain``: correlation, and slope of re-read on drawn."""
    cols = []
    for name in GAIN_SHAPES:
        a, b = _shape(shown, name), _shape(seen, name)
        if np.ptp(a) == 0 or np.ptp(b) == 0:
            continue
        r = float(np.corrcoef(a, b)[0, 1])
        gain = float(np.polyfit(a, b, 1)[0])
        cols.append(f"{name}={r:.2f}/{gain:.2f}")
    return " ".join(cols)


def round_trip(name: str, observer: Observer, faces: list) -> str:
    """One line: how much of real faces' expression survives drawing and re-reading."""
    shown, seen = [], []
    renderers: dict[tuple[int, int], Renderer] = {}
    try:
        for shapes, frame, size in faces:
            if size not in renderers:
                renderers[size] = Renderer(name, size=size)
            drawn = dataclasses.replace(frame, blendshapes=np.asarray(shapes, np.float32))
            observer.reset()
            reading = observer.read(np.asarray(renderers[size].render(drawn))[..., :3])
            if reading.shapes is not None:
                shown.append(shapes)
                seen.append(reading.shapes)
    finally:
        for r in renderers.values():
            r.close()
    agree = np.mean([read_emotion(a) == read_emotion(b) for a, b in zip(shown, seen, strict=True)])
    a = np.array([list(action_units(s).values()) for s in shown])
    b = np.array([list(action_units(s).values()) for s in seen])
    cols, rs = [], []
    for k, au in enumerate(ACTION_UNITS):
        if a[:, k].max() < 0.01 or np.ptp(b[:, k]) == 0:
            continue  # Google's model never reads this unit (cheekSquint, noseSneer)
        r = float(np.corrcoef(a[:, k], b[:, k])[0, 1])
        rs.append(r)
        cols.append(f"{au}={r:.2f}/{b[:, k].mean() - a[:, k].mean():+.2f}")
    label = Path(name).stem
    return (
        f"{label:6} n={len(shown)} emotion kept {agree * 100:.0f}% mean r {np.mean(rs):.2f} | "
        + " ".join(cols)
        + f"\n{label:6} r/gain per shape | "
        + shape_gains(np.array(shown), np.array(seen))
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="characters or .glb paths (default: all)")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every pose's weights")
    parser.add_argument("--poses", default="", help="only these poses, comma-separated")
    parser.add_argument(
        "--size", type=options.parse_size, default=(640, 480), metavar="WxH", help="render size"
    )
    parser.add_argument(
        "--round-trip",
        action="store_true",
        help="real faces' own shapes drawn and re-read: what the drawing keeps",
    )
    parser.add_argument(
        "--cache", type=Path, default=None, help="keep the round trip's real faces in this file"
    )
    args = parser.parse_args(argv)
    paths = [n for n in args.names if n.endswith(".glb")]
    chosen = paths or [a.name for a in list_avatars() if not args.names or a.name in args.names]
    only = [p for p in args.poses.split(",") if p]
    faces = []
    if args.round_trip and args.cache is not None and args.cache.exists():
        faces = pickle.loads(args.cache.read_bytes())  # our own file, written below
    elif args.round_trip:
        faces = round_trip_faces(args.data)
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(faces))
    with Observer(args.data / "models" / "face_landmarker.task") as observer:
        for name in chosen:
            if args.round_trip:
                print(round_trip(name, observer, faces), flush=True)
            else:
                print("\n".join(probe(name, observer, args.scale, args.size, only)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
