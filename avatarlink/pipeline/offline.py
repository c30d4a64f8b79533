"""`avatarlink render`: every frame of a file, in order, to an MP4.

Unlike the live pipeline nothing may be dropped: the output has the input's
frame count and frame rate. Decoding and tracking run in one thread and
rendering and encoding in the calling one, joined by a short bounded queue,
so on two cores the halves overlap instead of adding up.
"""

from __future__ import annotations

import queue
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from avatarlink.errors import UserError
from avatarlink.frame import FaceFrame
from avatarlink.pipeline import audio
from avatarlink.pipeline.idle import IdleAnimator
from avatarlink.pipeline.sinks.video import VideoWriter, check_writable
from avatarlink.pipeline.stats import StageStats

_END = object()


@dataclass
class OfflineResult:
    path: Path
    frames: int
    tracked: int
    fps: float
    size: tuple[int, int]


@dataclass(slots=True)
class _Item:
    frame: FaceFrame  # after the idle animator
    shape: tuple[int, int]  # the input frame's (height, width), for the default size


def _even(n: int) -> int:
    return max(2, n - n % 2)


class OfflineRender:
    """Renders one source file; ``run`` returns what was written.

    ``source`` is an opened frame source; the caller closes it. ``voice``,
    given the video's duration in seconds, returns the changed
    sound and its sample rate; without it the output is silent.
    """

    def __init__(
        self,
        source: Any,
        make_tracker: Callable[[], AbstractContextManager[Any]],
        make_renderer: Callable[[tuple[int, int]], AbstractContextManager[Any]],
        out: Path,
        size: tuple[int, int] | None = None,
        voice: Callable[[float], tuple[np.ndarray, int]] | None = None,
        progress: bool = True,
    ) -> None:
        self._source = source
        self._make_tracker = make_tracker
        self._make_renderer = make_renderer
        self.out = check_writable(out)
        self._size = size
        self._voice = voice
        self._progress = progress
        self.stats = StageStats()
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=4)
        self._stop = threading.Event()
        self._tracked = 0

    def _put(self, item: object) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _produce(self) -> None:
        try:
            with self._make_tracker() as tracker:
                animator = IdleAnimator()
                for t, rgb in self._source:
                    if self._stop.is_set():
                        return
                    t0 = time.perf_counter()
                    frame = tracker.process(rgb, t)
                    self.stats.add("track", time.perf_counter() - t0)
                    self._tracked += int(frame.tracked)
                    self._put(_Item(animator.step(frame), rgb.shape[:2]))
            self._put(_END)
        except BaseException as exc:  # raised again in the calling thread
            self._put(exc)

    def run(self) -> OfflineResult:
        producer = threading.Thread(target=self._produce, name="track")
        producer.daemon = True
        producer.start()
        writer: VideoWriter | None = None
        with ExitStack() as stack:
            stack.callback(producer.join, 10.0)
            stack.callback(self._stop.set)
            bar = stack.enter_context(
                tqdm(
                    total=self._source.frame_count or None,
                    unit="frame",
                    desc="rendering",
                    disable=not self._progress,
                )
            )
            while (item := self._queue.get()) is not _END:
                if isinstance(item, BaseException):
                    raise item
                if writer is None:
                    size = self._size or (_even(item.shape[1]), _even(item.shape[0]))
                    renderer = stack.enter_context(self._make_renderer(size))
                    writer = VideoWriter(self._video_target(), size, float(self._source.fps))
                    stack.callback(writer.close)
                t0 = time.perf_counter()
                image = renderer.render(item.frame)
                t1 = time.perf_counter()
                writer.write(image)
                self.stats.add("render", t1 - t0)
                self.stats.add("encode", time.perf_counter() - t1)
                bar.update(1)
        if writer is None:
            raise UserError("the input has no video frames")
        if self._voice is not None:
            self._add_voice(writer)
        return OfflineResult(self.out, writer.frames, self._tracked, writer.fps, writer.size)

    def _video_target(self) -> Path:
        if self._voice is None:
            return self.out
        handle = tempfile.NamedTemporaryFile(
            prefix=".avatarlink-", suffix=".mp4", dir=self.out.parent, delete=False
        )
        handle.close()
        return Path(handle.name)

    def _add_voice(self, writer: VideoWriter) -> None:
        try:
            assert self._voice is not None
            samples, rate = self._voice(writer.frames / writer.fps)
            audio.mux(writer.path, samples, rate, self.out)
        finally:
            writer.path.unlink(missing_ok=True)
