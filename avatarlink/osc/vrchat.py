"""VRChat: VRCFaceTracking Unified Expressions v2 parameters plus native eye tracking.

Per frame (at most ``rate`` Hz, 30 by default) it sends, bundled into as few
datagrams of at most 1400 bytes as possible (``bundle=0``: one message per
datagram, for receivers that take no bundles):

* ``<prefix><Name>`` floats for the names in :data:`unified.UNIFIED_NAMES`
  (prefix ``/avatar/parameters/FT/v2/`` by default), only those that moved by
  more than ``threshold`` since they were last sent, all of them every
  ``refresh`` seconds, when tracking starts or stops, and at once after the
  listener hears ``/avatar/change``;
* with ``binary=N``, also ``<Name>1 .. <Name>{2**(N-1)}`` and
  ``<Name>Negative`` bools (see :mod:`binary`), for avatars that use them;
* the status bools ``EyeTrackingActive``, ``ExpressionTrackingActive`` and
  ``LipTrackingActive``, under the prefix without its ``v2/`` and directly
  under ``/avatar/parameters/`` (templates use both; VRChat ignores the one
  the avatar lacks);
* ``/tracking/eye/EyesClosedAmount`` and ``/tracking/eye/CenterPitchYaw``
  while a face is tracked. When it is lost we send open, forward eyes once
  and then nothing, so after VRChat's 10 s timeout its own idle eyes return.
"""

from __future__ import annotations

import struct

import numpy as np

from avatarlink.errors import UserError
from avatarlink.frame import FaceFrame
from avatarlink.osc import binary
from avatarlink.osc.encode import FloatMessage, bool_message, osc_string, pack_bundles, sized
from avatarlink.osc.listener import DEFAULT_LISTEN, AvatarChangeListener
from avatarlink.osc.sender import Sender
from avatarlink.osc.spec import SenderSpec, float_option, int_option
from avatarlink.osc.unified import SIGNED, UNIFIED_NAMES, native_eye, unified_values

DEFAULT_PREFIX = "/avatar/parameters/FT/v2/"
STATUS_NAMES = ("EyeTrackingActive", "ExpressionTrackingActive", "LipTrackingActive")
EYES_CLOSED = "/tracking/eye/EyesClosedAmount"
CENTER_PITCH_YAW = "/tracking/eye/CenterPitchYaw"


def status_addresses(prefix: str) -> list[str]:
    base = prefix.removesuffix("v2/")
    bases = dict.fromkeys([base, "/avatar/parameters/"])
    return [b + name for b in bases for name in STATUS_NAMES]


class VRChatSender(Sender):
    kind = "vrchat"
    default_rate = 30.0

    def __init__(self, spec: SenderSpec, rate: float | None = None) -> None:
        what = f"--osc {spec.text!r}"
        prefix = spec.options.get("prefix", DEFAULT_PREFIX)
        if not prefix.startswith("/") or any(c in prefix for c in " #*,?[]{}"):
            raise UserError(f"{what}: prefix must be an OSC address such as {DEFAULT_PREFIX}")
        prefix = prefix.rstrip("/") + "/"
        self.threshold = float_option(spec, "threshold", 0.01, 0.0, 1.0)
        self.refresh_s = float_option(spec, "refresh", 5.0, 0.1, 3600.0)
        self.bits = int_option(spec, "binary", 0, 0, binary.MAX_BITS)
        self.bundled = bool(int_option(spec, "bundle", 1, 0, 1))
        super().__init__(spec, rate)
        listen = spec.options.get("listen", DEFAULT_LISTEN)
        try:
            self.listener = None if listen == "off" else AvatarChangeListener(listen, what)
        except UserError:
            self.target.close()
            raise
        self.prefix = prefix
        # length word + address + tags of each float message; its 4 value bytes follow per frame
        heads = [osc_string(prefix + name) + osc_string(",f") for name in UNIFIED_NAMES]
        self._floats = [struct.pack(">i", len(head) + 4) + head for head in heads]
        self._bits = [
            [[sized(bool_message(prefix + name + suffix, v)) for v in (False, True)]
             for suffix in binary.bit_suffixes(self.bits)]
            for name in UNIFIED_NAMES
        ]  # fmt: skip
        self._negative = [
            [sized(bool_message(prefix + name + "Negative", v)) for v in (False, True)]
            for name in UNIFIED_NAMES
        ]
        self._status = [
            [sized(bool_message(address, v)) for address in status_addresses(prefix)]
            for v in (False, True)
        ]
        self._eyes_closed = FloatMessage(EYES_CLOSED, 1)
        self._pitch_yaw = FloatMessage(CENTER_PITCH_YAW, 2)
        self._last_values: np.ndarray | None = None
        self._last_quantized: np.ndarray | None = None
        self._last_refresh = 0.0
        self._last_status: bool | None = None
        self.refreshes = 0

    def _refresh_due(self, frame: FaceFrame, tracked: bool) -> bool:
        if self._last_values is None or tracked != self._last_status:
            return True
        if self.target.back_from_quiet():  # the receiver may have missed deltas
            return True
        if self.listener is not None and self.listener.changed.is_set():
            return True
        elapsed = frame.time - self._last_refresh
        return not 0.0 <= elapsed < self.refresh_s

    def encode_and_send(self, frame: FaceFrame) -> None:
        values = unified_values(frame)
        tracked = bool(frame.tracked)
        status_changed = tracked != self._last_status
        elements: list[bytes] = []
        if self._refresh_due(frame, tracked):
            if self.listener is not None:
                self.listener.changed.clear()
            self._last_refresh = frame.time
            self.refreshes += 1
            moved = range(len(values))
            elements += self._status[tracked]
            self._last_values = values.copy()
        else:
            changed = np.abs(values - self._last_values) > self.threshold
            self._last_values[changed] = values[changed]
            moved = np.flatnonzero(changed).tolist()
        raw = values.astype(">f4").tobytes()
        elements += [self._floats[i] + raw[4 * i : 4 * i + 4] for i in moved]
        if self.bits:
            elements += self._binary_elements(values, len(moved) == len(values))
        if tracked or status_changed:
            closed, pitch, yaw = native_eye(frame)
            elements.append(sized(self._eyes_closed.encode(closed)))
            elements.append(sized(self._pitch_yaw.encode(pitch, yaw)))
        self._last_status = tracked
        if self.bundled:
            self.target.send_many(pack_bundles(elements))
        else:
            self.target.send_many([element[4:] for element in elements])

    def _binary_elements(self, values: np.ndarray, everything: bool) -> list[bytes]:
        """Bits of the parameters whose quantised value changed (all of them on refresh)."""
        quantized = binary.quantize(values, self.bits)
        if everything or self._last_quantized is None:
            moved = np.arange(len(values))
        else:
            moved = np.flatnonzero(quantized != self._last_quantized)
        self._last_quantized = quantized
        flags, negative = binary.encode(values[moved], self.bits)
        out: list[bytes] = []
        for row, i in enumerate(moved.tolist()):
            bits = flags[row].tolist()
            out += [msgs[bit] for msgs, bit in zip(self._bits[i], bits, strict=True)]
            if SIGNED[i]:
                out.append(self._negative[i][int(negative[row])])
        return out

    def release(self) -> None:
        super().release()
        if self.listener is not None:
            self.listener.close()
