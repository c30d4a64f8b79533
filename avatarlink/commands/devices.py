"""`avatarlink devices`: the sound devices the live voice changer can use."""

from __future__ import annotations

import argparse

from avatarlink.errors import UserError
from avatarlink.voice.audio_io import load_sounddevice


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "devices",
        help="list audio input/output devices (for voice --live --input/--output)",
        description="List the sound devices PortAudio sees, with their index, channels and "
        "default sample rate. Pass an index or part of a name to `avatarlink voice --live "
        "--input ... --output ...`. '>' marks the default input, '<' the default output.",
    )
    parser.set_defaults(func=run)


def run(_args: argparse.Namespace) -> int:
    sd = load_sounddevice()
    devices = sd.query_devices()
    if len(devices) == 0:
        raise UserError("no audio devices found (is a sound card or PulseAudio/PipeWire present?)")
    default_in, default_out = sd.default.device
    apis = sd.query_hostapis()
    print(f"{'':2}{'#':>3}  {'name':40} {'in':>3} {'out':>3} {'rate':>7}  api")
    for d in devices:
        mark = (">" if d["index"] == default_in else " ") + (
            "<" if d["index"] == default_out else " "
        )
        print(
            f"{mark}{d['index']:>3}  {d['name'][:40]:40} {d['max_input_channels']:>3} "
            f"{d['max_output_channels']:>3} {d['default_samplerate']:>7.0f}  "
            f"{apis[d['hostapi']]['name']}"
        )
    return 0
