"""Fail closed at the FaceFrame level: no face means a calm, living idle.

When the tracker loses the face the character must not freeze on the last
expression or jump to a blank pose: it eases (within ``EASE_SECONDS``) to an
idle that breathes, blinks and lets the eyes drift a little, and eases back
when the face returns. Everything here is a pure function of the frames'
timestamps, so it behaves the same live, offline and in tests, and every
later stage (renderer, OSC) gets the same calm frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from avatarlink.frame import ARKIT_INDEX, N_SHAPES, FaceFrame, quat_from_euler

EASE_SECONDS = 0.4
"""Time to go fully from tracked to idle (and back); the issue allows 0.5 s."""


@dataclass(frozen=True, slots=True)
class IdleStyle:
    """How the idle character moves. Values are small on purpose: calm, not busy."""

    breath_period: float = 4.2  # s, about 14 breaths a minute
    breath_pitch: float = 1.5  # degrees of chin lift at the top of a breath
    breath_lift: float = 0.003  # metres the head rises at the top of a breath
    breath_jaw: float = 0.03  # jawOpen at the top of a breath
    smile: float = 0.12  # a light, friendly resting smile
    blink_slot: float = 3.6  # s: one blink per slot, at a varying moment
    blink_close: float = 0.07  # s to close the lids
    blink_open: float = 0.12  # s to open them again
    gaze_drift: float = 3.0  # degrees of slow eye wander


def _smoothstep(x: np.ndarray | float) -> np.ndarray | float:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def blink_amount(t: float, style: IdleStyle = IdleStyle(), seed: int = 0) -> float:
    """Lid closure in [0, 1] at time ``t``: one quick blink per slot, placed by the seed."""
    slot = int(np.floor(t / style.blink_slot))
    length = style.blink_close + style.blink_open
    amount = 0.0
    for k in (slot - 1, slot):  # a blink late in the previous slot may still be running
        offset = np.random.default_rng([seed, k & 0x7FFFFFFF]).uniform(0.2, 1.0)
        start = (k + offset) * style.blink_slot - length
        u = t - start
        if 0.0 <= u < style.blink_close:
            amount = max(amount, float(_smoothstep(u / style.blink_close)))
        elif style.blink_close <= u < length:
            amount = max(amount, float(_smoothstep((length - u) / style.blink_open)))
    return amount


def idle_frame(t: float, style: IdleStyle = IdleStyle(), seed: int = 0) -> FaceFrame:
    """The calm idle pose at time ``t`` (untracked: it stands in for a face)."""
    breath = 0.5 - 0.5 * np.cos(2.0 * np.pi * t / style.breath_period)
    shapes = np.zeros(N_SHAPES, dtype=np.float32)
    blink = blink_amount(t, style, seed)
    shapes[ARKIT_INDEX["eyeBlinkLeft"]] = blink
    shapes[ARKIT_INDEX["eyeBlinkRight"]] = blink
    shapes[ARKIT_INDEX["mouthSmileLeft"]] = style.smile
    shapes[ARKIT_INDEX["mouthSmileRight"]] = style.smile
    shapes[ARKIT_INDEX["jawOpen"]] = style.breath_jaw * breath
    gaze = style.gaze_drift * np.array(
        [np.sin(2.0 * np.pi * t / 7.3), 0.5 * np.sin(2.0 * np.pi * t / 11.9)], dtype=np.float32
    )
    return FaceFrame(
        time=t,
        tracked=False,
        blendshapes=shapes,
        head_rotation=quat_from_euler(0.0, style.breath_pitch * (breath - 0.5), 0.0),
        head_translation=np.array([0.0, style.breath_lift * breath, 0.0], dtype=np.float32),
        gaze_left=gaze,
        gaze_right=gaze,
    )


def blend_frames(a: FaceFrame, b: FaceFrame, mix: float, time: float, tracked: bool) -> FaceFrame:
    """``a`` at mix 0, ``b`` at mix 1; rotations by normalised lerp (short way round)."""
    qa, qb = a.head_rotation, b.head_rotation
    if float(np.dot(qa, qb)) < 0.0:
        qb = -qb
    quat = (1.0 - mix) * qa + mix * qb
    quat /= np.linalg.norm(quat)

    def lerp(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return (1.0 - mix) * x + mix * y

    return FaceFrame(
        time=time,
        tracked=tracked,
        blendshapes=np.clip(lerp(a.blendshapes, b.blendshapes), 0.0, 1.0),
        head_rotation=quat,
        head_translation=lerp(a.head_translation, b.head_translation),
        gaze_left=lerp(a.gaze_left, b.gaze_left),
        gaze_right=lerp(a.gaze_right, b.gaze_right),
    )


class IdleAnimator:
    """Turns the tracker's frames into what the outputs show.

    Tracked frames pass through once eased in; untracked frames become the
    idle, reached from the last tracked pose within ``ease_seconds``. It
    starts idle, so the first face eases in too. ``tracked`` is kept from the
    input so senders can still report whether a face is seen.
    """

    def __init__(
        self, ease_seconds: float = EASE_SECONDS, style: IdleStyle = IdleStyle(), seed: int = 0
    ) -> None:
        self.ease_seconds = ease_seconds
        self.style = style
        self.seed = seed
        self._presence = 0.0  # 0 = idle, 1 = face; moves linearly, shown through a smoothstep
        self._last_time: float | None = None
        self._last_face: FaceFrame | None = None

    @property
    def presence(self) -> float:
        """How far the output is from idle (0) towards the face (1), after easing."""
        return float(_smoothstep(self._presence))

    def step(self, frame: FaceFrame) -> FaceFrame:
        dt = 0.0 if self._last_time is None else max(0.0, frame.time - self._last_time)
        self._last_time = frame.time
        rate = dt / self.ease_seconds if self.ease_seconds > 0 else np.inf
        if frame.tracked:
            self._last_face = frame
            self._presence = min(1.0, self._presence + rate)
        else:
            self._presence = max(0.0, self._presence - rate)
        idle = idle_frame(frame.time, self.style, self.seed)
        if self._last_face is None or self._presence <= 0.0:
            return blend_frames(idle, idle, 0.0, frame.time, frame.tracked)
        return blend_frames(idle, self._last_face, self.presence, frame.time, frame.tracked)
