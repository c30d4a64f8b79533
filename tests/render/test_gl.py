"""How the software rasteriser shares the cores with tracking."""

from __future__ import annotations

import os

import pytest

from avatarlink.render import gl


@pytest.mark.parametrize(("cores", "threads"), [(1, "1"), (2, "1"), (8, "7"), (None, "1")])
def test_llvmpipe_leaves_one_core_for_tracking(monkeypatch, cores, threads) -> None:
    monkeypatch.delenv("LP_NUM_THREADS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    gl.leave_a_core_for_tracking()
    assert os.environ["LP_NUM_THREADS"] == threads


def test_a_thread_count_the_user_chose_is_kept(monkeypatch) -> None:
    monkeypatch.setenv("LP_NUM_THREADS", "3")
    gl.leave_a_core_for_tracking()
    assert os.environ["LP_NUM_THREADS"] == "3"
