"""One audit run: every method over every section, figures gathered into one dict.

Each picture is read once; one landmark pass feeds blur, pixelation and the
dots, and the character sees only the camera picture through its own
tracker. The figures dict is what ``report`` writes as JSON and Markdown;
the few output pictures kept for the grid stay in memory and go only to the
user's report folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from avatarlink.audit import voice
from avatarlink.audit.dataset import AuditData, frames_to_read, load_rgb, video_frames
from avatarlink.audit.expression import (
    ANONEMOFACE_HUMAN,
    PROTOTYPES,
    Observer,
    Reading,
    read_emotion,
)
from avatarlink.audit.identity import Box, FaceRecogniser
from avatarlink.audit.measures import agreement, identify, pair_scores, stack, top1_accuracy
from avatarlink.audit.methods import METHOD_NAMES, Character, Method, make_methods
from avatarlink.audit.stream_attack import align_landmarks, attack, frame_features
from avatarlink.frame import ARKIT_NAMES, N_SHAPES
from avatarlink.metrics import eer, pearson, roc_curve, tar_at_far

GRID_SUBJECTS = 4
EMOTION_ORDER = ("happiness", "fear", "anger", "disgust", "sadness", "surprise")


@dataclass
class AuditOptions:
    observer_model: Path | None  # Google's face_landmarker.task; needed for expression and video
    methods: tuple[str, ...] = METHOD_NAMES
    avatar: str | None = None
    video_stride: int = 1
    video_frames: int | None = None
    limit: int | None = None  # speakers, utterances and clips for the voice section
    progress: bool = True


@dataclass
class AuditResult:
    figures: dict
    grid: list[tuple[str, list[np.ndarray]]] = field(default_factory=list)


def _bar(items: Iterable, total: int, desc: str, enabled: bool) -> Iterable:
    return tqdm(items, total=total, desc=desc, unit="item", disable=not enabled, leave=False)


def _apply_all(
    methods: list[Method], rgb: np.ndarray, t: float, landmarks: np.ndarray | None, fresh: bool
) -> dict[str, np.ndarray]:
    outputs = {}
    for method in methods:
        if fresh:
            method.reset()
        outputs[method.name] = method.apply(rgb, t, landmarks)
    return outputs


def _identity_section(
    data: AuditData, methods: list[Method], detector, options: AuditOptions, grid: list
) -> dict:
    recogniser = FaceRecogniser()
    items = [(name, path) for name, paths in data.identity.items() for path in paths]
    ids = [name for name, _ in items]
    desc = {m.name: [] for m in methods}
    found = {m.name: [] for m in methods}
    frames, clouds = [], []
    names = list(data.identity)
    # people spread over the list, so the grid shows pictures from several sources
    picks = np.linspace(0, len(names) - 1, min(GRID_SUBJECTS, len(names))).round().astype(int)
    grid_names = {names[i] for i in picks}
    for name, path in _bar(items, len(items), "identity", options.progress):
        rgb = load_rgb(path)
        landmarks = detector.detect(rgb)
        outputs = _apply_all(methods, rgb, 0.0, landmarks, fresh=True)
        original = recogniser.describe(rgb)
        fallback = original.box or _landmark_box(landmarks, rgb.shape)
        for method in methods:
            d = (
                original
                if method.name == "original"
                else recogniser.describe(outputs[method.name], fallback)
            )
            desc[method.name].append(d.descriptor)
            found[method.name].append(d.found)
            if isinstance(method, Character):
                frames.append(frame_features(method.last_frame))
        clouds.append(landmarks)
        if name in grid_names:
            grid.append((name, [outputs[m.name] for m in methods]))
            grid_names.discard(name)
    src = list(range(len(items)))
    gallery = stack(desc["original"], 128)
    per_method = {}
    for method in methods:
        probes = stack(desc[method.name], 128)
        genuine, impostor = pair_scores(gallery, ids, src, probes, ids, src)
        far, tar = _corners(*roc_curve(genuine, impostor)[:2])
        per_method[method.name] = {
            "face_found": float(np.mean(found[method.name])),
            "tar_at_far1": tar_at_far(genuine, impostor, 0.01),
            "eer": eer(genuine, impostor),
            "top1": top1_accuracy(identify(gallery, ids, src, probes, src), ids),
            "roc": {"far": far.tolist(), "tar": tar.tolist()},
        }
    stream = {"landmarks": attack(align_landmarks(clouds), ids)}
    if frames:
        stream["faceframe"] = attack(frames, ids)
        # expression alone: pose and position partly reflect how each photo was framed
        shapes = [None if f is None else f[:N_SHAPES] for f in frames]
        stream["faceframe_shapes"] = attack(shapes, ids)
    return {
        "identity": {
            "n_identities": len(data.identity),
            "n_images": len(items),
            "chance": 1.0 / len(data.identity),
            "methods": per_method,
        },
        "stream": stream,
    }


def _corners(far: np.ndarray, tar: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ROC's corner points only (where it turns): the same curve, far fewer numbers."""
    keep = np.ones(len(far), dtype=bool)
    keep[1:-1] = (np.diff(tar)[:-1] != 0) | (np.diff(tar)[1:] != 0)
    return far[keep], tar[keep]


def _landmark_box(landmarks: np.ndarray | None, shape: tuple[int, ...]) -> Box | None:
    if landmarks is None:
        return None
    h, w = shape[:2]
    xs, ys = landmarks[:, 0] * w, landmarks[:, 1] * h
    return Box(int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))


FACEFRAME = "faceframe"
"""Pseudo-method: the character's FaceFrame itself, read as the observer's shapes.

Set beside the observer's reading of the rendered character, it tells whether
expression is lost in tracking (FaceFrame already disagrees) or in drawing and
re-reading the character (FaceFrame agrees, the render does not)."""


def _faceframe_reading(methods: list[Method]) -> Reading | None:
    for method in methods:
        if isinstance(method, Character):
            frame = method.last_frame
            shapes = np.asarray(frame.blendshapes, np.float32) if frame.tracked else None
            return Reading(shapes, FACEFRAME if frame.tracked else "none")
    return None


def _shape_r(a: np.ndarray | None, b: np.ndarray | None) -> float:
    return pearson(a, b) if a is not None and b is not None else float("nan")


def _expression_section(
    data: AuditData, methods: list[Method], detector, observer: Observer, options: AuditOptions
) -> dict:
    items = [(label, path) for label, paths in data.emotion.items() for path in paths]
    labels = [label for label, _ in items]
    readings: dict[str, list] = {m.name: [] for m in methods}
    for _, path in _bar(items, len(items), "expression", options.progress):
        rgb = load_rgb(path)
        landmarks = detector.detect(rgb)
        outputs = _apply_all(methods, rgb, 0.0, landmarks, fresh=True)
        for method in methods:
            observer.reset()
            readings[method.name].append(observer.read(outputs[method.name]))
        sent = _faceframe_reading(methods)
        if sent is not None:
            readings.setdefault(FACEFRAME, []).append(sent)
    emotions = {m: [read_emotion(r.shapes) for r in readings[m]] for m in readings}
    present = [e for e in EMOTION_ORDER if e in labels] + sorted(set(labels) - set(EMOTION_ORDER))
    per_method = {}
    for name, said in emotions.items():
        base = emotions["original"]
        rows = {e: [i for i, lab in enumerate(labels) if lab == e] for e in present}
        shape_r = [
            _shape_r(readings["original"][i].shapes, r.shapes) for i, r in enumerate(readings[name])
        ]
        per_method[name] = {
            "face_found": float(np.mean([r.shapes is not None for r in readings[name]])),
            "observer": _sources(readings[name]),
            "agreement": {
                e: agreement([said[i] for i in rows[e]], [base[i] for i in rows[e]])
                for e in present
            },
            "accuracy": {
                e: agreement([said[i] for i in rows[e]], [e] * len(rows[e])) for e in present
            },
            "agreement_all": agreement(said, base),
            "accuracy_all": agreement(said, labels),
            "shape_r_mean": float(np.nanmean(shape_r))
            if not np.all(np.isnan(shape_r))
            else float("nan"),
        }
    return {
        "n_images": len(items),
        "n_per_label": {e: labels.count(e) for e in present},
        "readable_emotions": sorted(PROTOTYPES),
        "anonemoface_human": ANONEMOFACE_HUMAN,
        "methods": per_method,
    }


def _sources(readings: list) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in readings:
        out[r.source] = out.get(r.source, 0) + 1
    return out


def _video_section(data: AuditData, methods: list[Method], options: AuditOptions) -> dict:
    from avatarlink.tracking import LandmarkDetector

    series: dict[str, list[np.ndarray | None]] = {m.name: [] for m in methods}
    sources: dict[str, list] = {m.name: [] for m in methods}
    n_frames = 0
    total = sum(frames_to_read(p, options.video_stride, options.video_frames) for p in data.videos)
    bar = tqdm(total=total, desc="video frames", unit="frame", disable=not options.progress)
    for path in data.videos:
        observers = {m.name: Observer(options.observer_model) for m in methods}
        detector = LandmarkDetector(video=True)
        for method in methods:
            method.reset()
        try:
            for t, rgb in video_frames(path, options.video_stride, options.video_frames):
                landmarks = detector.detect(rgb)
                outputs = _apply_all(methods, rgb, t, landmarks, fresh=False)
                for method in methods:
                    reading = observers[method.name].read(outputs[method.name], t)
                    series[method.name].append(reading.shapes)
                    sources[method.name].append(reading)
                sent = _faceframe_reading(methods)
                if sent is not None:
                    series.setdefault(FACEFRAME, []).append(sent.shapes)
                    sources.setdefault(FACEFRAME, []).append(sent)
                n_frames += 1
                bar.update()
        finally:
            detector.close()
            for obs in observers.values():
                obs.close()
    bar.close()
    per_method = {}
    base = series["original"]
    for name, seq in series.items():
        both = [
            i
            for i, (a, b) in enumerate(zip(base, seq, strict=True))
            if a is not None and b is not None
        ]
        a = np.array([base[i] for i in both]).reshape(-1, N_SHAPES)
        b = np.array([seq[i] for i in both]).reshape(-1, N_SHAPES)
        r = {
            n: pearson(a[:, k], b[:, k]) if len(both) > 2 else float("nan")
            for k, n in enumerate(ARKIT_NAMES)
        }
        valid = [v for v in r.values() if not np.isnan(v)]
        per_method[name] = {
            "face_found": float(np.mean([s is not None for s in seq])) if seq else float("nan"),
            "observer": _sources(sources[name]),
            "frames_compared": len(both),
            "shape_r": r,
            "mean_r": float(np.mean(valid)) if valid else float("nan"),
        }
    return {
        "n_videos": len(data.videos),
        "n_frames": n_frames,
        "stride": options.video_stride,
        "methods": per_method,
    }


def run_audit(
    data: AuditData, options: AuditOptions, note: Callable[[str], None] = print
) -> AuditResult:
    """Run every section the data allows; the others are listed under ``skipped``."""
    from avatarlink.tracking import LandmarkDetector

    methods = make_methods(options.methods, options.avatar)
    figures: dict = {"methods": [m.name for m in methods], "skipped": []}
    grid: list = []
    try:
        with LandmarkDetector() as detector:
            if len(data.identity) >= 2:
                note("identity: dlib face recogniser against every method")
                figures.update(_identity_section(data, methods, detector, options, grid))
            else:
                figures["skipped"].append("identity: needs two or more people with two photos each")
            if data.emotion:
                note("expression: the observer on labelled pictures")
                with Observer(options.observer_model) as observer:
                    figures["expression"] = _expression_section(
                        data, methods, detector, observer, options
                    )
            else:
                figures["skipped"].append("expression: no faces/emotion/<label>/ pictures")
        if data.videos:
            note("video: per-shape agreement over frames")
            figures["video"] = _video_section(data, methods, options)
        else:
            figures["skipped"].append("video: no videos")
    finally:
        for method in methods:
            method.close()
    figures["voice"] = voice.evaluate(data.speech, data.transcribed, options.limit, note)
    return AuditResult(figures, grid)
