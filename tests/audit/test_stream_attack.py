import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from avatarlink.audit.stream_attack import (
    align_landmarks,
    attack,
    frame_features,
    nn_chance,
    standardise,
)
from avatarlink.frame import FaceFrame


def test_alignment_removes_pose_position_and_size():
    rng = np.random.default_rng(1)
    cloud = rng.normal(size=(478, 3))
    moved = 2.5 * cloud @ Rotation.from_euler("xyz", [10, -25, 5], degrees=True).as_matrix().T + [
        3,
        -1,
        7,
    ]
    a, b, none = align_landmarks([cloud, moved, None])
    assert np.allclose(a, b, atol=1e-9) and none is None


def test_frame_features_only_when_tracked():
    assert frame_features(FaceFrame(time=0.0)) is None
    v = frame_features(FaceFrame(time=0.0, tracked=True))
    assert v.shape == (52 + 4 + 3 + 2 + 2,)


def test_standardise_columns_and_constant_column():
    m = standardise(np.array([[1.0, 5.0], [3.0, 5.0], [np.nan, np.nan]]))
    assert m[:2, 0].tolist() == [-1.0, 1.0] and m[:2, 1].tolist() == [0.0, 0.0]


def test_nn_chance_by_hand():
    # A, A, B: each A has 1 of 2 others the same, B has 0 of 2 -> (0.5 + 0.5 + 0) / 3
    assert nn_chance(["A", "A", "B"]) == pytest.approx(1 / 3)


def test_attack_finds_separated_people_and_not_random_ones():
    rng = np.random.default_rng(2)
    ids = [p for p in "ABCD" for _ in range(3)]
    centres = {p: rng.normal(scale=10, size=8) for p in "ABCD"}
    clustered = [centres[p] + rng.normal(scale=0.1, size=8) for p in ids]
    result = attack(clustered, ids)
    assert result["top1"] == 1.0 and result["tar_at_far1"] == 1.0 and result["eer"] == 0.0
    assert result["chance"] == pytest.approx(2 / 11) and result["tracked"] == 1.0
    missing = attack([None] * len(ids), ids)
    assert missing["top1"] == 0.0 and missing["tracked"] == 0.0
