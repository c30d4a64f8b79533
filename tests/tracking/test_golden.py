"""Our solver on MediaPipe's own golden blendshape test case.

``face_blendshapes_in_landmarks.prototxt`` is the 478-landmark input of
MediaPipe's blendshape graph test (a smiling face with lowered brows, from an
820x1024 image) and ``face_blendshapes_out.prototxt`` Google's 52 scores for it.
With the built-in defaults (one frame: no auto-neutral), our big shapes must
be Google's big shapes, and the shapes Google scores near zero must stay low.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from avatarlink.frame import ARKIT_INDEX
from avatarlink.tracking.calibration import Calibration
from avatarlink.tracking.solver import solve
from avatarlink.tracking.tracker import euler_from_matrix


@pytest.fixture(scope="module")
def golden(shared_data):
    folder = shared_data / "models" / "mediapipe_golden"
    text = (folder / "face_blendshapes_in_landmarks.prototxt").read_text()
    xyz = re.findall(r"x: (\S+)\s+y: (\S+)\s+z: (\S+)", text)
    landmarks = np.array(xyz, dtype=np.float32)
    out = (folder / "face_blendshapes_out.prototxt").read_text()
    scores = {label: float(s) for s, label in re.findall(r'score: (\S+)\s+label: "(\w+)"', out)}
    assert landmarks.shape == (478, 3) and len(scores) == 52
    cal = Calibration.default()
    return solve(landmarks, 820, 1024, cal.rest, cal.span), scores


def test_googles_big_shapes_are_ours_too(golden):
    solution, google = golden
    big = [name for name, score in google.items() if score > 0.5]
    assert len(big) == 8  # brows down, squints, smiles, upper lip up
    for name in big:
        assert solution.shapes[ARKIT_INDEX[name]] > 0.3, name


def test_shapes_google_scores_zero_stay_low(golden):
    solution, google = golden
    quiet = [n for n, s in google.items() if s < 0.02 and n in ARKIT_INDEX]
    quiet = [
        n for n in quiet if not n.startswith(("cheek", "noseSneer"))
    ]  # Google never scores these
    assert len(quiet) > 15
    for name in quiet:
        assert solution.shapes[ARKIT_INDEX[name]] < 0.35, name


def test_face_is_near_frontal(golden):
    solution, _ = golden
    yaw, pitch, roll = euler_from_matrix(solution.rotation)
    assert abs(yaw) < 5 and abs(roll) < 5 and abs(pitch) < 15
