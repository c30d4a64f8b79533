"""OSC 1.0 wire encoding with the fixed parts of each message prepared once.

python-osc's builders encode the address, the type tags and every argument
afresh on each call: a VMC frame (59 messages) took about 0.9 ms that way,
three times the whole budget of all senders together (tools/bench_osc.py
prints the comparison). Our messages have fixed addresses and type tags, so
:class:`BundleTemplate` and :class:`FloatMessage` keep those bytes and only
write the floats per frame. python-osc is still what decodes (the listener, the
tests): this module only writes.
"""

from __future__ import annotations

import struct

import numpy as np

from avatarlink.frame import N_SHAPES

BUNDLE_HEADER = b"#bundle\x00" + struct.pack(">Q", 1)
"""``#bundle`` with the OSC time tag 1, meaning "immediately"."""

_ZEROS = np.zeros(N_SHAPES, dtype=np.float32)
_ONES = np.ones(N_SHAPES, dtype=np.float32)


def clip_shapes(shapes: np.ndarray, out: np.ndarray) -> np.ndarray:
    """The 52 coefficients clipped to [0, 1] into ``out``.

    Bounds as arrays rather than Python scalars: NumPy then skips the per-call
    scalar conversion, which made np.clip the most expensive line of a frame.
    """
    return np.minimum(np.maximum(shapes, _ZEROS, out=out), _ONES, out=out)


def osc_string(text: str) -> bytes:
    """ASCII, NUL-terminated, padded to a multiple of four bytes."""
    raw = text.encode("utf-8")
    return raw + b"\x00" * (4 - len(raw) % 4)


def message(address: str, *args: float | int | bool | str) -> bytes:
    """Encode one message; for the few messages whose arguments vary in type."""
    tags = [","]
    body = []
    for arg in args:
        if isinstance(arg, bool):
            tags.append("T" if arg else "F")
        elif isinstance(arg, int):
            tags.append("i")
            body.append(struct.pack(">i", arg))
        elif isinstance(arg, float):
            tags.append("f")
            body.append(struct.pack(">f", arg))
        elif isinstance(arg, str):
            tags.append("s")
            body.append(osc_string(arg))
        else:
            raise TypeError(f"cannot encode {type(arg).__name__} as an OSC argument")
    return osc_string(address) + osc_string("".join(tags)) + b"".join(body)


MAX_DATAGRAM = 1400
"""Split bundles to stay within one Ethernet frame when the receiver is on another machine."""


def sized(msg: bytes) -> bytes:
    """A bundle element: the message preceded by its length."""
    return struct.pack(">i", len(msg)) + msg


def pack_bundles(elements: list[bytes], limit: int = MAX_DATAGRAM) -> list[bytes]:
    """Put :func:`sized` elements into as few bundles of at most ``limit`` bytes as possible."""
    if sum(map(len, elements)) + len(BUNDLE_HEADER) <= limit:
        return [BUNDLE_HEADER + b"".join(elements)] if elements else []
    datagrams: list[bytes] = []
    current: list[bytes] = []
    size = len(BUNDLE_HEADER)
    for element in elements:
        if current and size + len(element) > limit:
            datagrams.append(BUNDLE_HEADER + b"".join(current))
            current, size = [], len(BUNDLE_HEADER)
        current.append(element)
        size += len(element)
    if current:
        datagrams.append(BUNDLE_HEADER + b"".join(current))
    return datagrams


class FloatMessage:
    """A message ``address [string] float...`` with everything but the floats prepared."""

    __slots__ = ("_pack", "prefix")

    def __init__(self, address: str, n_floats: int, label: str | None = None) -> None:
        self.prefix = float_head(address, n_floats, label)
        self._pack = struct.Struct(f">{n_floats}f").pack

    def encode(self, *values: float) -> bytes:
        return self.prefix + self._pack(*values)


class BundleTemplate:
    """A bundle whose layout never changes: only the float slots are rewritten per frame.

    Each frame costs one NumPy scatter of the big-endian floats into a
    prepared buffer and one copy out, whatever the number of messages.
    """

    def __init__(self) -> None:
        self._parts: list[bytes] = [BUNDLE_HEADER]
        self._size = len(BUNDLE_HEADER)
        self._slots: list[int] = []
        self._buffer = np.zeros(0, dtype=np.uint8)
        self._index = np.zeros(0, dtype=np.intp)
        self.n_floats = 0

    def add(self, head: bytes, n_floats: int = 0, n_raw: int = 0) -> int:
        """Append a message: ``head`` (address, tags, fixed arguments), ``n_raw`` bytes
        set with :meth:`set_raw` (e.g. a float64), then ``n_floats`` float slots.

        Returns the offset of the raw bytes.
        """
        length = len(head) + n_raw + 4 * n_floats
        raw_at = self._size + 4 + len(head)
        self._slots.extend(range(raw_at + n_raw, raw_at + n_raw + 4 * n_floats))
        self._parts += [struct.pack(">i", length), head, bytes(n_raw + 4 * n_floats)]
        self._size += 4 + length
        self._buffer = np.zeros(0, dtype=np.uint8)  # rebuilt on first use
        self.n_floats += n_floats
        return raw_at

    def _prepared(self) -> np.ndarray:
        if self._buffer.size != self._size:
            self._buffer = np.frombuffer(b"".join(self._parts), dtype=np.uint8).copy()
            self._index = np.array(self._slots, dtype=np.intp)
        return self._buffer

    def set_raw(self, offset: int, data: bytes) -> None:
        self._prepared()[offset : offset + len(data)] = np.frombuffer(data, dtype=np.uint8)

    def render(self, floats: np.ndarray) -> bytes:
        """The datagram with ``floats`` (``n_floats`` of them, in slot order) filled in."""
        buffer = self._prepared()
        buffer[self._index] = np.asarray(floats, dtype=">f4").view(np.uint8)
        return buffer.tobytes()


def float_head(address: str, n_floats: int, label: str | None = None) -> bytes:
    """Address and type tags (and the string label, if any) of a float message."""
    tags = "," + ("s" if label is not None else "") + "f" * n_floats
    return osc_string(address) + osc_string(tags) + (b"" if label is None else osc_string(label))


def bool_message(address: str, value: bool) -> bytes:
    """``address T`` or ``address F``: OSC bools live in the type tag alone."""
    return osc_string(address) + (b",T\x00\x00" if value else b",F\x00\x00")
