"""Figures for issue 4: per-stage milliseconds, live fps and latency, and the round trip.

    .venv/bin/python tools/bench.py                       # everything (a few minutes)
    .venv/bin/python tools/bench.py --parts stages --frames 60   # a quick look

Stages are timed one at a time on one thread (capture, track, render,
encode); the live run then puts them in the threaded pipeline, as
`avatarlink run --source CLIP --record OUT.mp4` does, and reports what comes
out. The round trip renders the character from known, smoothly varying
jawOpen / eyeBlink / mouthSmile values, tracks the rendered images with our
own face tracker, and reports how well the values come back. Needs the
shared evaluation clip (../shared/data/video); nothing here asserts targets.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from scipy.ndimage import gaussian_filter1d

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from avatarlink.frame import ARKIT_INDEX, FaceFrame  # noqa: E402
from avatarlink.metrics import pearson  # noqa: E402
from avatarlink.pipeline import options  # noqa: E402
from avatarlink.pipeline.live import LivePipeline  # noqa: E402
from avatarlink.pipeline.sinks.video import RealTimeRecorder, VideoWriter  # noqa: E402
from avatarlink.pipeline.stats import StageStats  # noqa: E402
from avatarlink.render.gl import leave_a_core_for_tracking  # noqa: E402

DEFAULT_CLIP = REPO.parent / "shared" / "data" / "video" / "liveportrait_d10.mp4"
ROUND_TRIP = ("jawOpen", "eyeBlinkLeft", "eyeBlinkRight", "mouthSmileLeft", "mouthSmileRight")


def camera_like_clip(src: Path, size: tuple[int, int], folder: Path) -> Path:
    """The clip scaled and padded to ``size`` at 30 fps, like a webcam would deliver it."""
    w, h = size
    out = folder / f"clip_{w}x{h}.mp4"
    vf = f"scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2"
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(src), "-an"]
    cmd += ["-vf", vf, "-r", "30", "-c:v", "libx264", "-crf", "18", str(out)]
    subprocess.run(cmd, check=True)
    return out


class _Timer:
    """Wall and process-CPU time of a block, added to ``stats`` as STAGE and 'STAGE cpu'.

    Process CPU counts every thread (MediaPipe's and llvmpipe's workers too); on
    a shared machine it is the steadier figure, wall time the one a user sees.
    """

    def __init__(self, stats: StageStats, stage: str) -> None:
        self.stats, self.stage = stats, stage

    def __enter__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *exc: object) -> None:
        self.stats.add(self.stage, time.perf_counter() - self.wall)
        self.stats.add(f"{self.stage} cpu", time.process_time() - self.cpu)


def bench_stages(clip: Path, make_renderer, size: tuple[int, int], n: int, tmp: Path) -> StageStats:
    stats = StageStats()
    frames: list[np.ndarray] = []
    times: list[float] = []
    with options.open_source(str(clip)) as source:
        it = iter(source)
        for _ in range(n):
            try:
                with _Timer(stats, "capture"):
                    t, rgb = next(it)
            except StopIteration:
                break
            frames.append(rgb)
            times.append(t)
    faces: list[FaceFrame] = []
    with options.tracker_factory()() as tracker:
        for t, rgb in zip(times, frames, strict=True):
            with _Timer(stats, "track"):
                faces.append(tracker.process(rgb, t))
    with make_renderer(size) as renderer:
        images = []
        for face in faces:
            with _Timer(stats, "render"):
                images.append(renderer.render(face))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    writer = VideoWriter(tmp / "encode.mp4", size, 30.0)
    for image in images:
        with _Timer(stats, "encode"):
            writer.write(image)
    writer.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    for _ in images:
        stats.add("ffmpeg cpu", cpu / len(images))
    found = np.mean([f.tracked for f in faces]) if faces else float("nan")
    print(f"face found in {found:.0%} of {len(faces)} frames")
    return stats


def bench_live(clip: Path, make, size: tuple[int, int], seconds: float, tmp: Path):
    recorder = RealTimeRecorder(tmp / "live.mp4", size, 30.0)
    with options.open_source(str(clip)) as source:
        pipeline = LivePipeline(source, options.tracker_factory(), lambda: make(size), pace=True)
        try:
            report = pipeline.run([recorder], duration=seconds)
        finally:
            recorder.close()
    return report


def smooth_random(n: int, rng: np.random.Generator, sigma: float) -> np.ndarray:
    """A slowly varying sequence that sweeps most of [0, 1]."""
    x = gaussian_filter1d(rng.standard_normal(n + 200), sigma)[100:-100]
    x = (x - x.min()) / (x.max() - x.min() + 1e-9)
    return np.clip(1.2 * x - 0.1, 0.0, 1.0)


def bench_round_trip(make, size: tuple[int, int], n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    truth = {name: smooth_random(n, rng, sigma=6.0) for name in ROUND_TRIP}
    got = {name: np.full(n, np.nan) for name in ROUND_TRIP}
    found = np.zeros(n, dtype=bool)
    with make(size) as renderer, options.tracker_factory()() as tracker:
        for i in range(n):
            frame = FaceFrame(time=i / 30.0, tracked=True)
            frame = frame.with_weights(**{k: float(v[i]) for k, v in truth.items()})
            image = renderer.render(frame)
            back = tracker.process(np.ascontiguousarray(image[..., :3]), i / 30.0)
            found[i] = back.tracked
            if back.tracked:
                for name in ROUND_TRIP:
                    got[name][i] = back.blendshapes[ARKIT_INDEX[name]]
    print(f"\nround trip: {n} frames at {size[0]}x{size[1]}, seed {seed}")
    print(f"stylized face found in {found.mean():.0%} of frames ({found.sum()}/{n})")
    print("(best lag: the tracker's smoothing filters delay the output by a few frames)")
    head = ("coefficient", "pearson r", "r best lag", "mean |err|", "out 5-95%")
    print(f"{head[0]:<16} {head[1]:>9} {head[2]:>14} {head[3]:>10} {head[4]:>10}")
    for name in ROUND_TRIP:
        ok = found & np.isfinite(got[name])
        if ok.sum() < 3:
            print(f"{name:<16} {'n/a':>9}")
            continue
        r = pearson(truth[name][ok], got[name][ok])
        lagged = [(_lagged_r(truth[name], got[name], lag), lag) for lag in range(0, 6)]
        best, lag = max(lagged)
        err = np.abs(truth[name][ok] - got[name][ok]).mean()
        lo, hi = np.percentile(got[name][ok], [5, 95])
        print(f"{name:<16} {r:>9.2f} {best:>7.2f} ({lag} fr) {err:>10.2f} {lo:>5.2f}-{hi:<5.2f}")


def _lagged_r(truth: np.ndarray, got: np.ndarray, lag: int) -> float:
    """Correlation of the output with the input ``lag`` frames earlier."""
    a, b = truth[: len(truth) - lag], got[lag:]
    ok = np.isfinite(b)
    return pearson(a[ok], b[ok]) if ok.sum() > 3 else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clip", type=Path, default=DEFAULT_CLIP, help="a talking-head video")
    parser.add_argument("--size", type=options.parse_size, default=(640, 480), metavar="WxH")
    parser.add_argument("--avatar", default=None, help="character (default: the default one)")
    parser.add_argument("--frames", type=int, default=200, help="frames per stage timing")
    parser.add_argument("--seconds", type=float, default=12.0, help="length of each live run")
    parser.add_argument("--roundtrip", type=int, default=300, help="round-trip frames")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--antialias", type=int, default=0, help="as `run --antialias`")
    parser.add_argument("--render-scale", type=float, default=1.0, help="as `run --render-scale`")
    parser.add_argument(
        "--parts", default="stages,live,roundtrip", help="comma list of stages, live, roundtrip"
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if "live" in parts:  # as `avatarlink run` does (the stages are then timed the same way)
        leave_a_core_for_tracking()
    avatar = options.load_character(args.avatar)
    make = options.renderer_factory(avatar, antialias=args.antialias, scale=args.render_scale)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores "
        f"(load average {load}), Python {platform.python_version()}, "
        f"PYOPENGL_PLATFORM={os.environ.get('PYOPENGL_PLATFORM', 'unset')}, "
        f"size {args.size[0]}x{args.size[1]}, antialias {args.antialias}, "
        f"render scale {args.render_scale}, "
        f"LP_NUM_THREADS={os.environ.get('LP_NUM_THREADS', 'unset')}"
    )
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        clip = camera_like_clip(args.clip, args.size, tmp)
        if "stages" in parts:
            stats = bench_stages(clip, make, args.size, args.frames, tmp)
            print("\nper stage, one at a time (ms per frame)")
            print(stats.table())
        if "live" in parts:
            report = bench_live(clip, make, args.size, args.seconds, tmp)
            lat = report.latency_ms
            print(
                f"\nlive pipeline (clip played as a 30 fps camera, recorded to mp4): "
                f"{report.fps:.1f} fps end to end ({report.outputs} frames in "
                f"{report.seconds:.1f} s)"
            )
            if lat.size:
                print(
                    f"capture-to-output latency ms: p50 {np.percentile(lat, 50):.0f}, "
                    f"p95 {np.percentile(lat, 95):.0f}, max {lat.max():.0f}"
                )
            print(
                f"captured {report.captured}, tracked {report.processed} (face found in "
                f"{report.tracked}), dropped {report.dropped}"
            )
            print(report.stats.table())
            means = {k: report.stats.summary(k)["mean"] for k in ("capture", "track", "render")}
            print(
                f"sum of stage means {sum(means.values()):.0f} ms, slowest stage "
                f"{max(means, key=means.get)} {max(means.values()):.0f} ms, achieved frame "
                f"interval {1000.0 / max(report.fps, 1e-9):.0f} ms"
            )
        if "roundtrip" in parts:
            bench_round_trip(make, args.size, args.roundtrip, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
