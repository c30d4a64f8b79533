"""The dlib attacker on real photos from the shared data (read in place, never copied)."""

from pathlib import Path

import numpy as np
import pytest

from avatarlink.audit.dataset import load_rgb
from avatarlink.audit.identity import Box, FaceRecogniser


@pytest.fixture(scope="module")
def recogniser() -> FaceRecogniser:
    return FaceRecogniser()


def _describe(recogniser: FaceRecogniser, path: Path) -> np.ndarray:
    d = recogniser.describe(load_rgb(path))
    assert d.found and d.descriptor.shape == (128,)
    return d.descriptor


def test_same_person_closer_than_dlib_threshold(recogniser, shared_data: Path):
    people = shared_data / "faces" / "identity"
    a1 = _describe(recogniser, people / "lfw_meryl_streep" / "01.jpg")
    a2 = _describe(recogniser, people / "lfw_meryl_streep" / "03.jpg")
    b = _describe(recogniser, people / "lfw_gerry_adams" / "01.jpg")
    assert np.linalg.norm(a1 - a2) < 0.6 < np.linalg.norm(a1 - b)


def test_no_face_found_and_fallback_box(recogniser):
    blank = np.zeros((200, 200, 3), np.uint8)
    assert recogniser.describe(blank).descriptor is None
    forced = recogniser.describe(blank, Box(50, 50, 150, 150))
    assert not forced.found and forced.descriptor.shape == (128,)
