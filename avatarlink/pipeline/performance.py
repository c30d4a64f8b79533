"""A scripted face for `avatarlink demo`: a range of expressions without a camera.

Keyframes name a few ARKit coefficients each; between them the face eases
with a smoothstep, while the head sways and the eyes follow, so a new user
sees in a few seconds what the character can show.
"""

from __future__ import annotations

import numpy as np

from avatarlink.frame import ARKIT_INDEX, N_SHAPES, FaceFrame, quat_from_euler

KEYFRAMES: tuple[tuple[str, dict[str, float]], ...] = (
    ("neutral", {}),
    ("smile", {"mouthSmileLeft": 0.9, "mouthSmileRight": 0.9, "cheekSquintLeft": 0.5,
               "cheekSquintRight": 0.5, "eyeSquintLeft": 0.3, "eyeSquintRight": 0.3}),
    ("talk", {"jawOpen": 0.55, "mouthFunnel": 0.25, "mouthLowerDownLeft": 0.3,
              "mouthLowerDownRight": 0.3}),
    ("surprise", {"browInnerUp": 0.9, "browOuterUpLeft": 0.8, "browOuterUpRight": 0.8,
                  "eyeWideLeft": 0.8, "eyeWideRight": 0.8, "jawOpen": 0.45}),
    ("sad", {"mouthFrownLeft": 0.8, "mouthFrownRight": 0.8, "browInnerUp": 0.7,
             "eyeLookDownLeft": 0.3, "eyeLookDownRight": 0.3, "mouthShrugLower": 0.4}),
    ("angry", {"browDownLeft": 0.9, "browDownRight": 0.9, "noseSneerLeft": 0.5,
               "noseSneerRight": 0.5, "mouthPressLeft": 0.5, "mouthPressRight": 0.5,
               "eyeSquintLeft": 0.4, "eyeSquintRight": 0.4}),
    ("wink", {"eyeBlinkLeft": 1.0, "mouthSmileLeft": 0.7, "cheekSquintLeft": 0.4}),
    ("kiss", {"mouthPucker": 0.9, "eyeBlinkLeft": 0.6, "eyeBlinkRight": 0.6}),
    ("neutral", {}),
)  # fmt: skip
"""(name, coefficients) in the order the demo plays them."""

HOLD = 0.4  # seconds each expression is held
MOVE = 0.3  # seconds to ease from one to the next


def duration() -> float:
    return len(KEYFRAMES) * (HOLD + MOVE) - MOVE


def _vector(weights: dict[str, float]) -> np.ndarray:
    v = np.zeros(N_SHAPES, dtype=np.float32)
    for name, value in weights.items():
        v[ARKIT_INDEX[name]] = value
    return v


_KEYS = np.stack([_vector(w) for _, w in KEYFRAMES])


def expression_at(t: float) -> tuple[str, np.ndarray]:
    """The nearest keyframe's name and the eased coefficients at time ``t``."""
    step = HOLD + MOVE
    k = min(int(t // step), len(KEYFRAMES) - 1)
    u = (t - k * step - HOLD) / MOVE
    if u <= 0.0 or k + 1 >= len(KEYFRAMES):
        return KEYFRAMES[k][0], _KEYS[k].copy()
    s = u * u * (3.0 - 2.0 * u) if u < 1.0 else 1.0
    name = KEYFRAMES[k + 1][0] if s >= 0.5 else KEYFRAMES[k][0]
    return name, ((1.0 - s) * _KEYS[k] + s * _KEYS[k + 1]).astype(np.float32)


def performance_frame(t: float) -> FaceFrame:
    """The demo's face at time ``t``: expression plus a gentle head sway and gaze."""
    _, shapes = expression_at(t)
    yaw = 14.0 * np.sin(2.0 * np.pi * t / 4.0)
    pitch = 5.0 * np.sin(2.0 * np.pi * t / 3.0)
    roll = 4.0 * np.sin(2.0 * np.pi * t / 5.0)
    gaze = np.array([0.6 * yaw, 0.5 * pitch], dtype=np.float32)
    return FaceFrame(
        time=t,
        tracked=True,
        blendshapes=shapes,
        head_rotation=quat_from_euler(yaw, pitch, roll),
        gaze_left=gaze,
        gaze_right=gaze,
    )


def performance(fps: float) -> list[FaceFrame]:
    n = round(duration() * fps)
    return [performance_frame(i / fps) for i in range(n)]
