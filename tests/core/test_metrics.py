import math

import numpy as np
import pytest

from avatarlink.metrics import eer, pearson, roc_curve, tar_at_far


def test_roc_by_hand():
    genuine = [0.9, 0.8, 0.4]
    impostor = [0.7, 0.3, 0.2, 0.1]
    far, tar, thr = roc_curve(genuine, impostor)
    # threshold 0.8 accepts genuine 0.9, 0.8 and no impostor
    k = list(thr).index(0.8)
    assert (far[k], tar[k]) == (0.0, pytest.approx(2 / 3))
    # threshold 0.4 accepts all genuine and impostor 0.7
    k = list(thr).index(0.4)
    assert (far[k], tar[k]) == (0.25, 1.0)
    assert far[0] == tar[0] == 0.0 and far[-1] == tar[-1] == 1.0


def test_tar_at_far_by_hand():
    genuine = [0.9, 0.8, 0.4]
    impostor = [0.7, 0.3, 0.2, 0.1]
    assert tar_at_far(genuine, impostor, 0.0) == pytest.approx(2 / 3)
    assert tar_at_far(genuine, impostor, 0.25) == 1.0


def test_eer_separable_and_identical_and_crossing():
    assert eer([0.9, 0.8], [0.1, 0.2]) == 0.0
    # identical distributions: a random guesser sits at 50%
    rng = np.random.default_rng(0)
    s = rng.normal(size=4000)
    assert eer(s[:2000], s[2000:]) == pytest.approx(0.5, abs=0.03)
    # one genuine below one impostor of two each: far = frr = 0.5 at threshold 0.6
    assert eer([0.9, 0.5], [0.6, 0.1]) == pytest.approx(0.5)


def test_pearson():
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert math.isnan(pearson([1, 1, 1], [1, 2, 3]))
