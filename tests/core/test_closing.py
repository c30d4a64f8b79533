"""The with-protocol mixin: the block returns the object and always closes it."""

from __future__ import annotations

import pytest

from avatarlink.closing import Closing


class _Held(Closing):
    def __init__(self) -> None:
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


def test_with_returns_the_object_and_closes_it_once():
    held = _Held()
    with held as inside:
        assert inside is held
        assert held.closed == 0
    assert held.closed == 1


def test_an_error_inside_still_closes_and_is_not_swallowed():
    held = _Held()
    with pytest.raises(RuntimeError, match="camera went away"), held:
        raise RuntimeError("camera went away")
    assert held.closed == 1
