"""`avatarlink demo`, exactly as the README's first command runs it."""

from __future__ import annotations

import numpy as np

from avatarlink.pipeline.performance import HOLD, KEYFRAMES, MOVE, performance

from .conftest import count_frames, read_video, run_cli


def test_demo_writes_a_clip_of_expressions_and_says_where(tmp_path):
    proc = run_cli("demo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "avatarlink-demo.mp4"
    assert out.exists()
    assert str(out) in proc.stdout
    frames, fps = read_video(out)
    assert len(frames) == count_frames(out) == len(performance(30.0))
    assert fps == 30.0
    assert frames[0].shape == (480, 640, 3)
    # each held expression looks different from the neutral start
    neutral = frames[int(HOLD / 2 * fps)].astype(np.float64)
    step = HOLD + MOVE
    held = [frames[int((k * step + HOLD / 2) * fps)] for k in range(1, len(KEYFRAMES) - 1)]
    diffs = [np.abs(h.astype(np.float64) - neutral).mean() for h in held]
    assert min(diffs) > 0.3, diffs
