"""Verification and agreement metrics shared by benchmarks and the audit.

Scores are similarities: higher means "more likely the same person".
"""

from __future__ import annotations

import numpy as np


def roc_curve(
    genuine: np.ndarray, impostor: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """False-accept and true-accept rates for every distinct threshold.

    A pair is accepted when its score is >= the threshold. Returns
    ``(far, tar, thresholds)`` ordered from the strictest threshold (+inf,
    nothing accepted) to the loosest (everything accepted).
    """
    genuine = np.asarray(genuine, dtype=np.float64).ravel()
    impostor = np.asarray(impostor, dtype=np.float64).ravel()
    if genuine.size == 0 or impostor.size == 0:
        raise ValueError("need at least one genuine and one impostor score")
    thresholds = np.concatenate([[np.inf], np.unique(np.concatenate([genuine, impostor]))[::-1]])
    g = np.sort(genuine)
    i = np.sort(impostor)
    tar = 1.0 - np.searchsorted(g, thresholds, side="left") / g.size
    far = 1.0 - np.searchsorted(i, thresholds, side="left") / i.size
    return far, tar, thresholds


def tar_at_far(genuine: np.ndarray, impostor: np.ndarray, far_target: float = 0.01) -> float:
    """Highest true-accept rate whose false-accept rate does not exceed the target."""
    far, tar, _ = roc_curve(genuine, impostor)
    return float(tar[far <= far_target + 1e-12].max())


def eer(genuine: np.ndarray, impostor: np.ndarray) -> float:
    """Equal error rate: where false accepts equal false rejects (linear crossing)."""
    far, tar, _ = roc_curve(genuine, impostor)
    frr = 1.0 - tar
    diff = far - frr  # rises from -1 (strict) to +1 (loose)
    k = int(np.argmax(diff >= 0))
    if k == 0 or diff[k] == 0:
        return float((far[k] + frr[k]) / 2)
    # interpolate between the last threshold with far < frr and the first with far >= frr
    w = -diff[k - 1] / (diff[k] - diff[k - 1])
    return float(far[k - 1] + w * (far[k] - far[k - 1]))


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson r, NaN when either side is constant (r is undefined there)."""
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    da, db = a - a.mean(), b - b.mean()
    denom = np.sqrt((da * da).sum() * (db * db).sum())
    return float((da * db).sum() / denom) if denom > 1e-12 else float("nan")
