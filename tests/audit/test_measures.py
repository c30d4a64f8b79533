import numpy as np
import pytest

from avatarlink.audit.measures import (
    agreement,
    identify,
    leave_one_out_nn,
    pair_scores,
    stack,
    top1_accuracy,
)


def test_stack_marks_missing_rows_nan():
    m = stack([np.array([1.0, 2.0]), None], 2)
    assert m[0].tolist() == [1.0, 2.0] and np.isnan(m[1]).all()


def test_pair_scores_by_hand():
    # gallery: A at 0 (src 0), A at 1 (src 1), B at 10 (src 2), on a line
    gallery = np.array([[0.0], [1.0], [10.0]])
    # probes: anonymised src 0 at 0.5, anonymised src 2 missing
    probes = stack([np.array([0.5]), None], 1)
    genuine, impostor = pair_scores(gallery, ["A", "A", "B"], [0, 1, 2], probes, ["A", "B"], [0, 2])
    # probe src0 vs gallery src1 (same person, other photo): distance 0.5; own photo left out
    assert genuine.tolist() == [-0.5]
    # probe src0 vs B: 9.5; missing probe vs A, A: -inf twice; missing probe vs B is its own photo
    assert sorted(impostor.tolist()) == [-np.inf, -np.inf, -9.5]


def test_identify_enrols_from_other_pictures():
    gallery = np.array([[0.0], [2.0], [10.0], [12.0]])
    ids = ["A", "A", "B", "B"]
    # a probe of picture 0 lying at 7: A's enrolment without picture 0 is 2.0, B's is 11.0
    # -> nearer to B (4 vs 5); with picture 0 kept A would be 1.0 (6 vs 4, still B)
    probes = stack([np.array([7.0]), np.array([1.5]), None], 1)
    answers = identify(gallery, ids, [0, 1, 2, 3], probes, [0, 1, 2])
    assert answers == ["B", "A", None]
    assert top1_accuracy(answers, ["A", "A", "B"]) == pytest.approx(1 / 3)


def test_identify_leaving_out_the_own_picture_changes_the_answer():
    # A: pictures at 0 and 4 (centroid 2); B at 5. A probe of picture 1 at 3.4:
    # with its own picture A's centroid is 2 (1.4 away) vs B 1.6 -> A;
    # enrolled only from the other picture (0) A is 3.4 away -> B.
    gallery = np.array([[0.0], [4.0], [5.0]])
    assert identify(gallery, ["A", "A", "B"], [0, 1, 2], np.array([[3.4]]), [1]) == ["B"]


def test_leave_one_out_nn_by_hand():
    features = stack([np.array([0.0]), np.array([1.0]), np.array([5.0]), None], 1)
    assert leave_one_out_nn(features, ["A", "B", "B", "C"]) == ["B", "A", "B", None]


def test_agreement_counts_missing_as_disagreement():
    assert agreement(["joy", "fear", None, "anger"], ["joy", "anger", None, "anger"]) == 0.5
    assert np.isnan(agreement([], []))
