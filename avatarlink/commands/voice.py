"""`avatarlink voice`: shift a voice file, or the microphone live."""

from __future__ import annotations

import argparse
import sys
import time

from avatarlink.errors import UserError
from avatarlink.voice.formant import FormantWarp
from avatarlink.voice.offline import process_file
from avatarlink.voice.presets import PRESETS, Preset, get_preset
from avatarlink.voice.stream import VoiceParams

DESCRIPTION = """\
Shift pitch and formants independently so the voice is not the speaker's own,
while words and intonation stay clear.

  avatarlink voice talk.flac -o talk_anon.wav --preset anonymous
  avatarlink voice --live --preset deeper [--input 2] [--output "USB"]

Each preset is a range: the exact settings are drawn at random once per run
(--seed N makes a run repeatable), so knowing the preset does not undo it.
They are never printed. --pitch/--formant set fixed settings instead.
Presets: {presets}.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    presets = "; ".join(f"{p.name} ({p.description})" for p in PRESETS.values())
    parser = subparsers.add_parser(
        "voice",
        help="shift a voice (file or live microphone) so it is not recognisable",
        description=DESCRIPTION.format(presets=presets),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", nargs="?", help="wav or flac file (any rate, mono or stereo)")
    parser.add_argument("-o", "--output-file", dest="output_file", help="output .wav or .flac")
    parser.add_argument(
        "--preset", default="anonymous", choices=sorted(PRESETS), help="default: anonymous"
    )
    parser.add_argument("--seed", type=int, help="draw the preset's settings repeatably")
    parser.add_argument(
        "--pitch", type=float, metavar="SEMITONES", help="fixed pitch shift (overrides --preset)"
    )
    parser.add_argument(
        "--formant", type=float, metavar="RATIO", help="fixed formant ratio (overrides --preset)"
    )
    live = parser.add_argument_group("live")
    live.add_argument("--live", action="store_true", help="microphone -> output device")
    live.add_argument("--input", dest="input_device", help="input device index or name part")
    live.add_argument("--output", dest="output_device", help="output device index or name part")
    live.add_argument("--sample-rate", type=int, help="default: the input device's rate")
    live.add_argument(
        "--block", type=int, help="samples per audio callback (default: 20 ms; less costs more CPU)"
    )
    live.add_argument("--seconds", type=float, help="stop after this long (default: Ctrl-C)")
    parser.set_defaults(func=run)


def _device(value: str | None) -> int | str | None:
    return int(value) if value is not None and value.isdigit() else value


def _settings(args: argparse.Namespace) -> Preset | VoiceParams:
    if args.pitch is None and args.formant is None:
        return get_preset(args.preset)
    try:
        return VoiceParams(args.pitch or 0.0, FormantWarp(ratio=args.formant or 1.0))
    except ValueError as exc:
        raise UserError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.live:
        if args.input or args.output_file:
            raise UserError("--live takes no input file or -o; use --input/--output for devices")
        return _run_live(args, settings)
    if not args.input or not args.output_file:
        raise UserError("give an input file and -o OUTPUT (.wav/.flac), or use --live")
    process_file(args.input, args.output_file, settings, seed=args.seed)
    print(f"wrote {args.output_file} ({args.preset if isinstance(settings, Preset) else 'fixed'})")
    return 0


def _run_live(args: argparse.Namespace, settings: Preset | VoiceParams) -> int:
    from avatarlink.voice.live import LiveVoice

    voice = LiveVoice(
        settings,
        input=_device(args.input_device),
        output=_device(args.output_device),
        seed=args.seed,
        sample_rate=args.sample_rate,
        block=args.block,
    )
    print(
        f"voice: {voice.input_name} -> {voice.output_name}, {voice.sample_rate} Hz, "
        f"latency {voice.latency_seconds * 1000:.0f} ms + device buffers. Ctrl-C stops.",
        file=sys.stderr,
    )
    start = time.monotonic()
    with voice:
        while args.seconds is None or time.monotonic() - start < args.seconds:
            time.sleep(0.5)
            if voice.error:
                raise UserError(voice.error)
            print(f"\rxruns: {voice.xruns}  ", end="", file=sys.stderr, flush=True)
    print(
        f"\rxruns: {voice.xruns}  processed {voice.frames / voice.sample_rate:.1f} s",
        file=sys.stderr,
    )
    return 0
