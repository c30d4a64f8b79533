"""Encode + send time per frame for the OSC senders (target: <= 0.3 ms for all together).

Streams a synthetic but realistic face (every coefficient drifting, the head
and eyes moving, the face lost now and then) at 30 fps timestamps through the
vrchat, vmc, ifacialmocap and raw senders on loopback, and times each
``send`` call, as CPU time (what the senders cost) and wall time (which
also counts being preempted on a busy machine). Cases: receivers bound and
drained between frames; no receiver at all (the kernel answers "port
unreachable", and the sender then stays quiet); vrchat with 4-bit binary
parameters; and the encoding alone, with the socket call taken out, to split
the cost between our code and the kernel's loopback path. A last row times
python-osc's own builders on the VMC bundle, the reason avatarlink.osc.encode
exists.

    .venv/bin/python tools/bench_osc.py            # 3000 frames = 100 s of face
"""

from __future__ import annotations

import argparse
import os
import select
import socket
import time
from collections.abc import Callable

import numpy as np
from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder
from tqdm import tqdm

from avatarlink.frame import FaceFrame, quat_from_euler
from avatarlink.osc import open_senders
from avatarlink.osc.vmc import PERFECT_SYNC_NAMES

KINDS = ("vrchat", "vmc", "ifacialmocap", "raw")


def synthetic_stream(n: int, fps: float = 30.0, seed: int = 0) -> list[FaceFrame]:
    rng = np.random.default_rng(seed)
    shapes = np.clip(0.2 + np.cumsum(rng.normal(0, 0.015, (n, 52)), axis=0), 0, 1)
    t = np.arange(n) / fps
    lost = (t % 20) > 19  # one second without a face every twenty
    return [
        FaceFrame(
            time=float(t[i]),
            tracked=not lost[i],
            blendshapes=shapes[i],
            head_rotation=quat_from_euler(15 * np.sin(t[i]), 8 * np.sin(0.7 * t[i]), 3.0),
            head_translation=[0.01, -0.02, -0.6],
            gaze_left=[10 * np.sin(2 * t[i]), 5 * np.cos(t[i])],
            gaze_right=[10 * np.sin(2 * t[i]), 5 * np.cos(t[i])],
        )
        for i in range(n)
    ]


def free_ports(count: int) -> list[int]:
    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(count)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def drain(receivers: list[socket.socket]) -> None:
    while receivers:
        ready, _, _ = select.select(receivers, [], [], 0)
        if not ready:
            return
        for sock in ready:
            sock.recv(65535)


class _NoSend:
    """Stands in for a sender's UdpTarget to time the encoding alone (a decomposition,
    not a product path)."""

    def send(self, datagram: bytes) -> None:
        pass

    def send_many(self, datagrams: list[bytes]) -> None:
        pass

    def back_from_quiet(self) -> bool:
        return False


def run_case(
    frames: list[FaceFrame], vrchat_options: str, receivers_up: bool, encode_only: bool = False
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(CPU, wall) milliseconds per frame for each sender and for all together."""
    ports = free_ports(len(KINDS))
    receivers = []
    if receivers_up:
        for port in ports:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", port))
            receivers.append(sock)
    specs = [f"{kind}:127.0.0.1:{port}" for kind, port in zip(KINDS, ports, strict=True)]
    specs[0] += f",listen=127.0.0.1:0{vrchat_options}"
    senders = open_senders(specs)
    real_targets = [sender.target for sender in senders]
    if encode_only:
        for sender in senders:
            sender.target = _NoSend()
    cpu = np.zeros((len(frames), len(senders)))
    wall = np.zeros_like(cpu)
    wall_clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    try:
        for i, frame in enumerate(frames):
            for j, sender in enumerate(senders):
                start_wall, start_cpu = wall_clock(), cpu_clock()
                sender.send(frame)
                cpu[i, j] = cpu_clock() - start_cpu
                wall[i, j] = wall_clock() - start_wall
            drain(receivers)
    finally:
        for sender, target in zip(senders, real_targets, strict=True):
            sender.target = target
            sender.close()
        for sock in receivers:
            sock.close()
    cpu, wall = cpu / 1e6, wall / 1e6
    out = {kind: (cpu[:, j], wall[:, j]) for j, kind in enumerate(KINDS)}
    out["all four"] = (cpu.sum(axis=1), wall.sum(axis=1))
    return out


def python_osc_vmc(frames: list[FaceFrame]) -> tuple[np.ndarray, np.ndarray]:
    """VMC bundle with python-osc's builders (encode only, no send)."""

    def build(frame: FaceFrame) -> bytes:
        bundle = OscBundleBuilder(IMMEDIATELY)
        for name, value in zip(PERFECT_SYNC_NAMES, frame.blendshapes.tolist(), strict=True):
            msg = OscMessageBuilder("/VMC/Ext/Blend/Val")
            msg.add_arg(name)
            msg.add_arg(value)
            bundle.add_content(msg.build())
        bundle.add_content(OscMessageBuilder("/VMC/Ext/Blend/Apply").build())
        return bundle.build().dgram

    return timed(build, frames)


def timed(
    fn: Callable[[FaceFrame], object], frames: list[FaceFrame]
) -> tuple[np.ndarray, np.ndarray]:
    cpu, wall = np.zeros(len(frames)), np.zeros(len(frames))
    for i, frame in enumerate(frames):
        start_wall, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        fn(frame)
        cpu[i] = time.thread_time_ns() - start_cpu
        wall[i] = time.perf_counter_ns() - start_wall
    return cpu / 1e6, wall / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=3000, help="frames per case (30 fps)")
    args = parser.parse_args()
    frames = synthetic_stream(args.frames)
    cases = [
        ("receivers up", "", True, False),
        ("no receiver", "", False, False),
        ("receivers up, vrchat binary=4", ",binary=4", True, False),
        ("encode only (no send call)", "", True, True),
    ]
    rows = []
    for label, options, up, encode_only in tqdm(cases, desc="cases", unit="case"):
        for kind, times in run_case(frames, options, up, encode_only).items():
            rows.append((label, kind, *times))
    rows.append(("python-osc builders", "vmc blends only", *python_osc_vmc(frames[:300])))
    load = os.getloadavg()[0]
    print(
        f"\n{args.frames} frames at 30 fps, {os.cpu_count()} CPUs, load average {load:.1f}; "
        "milliseconds per frame (encode + send).\nCPU = this thread's CPU time (kernel "
        "send included); wall also counts time preempted by other processes.\n"
    )
    print(
        "| case                          | sender          | CPU mean | CPU p99 "
        "| wall p50 | wall mean | wall p99 |"
    )
    print(f"|{'-' * 31}|{'-' * 17}|{'-' * 10}|{'-' * 9}|{'-' * 10}|{'-' * 11}|{'-' * 10}|")
    for label, kind, cpu, wall in rows:
        (cpu99,) = np.percentile(cpu, [99])
        wall50, wall99 = np.percentile(wall, [50, 99])
        print(
            f"| {label:<29} | {kind:<15} | {cpu.mean():8.3f} | {cpu99:7.3f} | {wall50:8.3f} "
            f"| {wall.mean():9.3f} | {wall99:8.3f} |"
        )
    _, _, cpu, wall = next(row for row in rows if row[1] == "all four")
    verdict = "meets" if cpu.mean() <= 0.3 else "MISSES"
    print(
        f"\nall four senders, receivers up: CPU mean {cpu.mean():.3f} ms ({verdict} the "
        f"0.3 ms target), wall median {np.median(wall):.3f} ms"
    )


if __name__ == "__main__":
    main()
