"""The voice section: the voice changer's own evaluation (EER, WER, F0) on the speech data.

The voice engineer owns the measuring code (:mod:`avatarlink.voice.evaluation`,
which needs the ``bench`` extra); the audit only calls it and files its
figures, so the numbers in the audit report are the ones the voice benchmarks
print. When that module, its extra or the data is missing, the section says
why instead of failing the audit.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path


def evaluate(
    speech: Path | None,
    transcribed: Path | None,
    limit: int | None = None,
    note: Callable[[str], None] = print,
) -> dict:
    """Speaker verification and F0 on ``speech``, word error rate on ``transcribed``."""
    if speech is None and transcribed is None:
        return {"status": "skipped: no speech/ or speech_transcribed/ folder in the data"}
    try:
        evaluation = importlib.import_module("avatarlink.voice.evaluation")
    except ImportError as exc:
        return {"status": f"skipped: the voice evaluation is not available ({exc.name})"}
    note("voice: the voice changer's evaluation (EER, WER, F0)")
    figures: dict = {"status": "measured"}
    try:
        if speech is not None:
            # verification needs two speakers with two utterances each, whatever the limit
            n = None if limit is None else max(limit, 2)
            subset = {"max_speakers": n, "max_utterances": n}
            figures["speaker_verification"] = evaluation.speaker_verification(speech, **subset)
            figures["prosody"] = evaluation.prosody(speech, **subset)
        if transcribed is not None:
            figures["intelligibility"] = evaluation.intelligibility(transcribed, max_clips=limit)
    except ImportError as exc:
        return {"status": f"skipped: the voice evaluation needs the bench extra ({exc.name})"}
    return figures
