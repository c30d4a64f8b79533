"""FaceFrame streams as CSV: what `avatarlink track` writes and `send` replays.

One row per input frame. The columns are the public file format, so they are
stable: time, tracked, the 52 ARKit names, head angles (degrees), head
translation (metres, camera space) and per-eye gaze (degrees).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from avatarlink.errors import UserError
from avatarlink.frame import ARKIT_NAMES, FaceFrame, quat_from_euler

POSE_COLUMNS = ("head_yaw", "head_pitch", "head_roll", "head_x", "head_y", "head_z")
GAZE_COLUMNS = ("gaze_left_yaw", "gaze_left_pitch", "gaze_right_yaw", "gaze_right_pitch")
COLUMNS: tuple[str, ...] = ("time", "tracked", *ARKIT_NAMES, *POSE_COLUMNS, *GAZE_COLUMNS)


def frame_to_row(frame: FaceFrame) -> list[str]:
    """Numbers rounded to what a tracker can honestly resolve, to keep files small."""
    yaw, pitch, roll = frame.head_euler()
    values = [
        *frame.blendshapes.tolist(),
        yaw, pitch, roll, *frame.head_translation.tolist(),
        *frame.gaze_left.tolist(), *frame.gaze_right.tolist(),
    ]  # fmt: skip
    return [f"{frame.time:.4f}", str(int(frame.tracked))] + [f"{v:.4f}" for v in values]


def row_to_frame(row: dict[str, str]) -> FaceFrame:
    shapes = np.array([float(row[name]) for name in ARKIT_NAMES], dtype=np.float32)

    def get(col: str) -> float:
        return float(row.get(col) or 0.0)

    return FaceFrame(
        time=float(row["time"]),
        tracked=row["tracked"].strip() in ("1", "true", "True"),
        blendshapes=shapes,
        head_rotation=quat_from_euler(get("head_yaw"), get("head_pitch"), get("head_roll")),
        head_translation=[get("head_x"), get("head_y"), get("head_z")],
        gaze_left=[get("gaze_left_yaw"), get("gaze_left_pitch")],
        gaze_right=[get("gaze_right_yaw"), get("gaze_right_pitch")],
    )


def write_frames(path: Path, frames: Iterable[FaceFrame]) -> int:
    """Write every frame; returns the number of rows written."""
    count = 0
    try:
        with open(path, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(COLUMNS)
            for frame in frames:
                writer.writerow(frame_to_row(frame))
                count += 1
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    return count


def read_frames(path: Path) -> Iterator[FaceFrame]:
    """Replay a CSV written by `avatarlink track`; a malformed file is a UserError."""
    try:
        fh = open(path, newline="")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    with fh:
        reader = csv.DictReader(fh)
        missing = {"time", "tracked", *ARKIT_NAMES} - set(reader.fieldnames or ())
        if missing:
            raise UserError(
                f"{path} is not an avatarlink frames CSV (missing columns such as "
                f"{sorted(missing)[0]!r})"
            )
        for line, row in enumerate(reader, start=2):
            try:
                yield row_to_frame(row)
            except (TypeError, ValueError):
                raise UserError(f"{path}:{line}: malformed row") from None
