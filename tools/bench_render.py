"""Renderer speed: ms per frame by size, GL platform and settings.

Each platform runs in its own process (the GL platform is fixed when OpenGL
loads). Frames animate every weight, the head and the gaze, so every frame
blends and uploads the face; the first frame (shader compile, mesh upload) is
reported apart. "stock" is pyrender's own shader, 4x MSAA and depth
read-back, for comparison.

    .venv/bin/python tools/bench_render.py [--frames 60] [--avatar pip]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SIZES = ("320x240", "640x480", "1280x720")
VARIANTS = (("lean, no MSAA", True, 0), ("lean, 4x MSAA", True, 4), ("stock pyrender", False, 4))


def _frames(n: int):
    from avatarlink.frame import FaceFrame, quat_from_euler

    rng = np.random.default_rng(0)
    phase = rng.uniform(0, 2 * np.pi, 52)
    for i in range(n):
        t = i / 25.0
        f = FaceFrame(t, True, 0.5 + 0.5 * np.sin(2.0 * t + phase))
        f.head_rotation[:] = quat_from_euler(
            20 * np.sin(t), 10 * np.sin(1.3 * t), 5 * np.sin(0.7 * t)
        )
        f.gaze_left[:] = f.gaze_right[:] = (15 * np.sin(3 * t), 5 * np.cos(3 * t))
        yield f


def worker(args) -> None:
    from avatarlink.render import Renderer

    for size in args.sizes.split(","):
        w, h = (int(v) for v in size.split("x"))
        for label, lean, samples in VARIANTS:
            if not lean and size != "640x480":
                continue
            t0 = time.perf_counter()
            r = Renderer(
                args.avatar, size=(w, h), platform=args.platform, antialias=samples, lean=lean
            )
            first = time.perf_counter() - t0
            wall, cpu, blend = [], [], []
            for frame in _frames(args.frames):
                t, c = time.perf_counter(), time.process_time()
                r.render(frame)
                wall.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            for m in r._morphs:  # the NumPy blend alone, for the breakdown
                t = time.perf_counter()
                for _ in range(20):
                    m.blend(frame.blendshapes)
                blend.append((time.perf_counter() - t) / 20)
            r.close()
            print(json.dumps({
                "platform": r.platform, "size": size, "variant": label,
                "threads": os.environ.get("LP_NUM_THREADS", "auto"),
                "first_ms": first * 1000, "median_ms": float(np.median(wall)) * 1000,
                "p90_ms": float(np.percentile(wall, 90)) * 1000,
                "cpu_ms": float(np.median(cpu)) * 1000, "blend_ms": sum(blend) * 1000,
            }), flush=True)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--avatar", default="pip")
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--platforms", default="egl,osmesa")
    parser.add_argument("--threads", default="auto,1", help="LP_NUM_THREADS values to try")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--platform", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return 0
    rows = []
    for platform in args.platforms.split(","):
        for threads in args.threads.split(","):
            env = dict(os.environ)
            env.pop("PYOPENGL_PLATFORM", None)
            if threads != "auto":
                env["LP_NUM_THREADS"] = threads
            sizes = args.sizes if threads == "auto" else "640x480"
            cmd = [sys.executable, __file__, "--worker", "--platform", platform, "--frames",
                   str(args.frames), "--avatar", args.avatar, "--sizes", sizes]  # fmt: skip
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                tail = (proc.stderr.strip().splitlines() or ["failed"])[-1]
                print(f"{platform}: {tail}")
                continue
            rows += [json.loads(line) for line in proc.stdout.splitlines()]
    print(f"avatar {args.avatar}, {args.frames} animated frames, {os.cpu_count()} CPU cores, "
          "llvmpipe (software GL)")  # fmt: skip
    print(f"{'platform':8} {'LP threads':>10} {'size':>9} {'variant':16} {'first':>8} "
          f"{'median':>8} {'p90':>8} {'cpu':>8} {'blend':>7}   ms")  # fmt: skip
    for r in rows:
        print(f"{r['platform']:8} {r['threads']:>10} {r['size']:>9} {r['variant']:16} "
              f"{r['first_ms']:8.0f} {r['median_ms']:8.1f} {r['p90_ms']:8.1f} {r['cpu_ms']:8.1f} "
              f"{r['blend_ms']:7.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
