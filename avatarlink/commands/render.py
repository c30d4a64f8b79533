"""`avatarlink render`: turn a recorded video into an anonymised video of the character."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import numpy as np

from avatarlink.errors import UserError
from avatarlink.pipeline import audio, options
from avatarlink.pipeline.offline import OfflineRender
from avatarlink.pipeline.sinks.video import check_writable

DESCRIPTION = """\
Render every frame of a video (or image folder) as the chosen character.

The output keeps the input's frame count and frame rate, so it lines up with
the original for research use. It contains only the character: no camera
pixel, and no sound unless --voice is given, in which case the input's sound
goes through the voice changer first (the original voice is never copied).
Where the face is lost the character eases into a calm idle.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "render",
        help="turn a video file into an anonymised video of the character",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("source", metavar="SOURCE", help="a video file or a folder of images")
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUT.mp4", help="the video file to write"
    )
    options.add_character_args(parser, "the input's size")
    options.add_tracker_args(parser)
    parser.add_argument(
        "--voice", metavar="PRESET", help="keep the sound, shifted by this voice preset"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for the voice's randomness")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def _voice(source: str, preset: str, seed: int) -> Callable[[float], tuple[np.ndarray, int]]:
    """Checks the preset and reads the sound now, so a mistake shows before the long render."""
    offline = options.require("avatarlink.voice.offline", "the voice changer")
    rate = audio.SAMPLE_RATE

    def shift(samples: np.ndarray) -> np.ndarray:
        try:
            return np.asarray(offline.process_array(samples, rate, preset, seed), np.float32)
        except ValueError as exc:
            raise UserError(f"--voice {preset}: {exc}") from None

    shift(np.zeros(rate // 10, np.float32))
    original = audio.extract_audio(Path(source), rate)

    def changed(seconds: float) -> tuple[np.ndarray, int]:
        return audio.fit_length(shift(original), round(seconds * rate)), rate

    return changed


def run(args: argparse.Namespace) -> int:
    avatar = options.load_character(args.avatar)
    check_writable(Path(args.output))
    with options.open_source(args.source) as source:
        voice = _voice(args.source, args.voice, args.seed) if args.voice else None
        job = OfflineRender(
            source,
            options.tracker_factory(args.profile, args.tracker_model),
            options.renderer_factory(avatar, args.background),
            Path(args.output),
            size=args.size,
            voice=voice,
            progress=not args.quiet,
        )
        result = job.run()
    sound = f", voice {args.voice}" if args.voice else ", no sound"
    print(
        f"avatarlink: wrote {result.path} ({result.frames} frames at {result.fps:g} fps, "
        f"{result.size[0]}x{result.size[1]}{sound}); face found in {result.tracked} frames"
    )
    return 0
