"""What leaves the machine: can the transmitted numbers alone identify someone?

A nearest-neighbour attacker holds one picture's stream and looks for the
closest other picture's stream. Two streams are attacked side by side:

* our ``FaceFrame`` (52 coefficients, head rotation and translation, gaze),
  which is all that avatarlink sends;
* raw face-mesh landmarks, which is what the dots method puts on screen.
  The attacker is given the easiest case: each point cloud is aligned to a
  reference by a similarity transform (Procrustes), so only face shape is left.

Each feature is standardised over the set first (an attacker would do so, and
it stops one large-valued column from deciding every match).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.linalg import orthogonal_procrustes

from avatarlink.audit.measures import leave_one_out_nn, pair_scores, stack, top1_accuracy
from avatarlink.frame import FaceFrame
from avatarlink.metrics import eer, tar_at_far


def frame_features(frame: FaceFrame) -> np.ndarray | None:
    """Everything a FaceFrame sends, as one vector; None when no face was tracked."""
    if not frame.tracked:
        return None
    return np.concatenate(
        [
            np.asarray(frame.blendshapes, float),
            np.asarray(frame.head_rotation, float),
            np.asarray(frame.head_translation, float),
            np.asarray(frame.gaze_left, float),
            np.asarray(frame.gaze_right, float),
        ]
    )


def _normalised(points: np.ndarray) -> np.ndarray:
    centred = points - points.mean(axis=0)
    return centred / np.linalg.norm(centred)


def align_landmarks(clouds: Sequence[np.ndarray | None]) -> list[np.ndarray | None]:
    """Each (N, 3) cloud centred, scaled to unit size and rotated onto the first one."""
    present = [c for c in clouds if c is not None]
    if not present:
        return [None] * len(clouds)
    reference = _normalised(np.asarray(present[0], float))
    out: list[np.ndarray | None] = []
    for cloud in clouds:
        if cloud is None:
            out.append(None)
            continue
        shape = _normalised(np.asarray(cloud, float))
        rotation, _ = orthogonal_procrustes(shape, reference)
        out.append((shape @ rotation).ravel())
    return out


def standardise(features: np.ndarray) -> np.ndarray:
    """Zero mean, unit variance per column over the rows present; constant columns -> 0."""
    mean = np.nanmean(features, axis=0)
    std = np.nanstd(features, axis=0)
    return (features - mean) / np.where(std > 1e-9, std, 1.0)


def nn_chance(ids: Sequence[str]) -> float:
    """Top-1 of a guesser who picks a random other item: mean share of same-person others."""
    ids = np.asarray(ids)
    n = len(ids)
    if n < 2:
        return float("nan")
    same = (ids[:, None] == ids[None, :]).sum(axis=1) - 1
    return float(np.mean(same / (n - 1)))


def attack(vectors: Sequence[np.ndarray | None], ids: Sequence[str]) -> dict[str, float]:
    """Leave-one-out 1-NN identification and all-pairs verification on one stream."""
    present = [v for v in vectors if v is not None]
    dim = len(present[0]) if present else 1
    features = standardise(stack(vectors, dim)) if present else stack(vectors, dim)
    answers = leave_one_out_nn(features, ids)
    src = list(range(len(ids)))
    genuine, impostor = pair_scores(features, ids, src, features, ids, src)
    return {
        "n": len(ids),
        "tracked": len(present) / len(ids) if ids else float("nan"),
        "top1": top1_accuracy(answers, list(ids)),
        "chance": nn_chance(ids),
        "tar_at_far1": tar_at_far(genuine, impostor, 0.01),
        "eer": eer(genuine, impostor),
    }
