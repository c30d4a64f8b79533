"""`avatarlink send`: stream face numbers to VR / VTuber apps over OSC, with no rendering.

For machines that only drive an avatar in VRChat, VSeeFace, Warudo, VNyan or
a Unity scene: the face comes from a camera, a video file or a frames CSV
written by `avatarlink track`, and only expression numbers leave the process.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from tqdm import tqdm

from avatarlink.errors import UserError
from avatarlink.frame import FaceFrame

DESCRIPTION = """\
Stream your face to VR and VTuber apps as expression numbers only (no pixels,
no landmarks), without drawing a character.

SOURCE is a camera index (0), a video file, or a frames CSV written by
`avatarlink track` (replayed at its own timestamps).

--osc KIND[:HOST[:PORT]][,key=value...]   repeat for several targets at once
  vrchat        VRCFaceTracking Unified Expressions v2 + native eye tracking
                (default 127.0.0.1:9000); options: rate=30 (Hz), binary=BITS,
                prefix=/avatar/parameters/FT/v2/, threshold=0.01, refresh=5 (s),
                listen=127.0.0.1:9001|off (where /avatar/change arrives)
  vmc           VMC protocol: perfect-sync blendshapes + head/eye bones
                (VSeeFace, Warudo, VNyan, Unity/EVMC4U; default port 39539)
  ifacialmocap  iFacialMocap text stream (default port 49983)
  raw           /avatarlink/arkit, /head, /gaze for your own receiver
                (default port 9010)

examples:
  avatarlink send 0 --osc vrchat
  avatarlink send session.csv --osc vmc:192.168.1.20:39539 --osc raw
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "send",
        help="stream face numbers over OSC to VRChat, VMC apps or iFacialMocap receivers",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("source", metavar="SOURCE", help="camera index, video file or frames .csv")
    parser.add_argument(
        "--osc",
        action="append",
        required=True,
        metavar="SPEC",
        help="a target as KIND[:HOST[:PORT]][,key=value...]; repeatable",
    )
    parser.add_argument(
        "--rate",
        metavar="HZ",
        help="most frames a second per target (default: 30 for vrchat, every frame otherwise)",
    )
    parser.add_argument(
        "--speed",
        metavar="X",
        default="1",
        help="replay speed for a CSV or video, 0 = as fast as possible (default: 1)",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="calibration profile (your neutral face and range) made with `avatarlink calibrate`",
    )
    parser.add_argument(
        "--model",
        "--tracker-model",
        dest="model",
        metavar="PATH.task",
        help="optional MediaPipe face_landmarker.task instead of the bundled face mesh",
    )
    parser.set_defaults(func=run)


def positive_number(text: str | None, flag: str, allow_zero: bool) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (value >= 0 if allow_zero else value > 0) or value == float("inf"):
        wanted = "a number >= 0" if allow_zero else "a positive number"
        raise UserError(f"{flag} {text!r}: expected {wanted}")
    return value


def paced(frames: Iterable[FaceFrame], speed: float) -> Iterator[FaceFrame]:
    """Yield frames no faster than their timestamps (scaled by ``speed``; 0 = no waiting)."""
    start: tuple[float, float] | None = None
    for frame in frames:
        if speed > 0:
            now = time.monotonic()
            if start is None or frame.time < start[1]:
                start = (now, frame.time)
            due = start[0] + (frame.time - start[1]) / speed
            if due > now:
                time.sleep(due - now)
        yield frame


def _tracking():
    try:
        return importlib.import_module("avatarlink.tracking")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("avatarlink"):
            raise UserError(
                "camera and video input need avatarlink's face tracking, which this install "
                "lacks; replay a frames CSV instead"
            ) from exc
        raise


def tracked_frames(
    spec: str, profile: str | None, model: str | None, speed: float
) -> Iterator[FaceFrame]:
    """Frames tracked live from a camera, or from a video paced at its own timestamps."""
    tracking = _tracking()
    camera = spec.isdigit()
    with tracking.open_source(int(spec) if camera else spec) as source:
        total = getattr(source, "frame_count", None)
        with tracking.FaceTracker(profile=profile, model=model) as tracker:
            frames = (tracker.process(rgb, t) for t, rgb in source)
            yield from tqdm(
                frames if camera else paced(frames, speed),
                total=total,
                unit="frame",
                disable=None,
                desc="send",
            )


def csv_frames(path: Path, speed: float) -> Iterator[FaceFrame]:
    from avatarlink.framecsv import read_frames

    try:
        with open(path, "rb") as fh:
            total = max(sum(1 for _ in fh) - 1, 0)
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    yield from tqdm(
        paced(read_frames(path), speed), total=total, unit="frame", disable=None, desc="send"
    )


def run(args: argparse.Namespace) -> int:
    from avatarlink.osc import open_senders

    rate = positive_number(args.rate, "--rate", allow_zero=False)
    speed = positive_number(args.speed, "--speed", allow_zero=True)
    is_csv = args.source.lower().endswith(".csv")
    if is_csv and (args.profile or args.model):
        raise UserError("--profile and --model apply to camera or video input, not to a CSV")
    senders = open_senders(args.osc, rate=rate)
    count = 0
    try:
        frames = (
            csv_frames(Path(args.source), speed)
            if is_csv
            else tracked_frames(args.source, args.profile, args.model, speed)
        )
        for frame in frames:
            for sender in senders:
                sender.send(frame)
            count += 1
    finally:
        for sender in senders:
            sender.close()
    for sender in senders:
        lost = f", {sender.target.dropped} not delivered" if sender.target.dropped else ""
        print(
            f"avatarlink: {count} frames to {sender.kind} "
            f"{sender.spec.host}:{sender.spec.port}{lost}",
            file=sys.stderr,
        )
    return 0
