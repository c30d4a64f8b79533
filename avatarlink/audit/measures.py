"""Pure scoring functions of the audit (identification, pair scores, agreement).

ROC, TAR@FAR and EER live in :mod:`avatarlink.metrics`; these build their inputs
and add what a verification metric does not cover. Similarities are
``-euclidean distance``; a probe without a descriptor (the attacker got
nothing) scores ``-inf`` against everything, so it is rejected at any
threshold and never identified.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _distances(probes: np.ndarray, gallery: np.ndarray) -> np.ndarray:
    """(m, n) euclidean distances; rows of probes that are NaN give +inf."""
    diff = probes[:, None, :] - gallery[None, :, :]
    dist = np.sqrt((diff * diff).sum(axis=-1))
    return np.where(np.isnan(dist), np.inf, dist)


def stack(vectors: Sequence[np.ndarray | None], dim: int) -> np.ndarray:
    """Rows of a matrix; a missing vector becomes a row of NaN."""
    out = np.full((len(vectors), dim), np.nan)
    for i, v in enumerate(vectors):
        if v is not None:
            out[i] = v
    return out


def pair_scores(
    gallery: np.ndarray,
    gallery_ids: Sequence[str],
    gallery_src: Sequence[int],
    probes: np.ndarray,
    probe_ids: Sequence[str],
    probe_src: Sequence[int],
) -> tuple[np.ndarray, np.ndarray]:
    """Genuine and impostor similarities of every probe against every gallery item.

    Pairs that come from the same source picture (equal ``*_src``) are left
    out: matching a picture to itself says nothing about recognising a person.
    """
    sim = -_distances(np.asarray(probes, float), np.asarray(gallery, float))
    same_id = np.asarray(probe_ids)[:, None] == np.asarray(gallery_ids)[None, :]
    same_src = np.asarray(probe_src)[:, None] == np.asarray(gallery_src)[None, :]
    return sim[same_id & ~same_src], sim[~same_id & ~same_src]


def identify(
    gallery: np.ndarray,
    gallery_ids: Sequence[str],
    gallery_src: Sequence[int],
    probes: np.ndarray,
    probe_src: Sequence[int],
) -> list[str | None]:
    """Nearest-centroid identity of each probe, enrolling each person from their pictures.

    A probe's own source picture is left out of its person's enrolment, so
    each person is enrolled "from the other images". Probes without a
    descriptor get None.
    """
    gallery = np.asarray(gallery, float)
    gallery_ids = np.asarray(gallery_ids)
    gallery_src = np.asarray(gallery_src)
    names = sorted(set(gallery_ids.tolist()))
    answers: list[str | None] = []
    for probe, src in zip(np.asarray(probes, float), probe_src, strict=True):
        if np.isnan(probe).any():
            answers.append(None)
            continue
        keep = (gallery_src != src) & ~np.isnan(gallery).any(axis=1)
        centroids, labels = [], []
        for name in names:
            rows = gallery[keep & (gallery_ids == name)]
            if len(rows):
                centroids.append(rows.mean(axis=0))
                labels.append(name)
        dist = _distances(probe[None, :], np.asarray(centroids))[0]
        answers.append(labels[int(np.argmin(dist))])
    return answers


def top1_accuracy(answers: Sequence[str | None], truth: Sequence[str]) -> float:
    """Share of probes identified as the right person (no answer counts as wrong)."""
    if not truth:
        return float("nan")
    return float(np.mean([a == t for a, t in zip(answers, truth, strict=True)]))


def leave_one_out_nn(features: np.ndarray, ids: Sequence[str]) -> list[str | None]:
    """Identity of each item's nearest other item (1-NN, the item itself excluded)."""
    features = np.asarray(features, float)
    dist = _distances(features, features)
    np.fill_diagonal(dist, np.inf)
    answers: list[str | None] = []
    for i, row in enumerate(dist):
        answers.append(
            None if np.isnan(features[i]).any() or np.isinf(row).all() else ids[int(np.argmin(row))]
        )
    return answers


def agreement(a: Sequence[str | None], b: Sequence[str | None]) -> float:
    """Share of items where both readings exist and are equal."""
    if not a:
        return float("nan")
    return float(np.mean([x is not None and x == y for x, y in zip(a, b, strict=True)]))
