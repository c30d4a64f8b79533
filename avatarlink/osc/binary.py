"""VRCFaceTracking's "binary" parameters: one float as N bools plus a sign.

An avatar short of synced parameter memory can take ``<Name>1``, ``<Name>2``,
``<Name>4`` ... ``<Name>{2**(N-1)}`` (bools, the bits of round(|v| * (2**N - 1)))
and ``<Name>Negative`` instead of the float ``<Name>``: N + 1 bits instead of
8, decoded in the avatar's animator as sum(bits) / (2**N - 1).
"""

from __future__ import annotations

import numpy as np

MAX_BITS = 8
"""More bits than a synced float has would cost memory and gain nothing."""


def bit_suffixes(bits: int) -> tuple[str, ...]:
    """Parameter name suffixes, least significant first: "1", "2", "4", ..."""
    return tuple(str(1 << k) for k in range(bits))


def quantize(values: np.ndarray, bits: int) -> np.ndarray:
    """Signed integers in -(2**bits - 1)..(2**bits - 1); the sign becomes ``Negative``."""
    top = (1 << bits) - 1
    return np.rint(np.clip(values, -1.0, 1.0) * top).astype(np.int32)


def encode(values: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """(bit flags of shape (n, bits), negative flags of shape (n,)) for each value."""
    q = quantize(values, bits)
    flags = (np.abs(q)[:, None] >> np.arange(bits)) & 1
    return flags.astype(bool), q < 0


def decode(flags: np.ndarray, negative: np.ndarray) -> np.ndarray:
    """What the avatar's animator reconstructs (used by tests and receivers)."""
    bits = flags.shape[1]
    magnitude = flags.astype(np.int32) @ (1 << np.arange(bits)) / ((1 << bits) - 1)
    return np.where(negative, -magnitude, magnitude)
