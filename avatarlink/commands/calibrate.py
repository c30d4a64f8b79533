"""`avatarlink calibrate`: record a person's neutral face (and ranges) as a profile."""

from __future__ import annotations

import argparse

import numpy as np

from avatarlink.errors import UserError

DESCRIPTION = """\
Record a calibration profile: first a few seconds of your relaxed face
looking at the camera (the neutral), then, with --expressions, a few seconds
in which you make big expressions (smile, open wide, raise and lower your
brows, look around, puff your cheeks): these set your personal ranges.

The profile holds only per-shape numbers (no pixels, no landmarks). Use it
with `avatarlink track --profile NAME` or `avatarlink run --profile NAME`.
Profiles live in your user config folder (override with AVATARLINK_CONFIG_DIR).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="record your neutral face (and ranges) as a named profile",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--camera", type=int, default=0, metavar="N", help="camera index (default 0)"
    )
    where.add_argument("--source", metavar="FILE", help="a video file or image folder instead")
    parser.add_argument("--name", required=True, help="profile name (letters, digits, . _ -)")
    parser.add_argument(
        "--seconds", type=float, default=3.0, metavar="S", help="neutral capture length (default 3)"
    )
    parser.add_argument(
        "--expressions",
        type=float,
        default=0.0,
        metavar="S",
        help="then capture S seconds of expressions for personal ranges (default: off)",
    )
    parser.set_defaults(func=run)


def _capture(source, tracker, start: float, seconds: float, desc: str) -> list[np.ndarray]:
    from tqdm import tqdm

    drivers: list[np.ndarray] = []
    with tqdm(total=round(seconds * source.fps), unit="frame", desc=desc) as bar:
        for t, rgb in source:
            if t < start:
                continue
            if t >= start + seconds:
                break
            d = tracker.measure(rgb, t)
            if d is not None:
                drivers.append(d)
            bar.update()
    return drivers


def run(args: argparse.Namespace) -> int:
    from avatarlink.tracking import FaceTracker, open_source
    from avatarlink.tracking.calibration import Calibration, profile_path, save_profile

    if args.seconds <= 0 or args.expressions < 0:
        raise UserError("--seconds must be > 0 and --expressions >= 0")
    profile_path(args.name)  # reject a bad name before the camera starts
    spec = args.source if args.source is not None else args.camera
    with open_source(spec) as source, FaceTracker() as tracker:
        frames = iter(source)
        neutral = _capture(_Resume(source, frames), tracker, 0.0, args.seconds, "neutral")
        calibration = Calibration.from_neutral(np.array(neutral) if neutral else np.empty((0, 0)))
        if args.expressions > 0:
            moves = _capture(
                _Resume(source, frames), tracker, args.seconds, args.expressions, "expressions"
            )
            if len(moves) < 5:
                raise UserError("no face seen during the expressions capture")
            calibration = calibration.with_ranges(np.array(moves))
    path = save_profile(args.name, calibration)
    print(f"saved profile {args.name!r} to {path}")
    return 0


class _Resume:
    """Lets two captures share one running source (the second continues the first)."""

    def __init__(self, source, frames) -> None:
        self.fps = source.fps
        self._frames = frames

    def __iter__(self):
        return self._frames
