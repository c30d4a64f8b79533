"""FaceTracker: RGB frames in, filtered and calibrated FaceFrames out.

Landmarks stay inside this object; only FaceFrames (numbers about
expression and pose) come out.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from avatarlink.closing import Closing
from avatarlink.frame import ARKIT_NAMES, N_SHAPES, FaceFrame
from avatarlink.tracking import filters
from avatarlink.tracking.calibration import Calibration, load_profile
from avatarlink.tracking.detector import MAX_FACES, LandmarkDetector
from avatarlink.tracking.follow import FaceFollower, mask_around
from avatarlink.tracking.neutral import AutoNeutral
from avatarlink.tracking.solver import Solution, pose, solve, tongue


# Filter channels: 52 shapes, 4 gaze angles, 3 head angles, 3 head position.
def _params(name: str) -> filters.OneEuroParams:
    if name.startswith("eyeLook"):
        return filters.EYE_LOOK
    if name.startswith("eyeWide"):
        return filters.EYE_WIDE
    return filters.EYES if name.startswith("eye") else filters.MOUTH_BROWS


def _filter_for_frames() -> filters.OneEuroFilter:
    params = [_params(name) for name in ARKIT_NAMES]
    params += [filters.GAZE] * 4 + [filters.HEAD] * 6
    return filters.OneEuroFilter.from_params(params)


def euler_from_matrix(rotation: np.ndarray) -> np.ndarray:
    """(yaw, pitch, roll) degrees, conventions of :mod:`avatarlink.frame`.

    ``R = Ry(yaw) Rx(-pitch) Rz(-roll)`` read off in closed form, in scalar
    math (scipy's general conversion costs more than the whole solver, and
    NumPy's per-call overhead dwarfs three angles).
    """
    r = rotation.tolist()
    yaw = math.atan2(r[0][2], r[2][2])
    pitch = math.asin(min(1.0, max(-1.0, r[1][2])))
    roll = -math.atan2(r[1][0], r[1][1])
    return np.array([math.degrees(yaw), math.degrees(pitch), math.degrees(roll)])


def quat_from_angles(yaw: float, pitch: float, roll: float) -> np.ndarray:
    """Same as :func:`avatarlink.frame.quat_from_euler`, in closed form: qy * qx * qz."""
    a, b, c = math.radians(yaw) / 2, -math.radians(pitch) / 2, -math.radians(roll) / 2
    ca, sa, cb, sb = math.cos(a), math.sin(a), math.cos(b), math.sin(b)
    cc, sc = math.cos(c), math.sin(c)
    # qy * qx = (ca*sb, sa*cb, -sa*sb, ca*cb); then times qz = (0, 0, sc, cc)
    x, y, z, w = ca * sb, sa * cb, -sa * sb, ca * cb
    return np.array(
        [x * cc + y * sc, y * cc - x * sc, z * cc + w * sc, w * cc - z * sc], dtype=np.float32
    )


# eyeLook coefficient 1 is about this many degrees of eye rotation
_GAZE_FULL_DEG = 30.0


def _gaze_from_shapes(shapes: np.ndarray, side: str) -> np.ndarray:
    """(yaw, pitch) from Google's eyeLook coefficients (its backend has no iris solve)."""
    i = {
        n: shapes[ARKIT_NAMES.index(f"{n}{side}")]
        for n in ("eyeLookOut", "eyeLookIn", "eyeLookUp", "eyeLookDown")
    }
    outward = 1.0 if side == "Left" else -1.0
    yaw = (i["eyeLookOut"] - i["eyeLookIn"]) * outward * _GAZE_FULL_DEG
    pitch = (i["eyeLookUp"] - i["eyeLookDown"]) * _GAZE_FULL_DEG
    return np.array([yaw, pitch], dtype=np.float32)


class FaceTracker(Closing):
    """Follows one person and solves their face in every frame.

    ``profile``: a calibration profile's name (default: built-in neutral).
    ``model``: a Face Landmarker ``.task`` file to use Google's blendshapes instead.
    """

    def __init__(self, profile: str | None = None, model: Path | None = None) -> None:
        self.calibration = load_profile(profile) if profile else Calibration.default()
        # without a profile, learn this person's neutral face as we go
        self._neutral = None if profile else AutoNeutral()
        self._rigid = pose.RigidTemplate()
        self._mask = True
        self._google = None
        self._detector = None
        if model is not None:
            from avatarlink.tracking.landmarker import GoogleLandmarker

            self._google = GoogleLandmarker(Path(model))
        else:
            # several faces to choose from when (re)locking, one while locked. The
            # lock graph sees each picture afresh: followed from its last call
            # (which may be long ago), it would skip the face detector, whose
            # confidence tells a phantom from a face (see detector.most_prominent)
            self._acquire = LandmarkDetector(video=False, max_faces=MAX_FACES)
            self._detector = LandmarkDetector(video=True, max_faces=1)
        self._follower = FaceFollower()
        self._filter = _filter_for_frames()
        # the last frame's coefficients before filtering (for measuring the filter's lag)
        self.unfiltered: np.ndarray | None = None

    def _landmarks(self, rgb: np.ndarray, t: float):
        h, w = rgb.shape[:2]
        if self._google is not None:
            faces = self._google.detect_all(rgb, t)
            chosen = self._follower.choose([f.landmarks for f in faces], t, w, h)
            if chosen is None:
                return None, None
            return chosen, next(f for f in faces if f.landmarks is chosen)
        last = self._follower.locked(t)
        if last is not None:
            # The one-face mesh follows its own last face from frame to frame; it
            # only searches the picture when it has lost it. Until it is known to
            # be on our person (just locked, or it came back with someone else)
            # it sees nothing but the person's surroundings.
            image = mask_around(rgb, last) if self._mask else rgb
            chosen = self._follower.choose(self._detector.detect_all(image), t, w, h)
            self._mask = chosen is None
            return chosen, None
        faces = self._acquire.detect_all(rgb)
        chosen = self._follower.choose(faces, t, w, h, self._acquire.scores)
        if chosen is not None:  # a new lock, perhaps on someone else: learn them afresh
            self._mask = True
            self._rigid.reset()
            if self._neutral is not None:
                self._neutral.reset()
        return chosen, None

    def _solve(self, rgb: np.ndarray, landmarks: np.ndarray) -> Solution:
        h, w = rgb.shape[:2]
        cal = self.calibration
        fill = tongue.mouth_fill(rgb, landmarks)
        adapt = self._neutral.update if self._neutral is not None else None
        return solve(
            landmarks, w, h, cal.rest, cal.span, rigid=self._rigid, tongue_fill=fill, adapt=adapt
        )

    def measure(self, rgb: np.ndarray, t: float) -> np.ndarray | None:
        """The solver's raw drivers for the followed face (what calibration records), or None."""
        landmarks, _ = self._landmarks(rgb, t)
        if landmarks is None:
            return None
        return self._solve(rgb, landmarks).drivers

    def process(self, rgb: np.ndarray, t: float) -> FaceFrame:
        """One frame -> FaceFrame (``tracked=False`` when the person is not in view)."""
        landmarks, google = self._landmarks(rgb, t)
        if landmarks is None:
            self._filter.reset()
            self.unfiltered = None
            return FaceFrame.untracked(t)
        if google is not None:
            shapes, rotation, trans = google.shapes, google.rotation, google.translation
            gaze_l, gaze_r = _gaze_from_shapes(shapes, "Left"), _gaze_from_shapes(shapes, "Right")
        else:
            sol = self._solve(rgb, landmarks)
            shapes, rotation, trans = sol.shapes, sol.rotation, sol.translation
            gaze_l, gaze_r = sol.gaze_left, sol.gaze_right
        self.unfiltered = np.asarray(shapes, dtype=np.float32)
        raw = np.concatenate([shapes, gaze_l, gaze_r, euler_from_matrix(rotation), trans])
        out = self._filter(raw, t)
        yaw, pitch, roll = out[N_SHAPES + 4 : N_SHAPES + 7].tolist()
        return FaceFrame(
            time=t,
            tracked=True,
            blendshapes=np.clip(out[:N_SHAPES], 0.0, 1.0),
            head_rotation=quat_from_angles(yaw, pitch, roll),
            head_translation=out[N_SHAPES + 7 :],
            gaze_left=out[N_SHAPES : N_SHAPES + 2],
            gaze_right=out[N_SHAPES + 2 : N_SHAPES + 4],
        )

    def close(self) -> None:
        if self._google is not None:
            self._google.close()
        if self._detector is not None:
            self._detector.close()
            self._acquire.close()
