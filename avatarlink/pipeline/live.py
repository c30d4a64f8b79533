"""`avatarlink run`: capture, tracking and rendering overlap in threads.

Each stage runs in its own thread and hands its newest result to the next
through a :class:`LatestSlot`, so the frame rate is set by the slowest stage
(not the sum) and a stage that falls behind drops frames instead of queueing
them: latency stays bounded. MediaPipe, OpenGL and ffmpeg release the GIL.

Camera pixels exist only between the capture and the tracking thread; the
tracker turns them into a FaceFrame and the reference is dropped at once.
The idle animator runs right after the tracker, so senders (OSC) and the
renderer both get the fail-closed stream, and it keeps ticking on its own
when the camera stalls: a stalled or lost face always ends in the idle.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from avatarlink.frame import FaceFrame
from avatarlink.pipeline.idle import IdleAnimator
from avatarlink.pipeline.sinks import Sink
from avatarlink.pipeline.slot import LatestSlot
from avatarlink.pipeline.stats import StageStats

IDLE_TICK = 1.0 / 30.0
"""How often the animator ticks by itself while no camera frame comes."""

STALL = 0.1
"""Seconds without a camera frame that count as a stalled camera (so: idle)."""


class FrameSender(Protocol):
    def send(self, frame: FaceFrame) -> None: ...


@dataclass(slots=True)
class _Captured:
    t: float  # source timestamp: the tracker's filters run on it
    wall: float  # perf_counter when the frame arrived
    rgb: np.ndarray


@dataclass(slots=True)
class _Posed:
    frame: FaceFrame  # after the idle animator
    wall: float | None  # capture time it came from; None for idle ticks


@dataclass(slots=True)
class Rendered:
    image: np.ndarray
    frame: FaceFrame
    wall: float | None


@dataclass
class LiveReport:
    """What a run did: figures for the closing line and for tools/bench.py."""

    captured: int
    processed: int  # camera frames the tracker looked at (the rest were dropped)
    tracked: int
    outputs: int
    seconds: float
    dropped: dict[str, int]
    latency_ms: np.ndarray
    stats: StageStats

    @property
    def fps(self) -> float:
        return self.outputs / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        lat = (
            f", capture-to-output latency p50 {np.percentile(self.latency_ms, 50):.0f} ms"
            if self.latency_ms.size
            else ""
        )
        drops = sum(self.dropped.values())
        return (
            f"{self.outputs} frames in {self.seconds:.1f} s ({self.fps:.1f} fps){lat}; "
            f"{self.captured} camera frames, {self.processed} tracked (face found in "
            f"{self.tracked}), {drops} dropped between stages"
        )


class LivePipeline:
    """Source -> tracker -> idle animator -> renderer -> sinks, one thread per stage.

    ``source`` is an opened frame source (the caller opens it first, so a
    missing camera is reported before anything starts, and closes it). The
    factories are called inside the thread that uses the object, because
    an OpenGL context belongs to the thread that made it. ``make_renderer``
    None runs without images (OSC only). ``pace`` plays a file at its own
    frame rate, as a camera would deliver it.
    """

    def __init__(
        self,
        source: Any,
        make_tracker: Callable[[], AbstractContextManager[Any]],
        make_renderer: Callable[[], AbstractContextManager[Any]] | None,
        senders: Sequence[FrameSender] = (),
        pace: bool = False,
        animator: IdleAnimator | None = None,
    ) -> None:
        self._source = source
        self._make_tracker = make_tracker
        self._make_renderer = make_renderer
        self._senders = list(senders)
        self._pace = pace
        self._animator = animator or IdleAnimator()
        self._captured: LatestSlot[_Captured] = LatestSlot()
        self._posed: LatestSlot[_Posed] = LatestSlot()
        self._rendered: LatestSlot[Rendered] = LatestSlot()
        self._stop = threading.Event()
        self._recalibrate = threading.Event()
        self._ready = (threading.Event(), threading.Event())  # tracker, renderer
        if make_renderer is None:
            self._ready[1].set()
        self._errors: list[BaseException] = []
        self._start = time.perf_counter()
        self.stats = StageStats()
        self._counts = {"captured": 0, "processed": 0, "tracked": 0, "outputs": 0}

    def recalibrate(self) -> None:
        """Start the tracker afresh: without a profile it learns the neutral face again."""
        self._recalibrate.set()

    def stop(self) -> None:
        self._stop.set()

    def _guard(self, target: Callable[[], None], closes: LatestSlot[Any]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            except BaseException as exc:  # handed to the main thread, raised there
                self._errors.append(exc)
                self._stop.set()
            finally:
                closes.close()

        return run

    def _capture(self) -> None:
        for ready in self._ready:  # the clock starts once tracker and renderer are up
            while not ready.wait(0.1):
                if self._stop.is_set():
                    return
        frames = iter(self._source)
        first_t: float | None = None
        start = time.perf_counter()
        while not self._stop.is_set():
            t0 = time.perf_counter()
            try:
                t, rgb = next(frames)
            except StopIteration:
                return
            self.stats.add("capture", time.perf_counter() - t0)
            if self._pace:
                first_t = t if first_t is None else first_t
                delay = start + (t - first_t) - time.perf_counter()
                if delay > 0:
                    self._stop.wait(delay)
            self._counts["captured"] += 1
            self._captured.put(_Captured(t, time.perf_counter(), rgb))

    def _track(self) -> None:
        with ExitStack() as stack:
            tracker = stack.enter_context(self._make_tracker())
            self._ready[0].set()
            last_frame = time.perf_counter()
            while not self._stop.is_set():
                item = self._captured.get(timeout=IDLE_TICK)
                if item is None:
                    if self._captured.closed:
                        return
                    if time.perf_counter() - last_frame < STALL:
                        continue
                    posed = self._animator.step(FaceFrame.untracked(self._now()))
                    self._emit(_Posed(posed, None))
                    continue
                if self._recalibrate.is_set():  # a fresh tracker learns the neutral face anew
                    self._recalibrate.clear()
                    stack.close()
                    tracker = stack.enter_context(self._make_tracker())
                t0 = last_frame = time.perf_counter()
                frame = tracker.process(item.rgb, item.t)
                self.stats.add("track", time.perf_counter() - t0)
                item.rgb = None  # the last reference to camera pixels
                self._counts["processed"] += 1
                self._counts["tracked"] += int(frame.tracked)
                frame = dataclasses.replace(frame, time=item.wall - self._start)
                self._emit(_Posed(self._animator.step(frame), item.wall))

    def _emit(self, posed: _Posed) -> None:
        for sender in self._senders:
            sender.send(posed.frame)
        self._posed.put(posed)

    def _render(self) -> None:
        assert self._make_renderer is not None
        with self._make_renderer() as renderer:
            self._ready[1].set()
            while True:
                item = self._posed.get(timeout=0.5)
                if item is None:
                    if self._posed.closed:
                        return
                    continue
                t0 = time.perf_counter()
                image = renderer.render(item.frame)
                self.stats.add("render", time.perf_counter() - t0)
                self._rendered.put(Rendered(image, item.frame, item.wall))

    def _now(self) -> float:
        return time.perf_counter() - self._start

    def run(self, sinks: Sequence[Sink] = (), duration: float | None = None) -> LiveReport:
        """Run until the source ends, a sink asks to quit, ``duration`` passes or Ctrl+C."""
        self._start = time.perf_counter()
        last = self._posed if self._make_renderer is None else self._rendered
        threads = [
            threading.Thread(target=self._guard(self._capture, self._captured), name="capture"),
            threading.Thread(target=self._guard(self._track, self._posed), name="track"),
        ]
        if self._make_renderer is not None:
            threads.append(
                threading.Thread(target=self._guard(self._render, self._rendered), name="render")
            )
        for thread in threads:
            thread.daemon = True
            thread.start()
        latency: list[float] = []
        first_output: float | None = None
        try:
            while not self._stop.is_set():
                item = last.get(timeout=0.02)
                if item is not None:
                    t0 = time.perf_counter()
                    for sink in sinks:
                        sink.write(item.image)
                    done = time.perf_counter()
                    self.stats.add("output", done - t0)
                    first_output = first_output or done
                    self._counts["outputs"] += 1
                    if item.wall is not None:
                        latency.append((done - item.wall) * 1000.0)
                for sink in sinks:
                    action = sink.poll()
                    if action == "quit":
                        self._stop.set()
                    elif action == "recalibrate":
                        self._recalibrate.set()
                if item is None and last.closed:
                    break
                if duration is not None and self._now() >= duration:
                    break
        finally:
            self._stop.set()
            for slot in (self._captured, self._posed, self._rendered):
                slot.close()
            for thread in threads:
                thread.join(timeout=10.0)
        if self._errors:
            raise self._errors[0]
        end = time.perf_counter()
        return LiveReport(
            captured=self._counts["captured"],
            processed=self._counts["processed"],
            tracked=self._counts["tracked"],
            outputs=self._counts["outputs"],
            seconds=end - (first_output or end),
            dropped={
                "capture": self._captured.drops,
                "track": self._posed.drops,
                "render": self._rendered.drops,
            },
            latency_ms=np.asarray(latency),
            stats=self.stats,
        )
