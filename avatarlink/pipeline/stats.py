"""Per-stage timings and end-to-end figures, shared by `avatarlink run` and tools/bench.py."""

from __future__ import annotations

import threading
from collections import defaultdict

import numpy as np


class StageStats:
    """Thread-safe lists of milliseconds per stage (capture, track, render, output...)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ms: dict[str, list[float]] = defaultdict(list)

    def add(self, stage: str, seconds: float) -> None:
        with self._lock:
            self._ms[stage].append(seconds * 1000.0)

    def values(self, stage: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._ms.get(stage, []), dtype=np.float64)

    def stages(self) -> list[str]:
        with self._lock:
            return list(self._ms)

    def summary(self, stage: str) -> dict[str, float]:
        """count, mean, p50, p95 in milliseconds (NaN when empty)."""
        v = self.values(stage)
        if v.size == 0:
            return {"count": 0, "mean": float("nan"), "p50": float("nan"), "p95": float("nan")}
        return {
            "count": int(v.size),
            "mean": float(v.mean()),
            "p50": float(np.percentile(v, 50)),
            "p95": float(np.percentile(v, 95)),
        }

    def table(self, stages: list[str] | None = None) -> str:
        """A plain-text table, one row per stage."""
        rows = [f"{'stage':<12} {'n':>6} {'mean ms':>9} {'p50 ms':>8} {'p95 ms':>8}"]
        for stage in stages or self.stages():
            s = self.summary(stage)
            rows.append(
                f"{stage:<12} {s['count']:>6} {s['mean']:>9.1f} {s['p50']:>8.1f} {s['p95']:>8.1f}"
            )
        return "\n".join(rows)
