"""The mirror map derived from the face mesh's own triangulation."""

from __future__ import annotations

import numpy as np

from avatarlink.tracking import mesh


def test_mirror_is_an_involution_that_swaps_sides():
    m = mesh.mirror_map()
    assert m.shape == (478,)
    np.testing.assert_array_equal(m[m], np.arange(478))
    left = mesh.left_side()
    assert not set(left) & set(m[left])  # the mirror of a left point is never on the left
    for right, left_point in mesh.SEED_PAIRS:
        assert left_point in left and right not in left
    for i in mesh.MIDLINE:
        assert m[i] == i


def test_mirror_matches_the_canonical_face_geometry(canonical):
    """On the symmetric canonical face a point's mirror sits at (-x, y, z)."""
    m = mesh.mirror_map()
    reflected = canonical[m] * np.array([-1.0, 1.0, 1.0])
    assert np.abs(reflected[:468] - canonical[:468]).max() < 0.05
    assert (canonical[mesh.left_side(), 0] > 0).all()


def test_named_points_are_on_the_right_sides(canonical):
    for right, left in (mesh.EYE_OUTER, mesh.MOUTH_CORNER, mesh.NOSE_ALA, mesh.CHEEK_LOW):
        assert canonical[left, 0] > 0 > canonical[right, 0]
