"""`avatarlink track`: a camera, video or image folder -> a frames CSV."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from avatarlink.frame import FaceFrame

DESCRIPTION = """\
Track one face and write what it does, one CSV row per input frame: time,
tracked (0/1), the 52 ARKit blendshape coefficients (0..1), head yaw/pitch/roll
(degrees; positive = towards the person's own left / chin up / tilt to the
left shoulder), head position (metres) and gaze per eye (degrees).

The CSV holds no pixels and no landmarks. With two or more people in view the
most prominent face is followed and bystanders are ignored.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "track",
        help="face -> 52 blendshapes + head pose, as a CSV",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("source", help="camera index (0, 1, ...), video file or folder of images")
    parser.add_argument(
        "--out", required=True, type=Path, metavar="FRAMES.csv", help="CSV to write"
    )
    parser.add_argument(
        "--profile", metavar="NAME", help="calibration profile (see `avatarlink calibrate`)"
    )
    parser.add_argument(
        "--model",
        type=Path,
        metavar="PATH.task",
        help="use Google's Face Landmarker bundle and its own blendshapes instead of ours",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from avatarlink.errors import UserError
    from avatarlink.framecsv import write_frames
    from avatarlink.tracking import FaceTracker, open_source

    if not args.out.parent.is_dir():
        raise UserError(f"cannot write {args.out}: folder {args.out.parent} does not exist")

    with open_source(args.source) as source, FaceTracker(args.profile, args.model) as tracker:

        def frames() -> Iterator[FaceFrame]:
            with tqdm(total=source.frame_count, unit="frame", desc="tracking") as bar:
                for t, rgb in source:
                    frame = tracker.process(rgb, t)
                    bar.update()
                    yield frame

        written = write_frames(args.out, frames())
    print(f"wrote {written} frames to {args.out}")
    return 0
