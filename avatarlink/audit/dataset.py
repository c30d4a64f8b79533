"""Find the audit's inputs in a folder laid out like ``shared/data``, or in loose files.

Layout read (every part optional; what is missing is skipped in the report)::

    faces/identity/<identity>/*.jpg|png   several photos per person
    faces/emotion/<label>/*.jpg|png       labelled expressions
    video/*.mp4                           talking / expressive faces
    speech/<speaker>/*.flac               handed to the voice evaluation (EER, F0)
    speech_transcribed/*.wav + *.txt      handed to the voice evaluation (WER)

Pictures are read once, decoded to RGB and shrunk so that the longest side is
at most ``max_side`` pixels: the renderer and both recognisers then work at
webcam size, whatever the source resolution.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from avatarlink.errors import UserError

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp"})
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".avi", ".mkv", ".webm"})
EMOTIONS: tuple[str, ...] = (
    "anger",
    "disgust",
    "fear",
    "happiness",
    "neutral",
    "sadness",
    "surprise",
)
"""Labels the expression section knows; other folder names are read as-is."""

MAX_SIDE = 640


@dataclass
class AuditData:
    """Paths to everything one audit run looks at."""

    identity: dict[str, list[Path]] = field(default_factory=dict)
    emotion: dict[str, list[Path]] = field(default_factory=dict)
    videos: list[Path] = field(default_factory=list)
    speech: Path | None = None
    transcribed: Path | None = None

    @property
    def empty(self) -> bool:
        return not (self.identity or self.emotion or self.videos or self.speech or self.transcribed)

    def limited(self, limit: int | None) -> AuditData:
        """The first ``limit`` identities, images per label and videos (for quick runs)."""
        if limit is None:
            return self
        return AuditData(
            identity=dict(list(self.identity.items())[:limit]),
            emotion={k: v[:limit] for k, v in self.emotion.items()},
            videos=self.videos[:limit],
            speech=self.speech,
            transcribed=self.transcribed,
        )


def _images_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


def _groups(folder: Path, min_size: int) -> dict[str, list[Path]]:
    if not folder.is_dir():
        return {}
    groups = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        images = _images_in(sub)
        if len(images) >= min_size:
            groups[sub.name] = images
    return groups


def _folder(path: Path) -> Path | None:
    return path if path.is_dir() else None


def scan(root: Path) -> AuditData:
    """Walk a data folder; raise UserError when it holds nothing the audit can use."""
    root = Path(root)
    if not root.is_dir():
        raise UserError(f"data folder not found: {root}")
    video_dir = root / "video"
    data = AuditData(
        # identification enrols from a person's other photos: two at least
        identity=_groups(root / "faces" / "identity", min_size=2),
        emotion=_groups(root / "faces" / "emotion", min_size=1),
        videos=sorted(p for p in video_dir.glob("*") if p.suffix.lower() in VIDEO_SUFFIXES)
        if video_dir.is_dir()
        else [],
        speech=_folder(root / "speech"),
        transcribed=_folder(root / "speech_transcribed"),
    )
    if data.empty:
        raise UserError(
            f"{root} has none of faces/identity/<name>/, faces/emotion/<label>/, "
            "video/*.mp4, speech/ or speech_transcribed/"
        )
    return data


def from_files(paths: Iterable[Path]) -> AuditData:
    """Loose files: a picture's folder name is its identity (or label, if it names an emotion)."""
    data = AuditData()
    for path in map(Path, paths):
        if not path.is_file():
            raise UserError(f"file not found: {path}")
        suffix = path.suffix.lower()
        if suffix in VIDEO_SUFFIXES:
            data.videos.append(path)
        elif suffix in IMAGE_SUFFIXES:
            group = path.parent.name
            target = data.emotion if group in EMOTIONS else data.identity
            target.setdefault(group, []).append(path)
        else:
            raise UserError(f"not a picture or video the audit reads: {path.name}")
    return data


def load_rgb(path: Path, max_side: int = MAX_SIDE) -> np.ndarray:
    """An image file as uint8 RGB (grey becomes three equal channels), shrunk to ``max_side``."""
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        raise UserError(f"cannot read image: {path.name}")
    return _shrink(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), max_side)


def _shrink(rgb: np.ndarray, max_side: int) -> np.ndarray:
    h, w = rgb.shape[:2]
    scale = max_side / max(h, w)
    if scale >= 1.0:
        return np.ascontiguousarray(rgb)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)


def frames_to_read(path: Path, stride: int = 1, max_frames: int | None = None) -> int:
    """How many frames :func:`video_frames` will yield (from the container's count)."""
    cap = cv2.VideoCapture(str(path))
    count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) if cap.isOpened() else 0
    cap.release()
    n = -(-count // stride)
    return n if max_frames is None else min(n, max_frames)


def video_frames(
    path: Path, stride: int = 1, max_frames: int | None = None, max_side: int = MAX_SIDE
) -> Iterator[tuple[float, np.ndarray]]:
    """(time in seconds, RGB frame) for every ``stride``-th frame of a video."""
    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        raise UserError(f"cannot open video: {path.name}")
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    try:
        index = emitted = 0
        while max_frames is None or emitted < max_frames:
            ok, bgr = cap.read()
            if not ok:
                break
            if index % stride == 0:
                yield index / fps, _shrink(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), max_side)
                emitted += 1
            index += 1
    finally:
        cap.release()
    if index == 0:
        raise UserError(f"video has no readable frames: {path.name}")
