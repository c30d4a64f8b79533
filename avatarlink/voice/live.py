"""Microphone -> voice changer -> output device, in a background duplex stream."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from avatarlink.closing import Closing
from avatarlink.errors import UserError
from avatarlink.voice.audio_io import load_sounddevice
from avatarlink.voice.presets import Preset, session_params
from avatarlink.voice.stream import MAX_RATE, MIN_RATE, VoiceParams, VoiceProcessor

# Audio per callback by default. The engine's cost is mostly per call: one 5 ms
# hop per callback cost anonymous 0.16-0.17 CPU-s per second of audio (16 and
# 48 kHz), 20 ms 0.07-0.10 (tools/bench_voice.py --only cost). The output does
# not depend on the block; a 20 ms block adds up to 15 ms of buffering to the
# engine's own 25-39 ms.
LIVE_BLOCK_SECONDS = 0.02

Device = int | str | None


def _device_info(sd: Any, device: Device, kind: str) -> dict:
    try:
        return sd.query_devices(device, kind=kind)
    except (ValueError, sd.PortAudioError):
        if device is None:
            raise UserError(
                f"no default {kind} device: pass --{kind} (see `avatarlink devices`)"
            ) from None
        raise UserError(
            f"no {kind} device matches {device!r}: run `avatarlink devices` to list them"
        ) from None


class LiveVoice(Closing):
    """Runs the voice changer on a sounddevice duplex stream until closed.

    ``input``/``output`` are device indices or name fragments (None: the
    system default). ``sample_rate`` defaults to the input device's own rate;
    ``block`` (samples per callback) to :data:`LIVE_BLOCK_SECONDS`. ``xruns``
    counts the callbacks PortAudio flagged with an input overflow or output
    underflow (audible dropouts).
    """

    def __init__(
        self,
        preset: str | Preset | VoiceParams,
        input: Device = None,
        output: Device = None,
        seed: int | None = None,
        sample_rate: int | None = None,
        block: int | None = None,
    ) -> None:
        sd = load_sounddevice()
        self._sd = sd
        in_info = _device_info(sd, input, "input")
        out_info = _device_info(sd, output, "output")
        rate = int(sample_rate or in_info["default_samplerate"])
        if not MIN_RATE <= rate <= MAX_RATE:
            raise UserError(f"sample rate {rate} Hz is not supported (use {MIN_RATE}..{MAX_RATE})")
        for check, info in (
            (sd.check_input_settings, in_info),
            (sd.check_output_settings, out_info),
        ):
            try:
                check(device=info["index"], channels=1, samplerate=rate, dtype="float32")
            except (ValueError, sd.PortAudioError):
                raise UserError(
                    f"device {info['name']!r} does not support {rate} Hz mono "
                    "(try --sample-rate 48000 or 44100)"
                ) from None
        try:
            self.params = session_params(preset, seed)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        self.sample_rate = rate
        self.processor = VoiceProcessor(self.params, rate)
        self.block = int(block or round(LIVE_BLOCK_SECONDS * rate))
        self.input_name = in_info["name"]
        self.output_name = out_info["name"]
        self._devices = (in_info["index"], out_info["index"])
        self._lock = threading.Lock()
        self._xruns = 0
        self._frames = 0
        self.error: str | None = None
        self._stream: Any = None

    @property
    def xruns(self) -> int:
        with self._lock:
            return self._xruns

    @property
    def frames(self) -> int:
        """Samples processed so far."""
        with self._lock:
            return self._frames

    @property
    def latency_seconds(self) -> float:
        """Algorithmic latency of the voice changer (device buffers come on top)."""
        return self.processor.latency_seconds

    @property
    def active(self) -> bool:
        return self._stream is not None and bool(self._stream.active)

    def _callback(self, indata: np.ndarray, outdata: np.ndarray, frames: int, _t, status) -> None:
        try:
            shifted = self.processor.process(indata[:, 0])
        except Exception as exc:  # surfaces in the main thread via .error
            self.error = f"voice processing stopped: {exc}"
            outdata.fill(0)
            raise self._sd.CallbackAbort from exc
        outdata[:] = shifted[:, None]
        with self._lock:
            self._frames += frames
            if status.input_overflow or status.output_underflow:
                self._xruns += 1

    def start(self) -> LiveVoice:
        sd = self._sd
        try:
            self._stream = sd.Stream(
                samplerate=self.sample_rate,
                blocksize=self.block,
                device=self._devices,
                channels=(1, 1),
                dtype="float32",
                latency="low",
                callback=self._callback,
            )
            self._stream.start()
        except (ValueError, sd.PortAudioError) as exc:
            self._stream = None
            raise UserError(f"cannot open the sound devices: {exc}") from None
        return self

    def close(self) -> None:
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None

    def __enter__(self) -> LiveVoice:
        return self.start()
