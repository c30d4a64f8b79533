"""`avatarlink run`: the live character from a webcam (or a file played in real time)."""

from __future__ import annotations

import argparse
from contextlib import ExitStack
from typing import Any

from avatarlink.errors import UserError
from avatarlink.pipeline import options
from avatarlink.pipeline.live import LivePipeline
from avatarlink.pipeline.sinks import Sink
from avatarlink.pipeline.sinks.video import RealTimeRecorder, check_writable
from avatarlink.pipeline.sinks.window import KEYS_HELP, WINDOW_TITLE, WindowSink, check_display
from avatarlink.render.gl import leave_a_core_for_tracking

DESCRIPTION = """\
Track your face from a webcam and show it live as a 3D character.

Outputs (any together; the window is the default when none is given):
  --window           a window titled "avatarlink": pick it in OBS with Window
                     Capture; q or Esc quits, c recalibrates your neutral face
  --virtual-camera   a webcam other apps can choose (needs v4l2loopback on
                     Linux, OBS Virtual Camera on Windows/macOS)
  --record OUT.mp4   a video file of the character
  --osc SPEC         face numbers over OSC to VRChat or a VMC app

Camera pixels never leave the tracker: every output shows only the
character, and when your face is lost the character eases into a calm idle.
Capture, tracking and rendering run side by side; when one falls behind,
frames are dropped instead of queued, so the delay stays short.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="live character from your webcam (window, virtual camera, recording, OSC)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--camera", type=int, metavar="N", help="webcam index (default: 0)")
    source.add_argument(
        "--source", metavar="FILE", help="a video file or image folder, played in real time"
    )
    options.add_character_args(parser, "640x480")
    options.add_tracker_args(parser)
    out = parser.add_argument_group("outputs")
    out.add_argument("--window", action="store_true", help="show the character in a window")
    out.add_argument(
        "--virtual-camera", action="store_true", help="send the character to a virtual webcam"
    )
    out.add_argument("--record", metavar="OUT.mp4", help="also record the character to a file")
    out.add_argument(
        "--osc",
        action="append",
        metavar="SPEC",
        help="send the face over OSC (repeatable): KIND[:HOST[:PORT]] with KIND one of "
        "vrchat, vmc, ifacialmocap, raw",
    )
    out.add_argument(
        "--fps", type=float, default=30.0, help="virtual camera and recording rate (default: 30)"
    )
    voice = parser.add_argument_group("voice")
    voice.add_argument("--voice", metavar="PRESET", help="also shift your voice live")
    voice.add_argument("--voice-input", metavar="DEV", help="microphone (default: the system's)")
    voice.add_argument("--voice-output", metavar="DEV", help="speaker or virtual cable")
    voice.add_argument("--seed", type=int, default=0, help="seed for the voice's randomness")
    speed = parser.add_argument_group("speed (software OpenGL)")
    speed.add_argument(
        "--antialias",
        type=int,
        default=0,
        metavar="N",
        help="MSAA samples: 0 is fastest, 4 smoothest (default: 0)",
    )
    speed.add_argument(
        "--render-scale",
        type=float,
        default=1.0,
        metavar="S",
        help="render at S times the size and upscale, e.g. 0.75 (default: 1)",
    )
    parser.add_argument(
        "--duration", type=float, metavar="SECONDS", help="stop after this long (default: never)"
    )
    parser.set_defaults(func=run)


def _sinks(args: argparse.Namespace, size: tuple[int, int], stack: ExitStack) -> list[Sink]:
    sinks: list[Sink] = []
    if args.virtual_camera:
        from avatarlink.pipeline.sinks.virtualcam import VirtualCameraSink

        cam = VirtualCameraSink(size, args.fps)
        stack.callback(cam.close)
        sinks.append(cam)
        print(f"avatarlink: virtual camera {cam.device} is on")
    if args.record:
        recorder = RealTimeRecorder(args.record, size, args.fps)
        stack.callback(recorder.close)
        sinks.append(recorder)
        print(f"avatarlink: recording to {recorder.path}")
    if args.window:
        window = WindowSink(size)
        stack.callback(window.close)
        sinks.append(window)
        print(f'avatarlink: window "{WINDOW_TITLE}" is open ({KEYS_HELP})')
    return sinks


def run(args: argparse.Namespace) -> int:
    if not (args.window or args.virtual_camera or args.record or args.osc):
        args.window = True
    if not 0.1 <= args.render_scale <= 1.0:
        raise UserError("--render-scale must be between 0.1 and 1")
    size = args.size or options.DEFAULT_SIZE
    spec: str | int = args.source if args.source is not None else (args.camera or 0)
    avatar = options.load_character(args.avatar)
    make_renderer = options.renderer_factory(
        avatar, args.background, antialias=args.antialias, scale=args.render_scale
    )
    needs_images = bool(args.window or args.virtual_camera or args.record)
    if needs_images:
        leave_a_core_for_tracking()
    # Everything that can fail is checked before the camera turns on, in this order.
    if args.window:
        check_display()
    if args.record:
        check_writable(args.record)
    with ExitStack() as stack:
        source = stack.enter_context(options.open_source(spec))
        senders: list[Any] = []
        if args.osc:
            osc = options.require("avatarlink.osc", "OSC output")
            senders = list(osc.open_senders(args.osc))
            for sender in senders:
                stack.callback(sender.close)
        voice = None
        if args.voice:
            live_voice = options.require("avatarlink.voice.live", "the live voice changer")
            voice = stack.enter_context(
                live_voice.LiveVoice(
                    args.voice, input=args.voice_input, output=args.voice_output, seed=args.seed
                )
            )
        sinks = _sinks(args, size, stack)
        pipeline = LivePipeline(
            source,
            options.tracker_factory(args.profile, args.tracker_model),
            (lambda: make_renderer(size)) if needs_images else None,
            senders=senders,
            pace=args.source is not None,
        )
        report = pipeline.run(sinks, duration=args.duration)
        print(f"avatarlink: {report.line()}")
        if voice is not None:
            print(f"avatarlink: voice ran with {voice.xruns} dropouts")
    return 0
