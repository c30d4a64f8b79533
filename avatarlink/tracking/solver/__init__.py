"""Landmarks -> head pose, gaze and the 52 ARKit coefficients (pure functions).

Each face region has its own module that turns the head-frame mesh into
"drivers": one number per shape that grows with the movement the shape's
name describes. A coefficient is its driver's distance from the neutral face
(``rest``) over the distance a full expression moves it (``span``),
clipped to [0, 1]. Calibration only changes ``rest`` and ``span``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from avatarlink.frame import ARKIT_INDEX, ARKIT_NAMES, N_SHAPES
from avatarlink.tracking.solver import brows, cheeks_nose, eyes, mouth, pose, tongue

# Every driver the solver computes: one per ARKit shape (mouthClose is derived),
# plus the gap between the lips.
DRIVER_NAMES: tuple[str, ...] = (*ARKIT_NAMES, "lipGap")
DRIVER_INDEX = {name: i for i, name in enumerate(DRIVER_NAMES)}
_GAP = DRIVER_INDEX["lipGap"]
_I = ARKIT_INDEX

# (shape, weight, side of the smile: 0 left, 1 right, -1 the larger). Not
# mouthUpperUp: a broad smile does raise the upper lip off the teeth, and
# Google's model reads it so (0.46/0.41 on the happiness photos).
_EXPLAINED_BY_SMILE = (
    *(
        (_I[f"{name}{side}"], weight, k)
        for k, side in enumerate(("Left", "Right"))
        for name, weight in (
            ("mouthDimple", 1.0),
            ("mouthStretch", 0.5),  # Google reads a little stretch in a smile
            ("mouthPress", 1.0),
            ("noseSneer", 0.5),
        )
    ),
    (_I["mouthRollUpper"], 1.0, -1),
    (_I["mouthRollLower"], 1.0, -1),
    (_I["mouthShrugLower"], 1.0, -1),
    # the corners drawn up lift the upper lip's middle with them
    (_I["mouthShrugUpper"], 1.0, -1),
)

# Outer eye-corner distance of an adult face, for the head's distance to the camera.
EYE_CORNER_DISTANCE_M = 0.09
# Horizontal field of view assumed for an unknown webcam.
CAMERA_HFOV_DEG = 60.0


@dataclass(frozen=True, slots=True)
class Solution:
    """One face's solve: raw (unfiltered) coefficients, pose and gaze."""

    shapes: np.ndarray  # (52,) float32 in [0, 1]
    drivers: np.ndarray  # (len(DRIVER_NAMES),) float64: what calibration measures
    rotation: np.ndarray  # 3x3: head frame -> camera (OpenGL axes)
    translation: np.ndarray  # (3,) metres, camera space
    gaze_left: np.ndarray  # (yaw, pitch) degrees
    gaze_right: np.ndarray


_REGIONS = (
    (eyes.NAMES, lambda h, eye_m: eyes.drivers(eye_m)),
    (brows.NAMES, lambda h, eye_m: brows.drivers(h)),
    (mouth.NAMES, lambda h, eye_m: mouth.drivers(h)),
    (cheeks_nose.NAMES, lambda h, eye_m: cheeks_nose.drivers(h)),
)
_REGION_INDEX = tuple(np.array([DRIVER_INDEX[n] for n in names]) for names, _ in _REGIONS)
_SMILE = np.array([_I["mouthSmileLeft"], _I["mouthSmileRight"]])
_DIMPLE = np.array([_I["mouthDimpleLeft"], _I["mouthDimpleRight"]])
_CHEEK = np.array([_I["cheekSquintLeft"], _I["cheekSquintRight"]])
_LOOK_OUT = np.array([_I["eyeLookOutRight"], _I["eyeLookOutLeft"]])
_LOOK_UP = np.array([_I["eyeLookUpRight"], _I["eyeLookUpLeft"]])


def measure(
    points: np.ndarray, rigid: pose.RigidTemplate | None = None
) -> tuple[pose.HeadPose, np.ndarray, eyes.EyeMetrics]:
    """Pose, the driver vector and the eye metrics of one face (camera-frame landmarks).

    ``rigid``: the followed person's learned canonical face (a stream); without
    it each frame's pose comes from its own symmetry.
    """
    head_pose = rigid.fit(points) if rigid is not None else pose.fit_pose(points)
    h = head_pose.to_head(points)
    eye_m = eyes.eye_metrics(h)
    d = np.zeros(len(DRIVER_NAMES))
    for (_, region), index in zip(_REGIONS, _REGION_INDEX, strict=True):
        d[index] = region(h, eye_m)
    return head_pose, d, eye_m


def smile_coefficients(d: np.ndarray, rest: np.ndarray, span: np.ndarray) -> np.ndarray:
    """mouthSmile (left, right): the corners' rise, with their pull back only as far as they rise.

    The smile's driver adds SMILE_BACK of the dimple's driver (the pull back)
    to the corners' rise; a pull back with no rise is a dimple or a stretch
    along the cheek's curve, which must not read as a smile.
    """
    back = d[_DIMPLE] - rest[_DIMPLE]
    rise = d[_SMILE] - rest[_SMILE] - mouth.SMILE_BACK * back
    counted = np.minimum(back, mouth.BACK_PER_RISE * np.maximum(rise, 0.0))
    return np.clip((rise + mouth.SMILE_BACK * counted) / span[_SMILE], 0.0, 1.0)


def coefficients(d: np.ndarray, rest: np.ndarray, span: np.ndarray) -> np.ndarray:
    """Drivers to the 52 coefficients, with the few shapes that combine others."""
    c = np.clip((d - rest) / span, 0.0, 1.0)
    gap = c[_GAP]
    shapes = c[:N_SHAPES].astype(np.float32)
    # a funnel is flared lips held apart (closed, flared lips are a pucker's);
    # apart is absolute, not against this person's resting gap
    apart = (d[_GAP] - mouth.LIPS_APART[0]) / mouth.LIPS_APART[1]
    shapes[_I["mouthFunnel"]] *= min(1.0, max(0.0, apart))
    shapes[_I["cheekPuff"]] *= 1.0 - gap  # air puffs the cheeks only behind closed lips
    # the jaw dropped with the lips still together
    shapes[_I["mouthClose"]] *= 1.0 - gap
    # ... which leaves the lower lip high on the jaw: not a shrug
    shrug = _I["mouthShrugLower"]
    shapes[shrug] = max(0.0, shapes[shrug] - 1.5 * shapes[_I["mouthClose"]])
    shapes[_SMILE] = smile_coefficients(d, rest, span)
    # A smile pulls the corners back and thins and lifts the lips, so it would
    # also read as dimple, stretch, press, roll, both shrugs and upper-lip raise:
    # the smile explains that much of those shapes first.
    smile = shapes[_SMILE]
    for k, weight, side in _EXPLAINED_BY_SMILE:
        shapes[k] = max(0.0, shapes[k] - weight * (smile[side] if side >= 0 else smile.max()))
    # ... but only a smile that raises the cheeks is all smile (see SMILE_WITHOUT_CHEEK)
    cheek = float(shapes[_CHEEK].mean()) / mouth.SMILE_FULL_CHEEK
    shapes[_SMILE] *= min(1.0, mouth.SMILE_WITHOUT_CHEEK + (1 - mouth.SMILE_WITHOUT_CHEEK) * cheek)
    return shapes


def translation(points: np.ndarray, width: int, height: int) -> np.ndarray:
    """Head position in metres from the apparent eye-corner distance and an assumed lens."""
    from avatarlink.tracking import mesh

    a, b = points[mesh.EYE_OUTER[0]], points[mesh.EYE_OUTER[1]]
    span_px = float(np.linalg.norm(a - b))
    focal = width / (2 * np.tan(np.radians(CAMERA_HFOV_DEG) / 2))
    z = focal * EYE_CORNER_DISTANCE_M / max(span_px, 1e-6)
    centre = (a + b) / 2
    x = (centre[0] - width / 2) * z / focal
    y = (centre[1] + height / 2) * z / focal
    return np.array([x, y, -z], dtype=np.float32)


def solve(
    landmarks: np.ndarray,
    width: int,
    height: int,
    rest: np.ndarray,
    span: np.ndarray,
    rigid: pose.RigidTemplate | None = None,
    tongue_fill: float = 0.0,
    adapt: Callable[[np.ndarray], np.ndarray] | None = None,
) -> Solution:
    """Solve one face from MediaPipe's normalised (478, 3) landmarks of a width x height image.

    ``rigid``: see :func:`measure`. ``tongue_fill``: see :func:`tongue.mouth_fill`.
    ``adapt``: called with this frame's drivers, returns the rest to use
    instead of ``rest`` (auto-neutral).
    """
    points = pose.to_camera(landmarks, width, height)
    head_pose, d, eye_m = measure(points, rigid)
    d[_I["tongueOut"]] = tongue.driver(d[_GAP], tongue_fill)
    if adapt is not None:
        rest = adapt(d)
    shapes = coefficients(d, rest, span)
    # the eyes share one upward look; the wider-open eye shows more of it
    shapes[_LOOK_UP] = np.minimum(shapes[_LOOK_UP] * eyes.look_up_share(eye_m), 1.0)
    gazes = eyes.gaze(eye_m, rest[_LOOK_OUT], rest[_LOOK_UP])
    return Solution(
        shapes=shapes,
        drivers=d,
        rotation=head_pose.rotation,
        translation=translation(points, width, height),
        gaze_left=gazes[1],
        gaze_right=gazes[0],
    )
