"""`avatarlink demo`: the first thing to run: a short clip, no camera and no data needed."""

from __future__ import annotations

import argparse
from pathlib import Path

from tqdm import tqdm

from avatarlink.pipeline import options
from avatarlink.pipeline.performance import duration, performance
from avatarlink.pipeline.sinks.video import VideoWriter, check_writable

DESCRIPTION = f"""\
Render a {duration():.0f}-second clip of a character going through a range of
expressions (smile, talk, surprise, sadness, anger, a wink, a kiss) while
its head and eyes move, and write it to a video file. It needs no camera and
no data: it shows that rendering works on this machine and what a character
looks like before you try `avatarlink run`.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="render a short clip of a character's expressions (no camera needed)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-o",
        "--output",
        default="avatarlink-demo.mp4",
        metavar="PATH",
        help="the video file to write (default: %(default)s)",
    )
    options.add_character_args(parser, "640x480")
    parser.add_argument("--fps", type=float, default=30.0, help="frame rate (default: 30)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = check_writable(Path(args.output))
    size = args.size or options.DEFAULT_SIZE
    avatar = options.load_character(args.avatar)
    frames = performance(args.fps)
    with options.renderer_factory(avatar, args.background)(size) as renderer:
        writer = VideoWriter(out, size, args.fps)
        try:
            for frame in tqdm(frames, unit="frame", desc="demo", disable=args.quiet):
                writer.write(renderer.render(frame))
        finally:
            writer.close()
    print(f"avatarlink: wrote the demo to {out} ({writer.frames} frames, {size[0]}x{size[1]})")
    return 0
