"""VRCFT binary parameters: bits plus Negative decode back within one step."""

from __future__ import annotations

import numpy as np
import pytest

from avatarlink.osc import binary


@pytest.mark.parametrize("bits", [1, 3, 4, 8])
def test_round_trip_within_half_a_step(bits):
    values = np.linspace(-1.0, 1.0, 401)
    flags, negative = binary.encode(values, bits)
    assert flags.shape == (401, bits)
    decoded = binary.decode(flags, negative)
    assert np.max(np.abs(decoded - values)) <= 0.5 / ((1 << bits) - 1) + 1e-9


def test_known_patterns():
    flags, negative = binary.encode(np.array([0.0, 1.0, -0.2, 0.5]), 4)
    assert flags.astype(int).tolist() == [[0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 0, 0], [0, 0, 0, 1]]
    assert negative.tolist() == [False, False, True, False]
    assert binary.bit_suffixes(4) == ("1", "2", "4", "8")
