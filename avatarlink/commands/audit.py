"""`avatarlink audit`: machine attackers and an expression observer against every anonymiser."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from avatarlink.errors import UserError

DESCRIPTION = """\
Test the two promises with machines: nobody can tell who you are, everybody
can still read how you feel. Compares, in one run, our character, blur,
pixelation, AnonEmoFace-style landmark dots and the original (as control):

  face identity   dlib's ResNet face recogniser: verification (TAR at 1% FAR,
                  ROC), identification top-1 against chance, face-found rate
  the stream      a nearest-neighbour attacker on FaceFrame numbers vs on
                  raw landmarks
  expression      Google's Face Landmarker blendshapes on the original and on
                  each output: per-emotion agreement, per-shape correlation
                  over video frames
  voice           the voice changer's EER, WER and F0 (needs the bench extra)

DATA is a folder laid out like shared/data: faces/identity/<person>/*.jpg,
faces/emotion/<label>/*.jpg, video/*.mp4, speech/<speaker>/*.flac and
speech_transcribed/*.wav with *.txt. Loose files work too: a picture's
folder name is its person, or its label if it names an emotion.
Writes report.md, figures.json and PNG plots into REPORT_DIR. The grid image
shows original faces: keep REPORT_DIR private. Needs the audit extra:
pip install 'avatarlink[audit]'.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="privacy and expressivity audit with machine attackers",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files", nargs="*", type=Path, help="pictures or videos (instead of --data)"
    )
    parser.add_argument(
        "--data", type=Path, metavar="DIR", help="a folder laid out like shared/data"
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="REPORT_DIR",
        help="where the report goes",
    )
    parser.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="quick run: the first N people, N pictures per emotion, N videos, N speakers",
    )
    parser.add_argument(
        "--video-stride",
        type=int,
        default=1,
        metavar="K",
        help="use every K-th video frame (default 1)",
    )
    parser.add_argument("--video-frames", type=int, metavar="N", help="at most N frames per video")
    parser.add_argument(
        "--methods",
        default="character,blur,pixelate,dots",
        help="anonymisers to compare, comma-separated (the original always runs as control)",
    )
    parser.add_argument("--avatar", help="character to render (default: the default avatar)")
    parser.add_argument(
        "--observer-model",
        type=Path,
        metavar="TASK",
        help="Google's face_landmarker.task (default: DATA/models/face_landmarker.task)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.set_defaults(func=run)


def _methods(text: str) -> tuple[str, ...]:
    from avatarlink.audit.methods import METHOD_NAMES

    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = sorted(set(names) - set(METHOD_NAMES))
    if unknown:
        raise UserError(
            f"unknown method {', '.join(unknown)}; choose from {', '.join(METHOD_NAMES)}"
        )
    return ("original", *dict.fromkeys(n for n in names if n != "original"))


def _command(args: argparse.Namespace) -> str:
    """The options this run used, as a command line to repeat it."""
    parts = ["avatarlink", "audit", *map(str, args.files)]
    for flag, value in (
        ("--data", args.data),
        ("-o", args.output),
        ("--limit", args.limit),
        ("--video-stride", args.video_stride),
        ("--video-frames", args.video_frames),
        ("--methods", args.methods),
        ("--avatar", args.avatar),
        ("--observer-model", args.observer_model),
    ):
        if value is not None:
            parts += [flag, str(value)]
    return shlex.join(parts)


def run(args: argparse.Namespace) -> int:
    from avatarlink.audit.dataset import from_files, scan

    if (args.data is None) == (not args.files):
        raise UserError("give either --data DIR or picture/video files, not both or neither")
    for name in ("limit", "video_stride", "video_frames"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise UserError(f"--{name.replace('_', '-')} must be at least 1")
    methods = _methods(args.methods)
    data = scan(args.data) if args.data else from_files(args.files)
    data = data.limited(args.limit)
    observer = args.observer_model
    if observer is None and args.data is not None:
        observer = args.data / "models" / "face_landmarker.task"
    if (data.emotion or data.videos) and (observer is None or not observer.is_file()):
        raise UserError(
            f"the expression observer needs Google's face_landmarker.task "
            f"({'not found: ' + str(observer) if observer else 'none given'}); "
            "pass --observer-model PATH"
        )

    from avatarlink.audit.report import write_report
    from avatarlink.audit.runner import AuditOptions, run_audit

    options = AuditOptions(
        observer_model=observer,
        methods=methods,
        avatar=args.avatar,
        video_stride=args.video_stride,
        video_frames=args.video_frames,
        limit=args.limit,
        progress=not args.quiet,
    )
    note = (lambda _msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))
    result = run_audit(data, options, note)
    result.figures["command"] = _command(args)
    write_report(result.figures, result.grid, args.output)
    print(f"report: {args.output / 'report.md'}")
    print(f"figures: {args.output / 'figures.json'}")
    return 0
