"""OSC 1.0 wire encoding with the fixed parts of each message prepared once.

python-osc's builders encode the address, the type tags and every argument
afresh on each call: a VMC frame (59 messages) took about 0.9 ms that way,
three times the whole budget of all senders together. Our messages have fixed
addresses and type tags, so :class:`FloatMessage` keeps those bytes and only
packs the floats per frame. python-osc is still what decodes (the listener, the
tests): this module only writes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

import numpy as np

BUNDLE_HEADER = b"#bundle\x00" + struct.pack(">Q", 1)
"""``#bundle`` with the OSC time tag 1, meaning "immediately"."""


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


def bundle(messages: Iterable[bytes]) -> bytes:
    """One datagram holding the messages, applied together by the receiver."""
    parts = [BUNDLE_HEADER]
    for msg in messages:
        parts.append(struct.pack(">i", len(msg)))
        parts.append(msg)
    return b"".join(parts)


class FloatMessage:
    """A message ``address [string] float...`` with everything but the floats prepared."""

    __slots__ = ("_pack", "prefix")

    def __init__(self, address: str, n_floats: int, label: str | None = None) -> None:
        tags = "," + ("s" if label is not None else "") + "f" * n_floats
        self.prefix = osc_string(address) + osc_string(tags)
        if label is not None:
            self.prefix += osc_string(label)
        self._pack = struct.Struct(f">{n_floats}f").pack

    def encode(self, *values: float) -> bytes:
        return self.prefix + self._pack(*values)


class FloatTable:
    """Many one-float messages that differ only by address or label, encoded at once.

    The floats are converted to big-endian with NumPy in one call and joined
    with the prepared prefixes, so a frame costs one join instead of one
    struct call per message.
    """

    __slots__ = ("prefixes",)

    def __init__(self, prefixes: list[bytes]) -> None:
        self.prefixes = prefixes

    @classmethod
    def by_address(cls, addresses: Iterable[str]) -> FloatTable:
        return cls([osc_string(a) + osc_string(",f") for a in addresses])

    @classmethod
    def by_label(cls, address: str, labels: Iterable[str]) -> FloatTable:
        head = osc_string(address) + osc_string(",sf")
        return cls([head + osc_string(label) for label in labels])

    def encode(self, values: np.ndarray, which: Iterable[int] | None = None) -> list[bytes]:
        """Messages for ``values`` (one per prefix), or only those at indices ``which``."""
        raw = np.asarray(values, dtype=">f4").tobytes()
        if which is None:
            which = range(len(self.prefixes))
        return [self.prefixes[i] + raw[4 * i : 4 * i + 4] for i in which]


def bool_message(address: str, value: bool) -> bytes:
    return osc_string(address) + (b",T\x00\x00" if value else b",F\x00\x00")
