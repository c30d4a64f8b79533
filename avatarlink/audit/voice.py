"""The voice section: the voice changer's own evaluation (EER, WER, F0) on speech/.

The voice engineer owns the measuring code (:mod:`avatarlink.voice.evaluation`);
the audit only calls it and files its figures, so the numbers in the audit
report are the ones the voice benchmarks print. When that module or the data
is missing, the section says why instead of failing the audit.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path


def evaluate(speech: Path | None, note: Callable[[str], None] = print) -> dict:
    """Figures from ``avatarlink.voice.evaluation.evaluate(speech)``, or why there are none."""
    if speech is None:
        return {"status": "skipped: no speech/ folder in the data"}
    try:
        evaluation = importlib.import_module("avatarlink.voice.evaluation")
    except ImportError as exc:
        return {"status": f"skipped: the voice evaluation is not available ({exc.name})"}
    run = getattr(evaluation, "evaluate", None)
    if run is None:
        return {"status": "skipped: avatarlink.voice.evaluation has no evaluate()"}
    note("voice: the voice changer's evaluation on speech/")
    figures = dict(run(speech))
    figures.setdefault("status", "measured")
    return figures
