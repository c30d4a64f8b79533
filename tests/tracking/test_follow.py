"""Following one person among several faces."""

from __future__ import annotations

import numpy as np

from avatarlink.tracking.follow import RELOCK_AFTER_S, FaceFollower
from tests.tracking.conftest import project


def placed(canonical: np.ndarray, dx: float, scale: float) -> np.ndarray:
    lm = project(canonical * scale)
    lm[:, 0] += dx
    return lm


def test_locks_on_the_largest_then_never_jumps(canonical):
    person = placed(canonical, -0.2, 1.0)
    bystander = placed(canonical, 0.25, 0.7)
    f = FaceFollower()
    assert f.choose([bystander, person], 0.0, 640, 480) is person
    # the bystander comes closer and is now the larger face: still the same person
    nearer = placed(canonical, 0.2, 1.3)
    moved = placed(canonical, -0.18, 1.0)
    assert f.choose([nearer, moved], 1 / 30, 640, 480) is moved
    # the person leaves: the bystander alone is not taken over
    assert f.choose([nearer], 2 / 30, 640, 480) is None
    assert f.choose([nearer], 0.5, 640, 480) is None
    # the person comes back where they were
    assert f.choose([nearer, moved], 0.6, 640, 480) is moved


def test_starts_over_after_a_long_absence(canonical):
    f = FaceFollower()
    person = placed(canonical, -0.2, 1.0)
    other = placed(canonical, 0.25, 0.9)
    assert f.choose([person], 0.0, 640, 480) is person
    assert f.choose([], 0.1, 640, 480) is None
    assert f.choose([other], RELOCK_AFTER_S + 0.2, 640, 480) is other


def test_a_larger_face_the_detector_is_unsure_of_is_a_phantom(canonical):
    """Windows or a logo behind the person can pass for a larger face at low confidence."""
    person = placed(canonical, -0.2, 1.0)
    phantom = placed(canonical, 0.25, 1.3)
    assert FaceFollower().choose([phantom, person], 0.0, 640, 480, [0.61, 0.96]) is person
    # a bystander the detector is nearly as sure of is a real face: the larger wins
    assert FaceFollower().choose([phantom, person], 0.0, 640, 480, [0.85, 0.96]) is phantom
    # unknown confidences (faces followed from the last frame) count as sure
    nan = float("nan")
    assert FaceFollower().choose([phantom, person], 0.0, 640, 480, [nan, 0.96]) is phantom
