"""tongueOut (best effort): an open mouth filled with something lip-coloured."""

from __future__ import annotations

import cv2
import numpy as np

from avatarlink.frame import ARKIT_INDEX
from avatarlink.tracking import mesh
from avatarlink.tracking.calibration import Calibration
from avatarlink.tracking.solver import solve, tongue
from tests.tracking.conftest import IMAGE, project
from tests.tracking.expressions import jaw_open

SKIN, LIPS, CAVITY, TONGUE = (200, 160, 140), (190, 90, 90), (30, 15, 15), (215, 100, 110)


def picture(landmarks: np.ndarray, inside: tuple[int, int, int]) -> np.ndarray:
    rgb = np.zeros((IMAGE, IMAGE, 3), np.uint8)
    rgb[:] = SKIN
    xy = np.round(landmarks[:, :2] * IMAGE).astype(np.int32)
    cv2.fillPoly(rgb, [xy[list(mesh.LIPS_OUTER)]], LIPS)
    cv2.fillPoly(rgb, [xy[list(mesh.LIPS_INNER)]], inside)
    return rgb


def test_fill_tells_tongue_from_cavity(canonical):
    open_mouth = project(jaw_open(canonical))
    assert tongue.mouth_fill(picture(open_mouth, TONGUE), open_mouth) > 0.8
    assert tongue.mouth_fill(picture(open_mouth, CAVITY), open_mouth) < 0.2


def test_closed_mouth_has_no_tongue(canonical):
    closed = project(canonical)
    closed[list(mesh.LIPS_INNER), 1] = closed[13, 1]  # lips together: no opening
    assert tongue.mouth_fill(picture(closed, TONGUE), closed) == 0.0


def test_tongue_out_coefficient(canonical):
    cal = Calibration.default()
    open_mouth = project(jaw_open(canonical))
    k = ARKIT_INDEX["tongueOut"]

    def coefficient(inside):
        fill = tongue.mouth_fill(picture(open_mouth, inside), open_mouth)
        return solve(open_mouth, IMAGE, IMAGE, cal.rest, cal.span, tongue_fill=fill).shapes[k]

    assert coefficient(TONGUE) > 0.5
    assert coefficient(CAVITY) < 0.1
