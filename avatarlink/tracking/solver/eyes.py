"""Eyes: lids (blink, squint, wide) and gaze (eyeLook*) from the head-frame mesh.

Both eyes are computed at once: every array here has one entry per eye,
subject's right first. Lengths are in eye widths (corner to corner), so
distance and face size cancel. The gaze is the iris centre's offset from the
middle of the eye.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from avatarlink.tracking import mesh

# Eyeball radius over eye width (about 12 mm over 30 mm): turns the iris offset into an angle.
EYEBALL_RADIUS = 0.4
# How much the iris disc's tilt (its top edge back, its bottom edge forward: the
# eyeball turned up) counts towards eyeLookUp, in eye widths of depth per eye
# width of height. Looking up, the upper lid rides up with the iris and covers
# its top, so the iris's height alone under-reads an upward look; the tilt of
# the disc (MediaPipe's iris ring is 3D) does not depend on the lid. A straight
# gaze has no tilt (its median over the 50 people's photos is 0.00), so the rest
# is unchanged. Down keeps the height alone: there the lid drops with the eye
# and the height is unambiguous. Weighted more, narrowed eyes (anger, a smile)
# in the photos read as looking up.
TILT_UP = 0.2
# Added to each eye's opening (eye widths) when weighting the eyes' iris heights:
# a sixth of a relaxed eye's opening (0.29), so a shut eye's iris, which its lid
# still follows, counts a little, and two shut eyes still average.
SEEN_FLOOR = 0.05
# The sum of both openings below which the shares stop growing (both eyes nearly shut).
SHARE_FLOOR = 0.04
# The span of eyeWide's driver (the upper lid's height over the iris centre, eye
# widths; defaults.py reads it). From the eye's anatomy as MediaPipe's mesh gives
# it: the iris' vertical radius is 0.20 eye widths (median over the photos and
# clips in shared/data) and a relaxed lid (0.135) covers its top 0.065; FACS
# AU5 at full intensity shows a band of sclera above the iris, the lid as far
# again above the iris' top: 2 x 0.065 = 0.13. With 0.08 a lid just level with
# the iris' top already reads a full eyeWide. Measured with 0.13: the
# FaceFrame's fear agreement on faces/emotion 14.3 -> 28.6 %, the character's
# surprise 25.0 -> 37.5 %, no other emotion changed; the clips' pooled r of
# eyeWide against Google's 0.58 -> 0.55, within-clip 0.58 -> 0.57 / 0.58; the
# grimace clips still reach 1.00.
WIDE_SPAN = 0.13
SIDES = ("Right", "Left")
OUTWARD = np.array([-1.0, 1.0])  # +x is the subject's left: outward for the left eye
_INNER, _OUTER = np.array(mesh.EYE_INNER), np.array(mesh.EYE_OUTER)
_UPPER, _LOWER = np.array(mesh.LID_UPPER), np.array(mesh.LID_LOWER)
_RING, _CENTRE = np.array(mesh.IRIS_RING), np.array(mesh.IRIS_CENTER)

NAMES: tuple[str, ...] = tuple(
    f"{shape}{side}"
    for shape in (
        "eyeBlink", "eyeSquint", "eyeWide", "eyeLookOut", "eyeLookIn", "eyeLookUp", "eyeLookDown"
    )
    for side in SIDES
)  # fmt: skip


class EyeMetrics(NamedTuple):
    aperture: np.ndarray  # lid opening
    upper: np.ndarray  # upper lid height over the corners' midpoint
    lower: np.ndarray  # lower lid height over the corners' midpoint
    iris_out: np.ndarray  # iris offset outwards (away from the nose)
    iris_up: np.ndarray  # iris offset upwards
    iris_tilt: np.ndarray  # iris disc's top edge in front of its bottom edge (depth)


def eye_metrics(h: np.ndarray) -> EyeMetrics:
    inner, outer = h[_INNER], h[_OUTER]
    width = np.hypot(outer[:, 0] - inner[:, 0], outer[:, 1] - inner[:, 1])
    mid = (inner + outer) / 2
    upper_y = h[_UPPER, 1].sum(axis=1) / _UPPER.shape[1]
    lower_y = h[_LOWER, 1].sum(axis=1) / _LOWER.shape[1]
    ring = h[_RING]
    iris = (ring.sum(axis=1) / _RING.shape[1] + h[_CENTRE]) / 2
    return EyeMetrics(
        aperture=(upper_y - lower_y) / width,
        upper=(upper_y - mid[:, 1]) / width,
        lower=(lower_y - mid[:, 1]) / width,
        iris_out=(iris[:, 0] - mid[:, 0]) * OUTWARD / width,
        iris_up=(iris[:, 1] - mid[:, 1]) / width,
        iris_tilt=(ring[:, 1, 2] - ring[:, 3, 2]) / width,  # ring: inner, top, outer, bottom
    )


def look_up_share(m: EyeMetrics) -> np.ndarray:
    """Each eye's share of the look up: its lid opening over the mean of both, in [0, 2].

    The eyes look up together, but eyeLookUp is a shape of the whole eye: its
    upper lid rises with the gaze. Google's model reads the look up in the eye
    with the wider opening and little of it in a narrowed or winking eye: its
    left and right readings correlate only 0.87 with each other on the clips,
    mostly where one eye is narrower. With this and the weighting in
    :func:`drivers`, the pooled r of eyeLookUpLeft went 0.81 -> 0.85 (Right 0.89).
    """
    open_ = np.maximum(m.aperture, 0.0)
    return np.minimum(2.0 * open_ / max(float(open_.sum()), SHARE_FLOOR), 2.0)


def gaze(m: EyeMetrics, rest_out: np.ndarray, rest_up: np.ndarray) -> np.ndarray:
    """(yaw, pitch) in degrees per eye (rows: right, left); yaw > 0 looks to the subject's left."""
    dx = (m.iris_out - rest_out) * OUTWARD
    dy = m.iris_up - rest_up
    angles = np.arcsin(np.clip(np.stack([dx, dy], axis=1) / EYEBALL_RADIUS, -1.0, 1.0))
    return np.degrees(angles).astype(np.float32)


def drivers(m: EyeMetrics) -> np.ndarray:
    """One number per eye shape (in :data:`NAMES` order), growing with its movement.

    The eyes move together (conjugate gaze): vertically always, so both eyes
    share one up/down value; sideways mostly (they converge on near things),
    so each eye blends in the other's iris. Either way the iris noise halves.
    """
    towards_left = m.iris_out * OUTWARD
    out = (0.5 * towards_left + 0.25 * towards_left.sum()) * OUTWARD
    up = np.full(2, m.iris_up.sum() / 2)
    # an upward look also tilts the iris disc back at the top (see TILT_UP); the
    # eye seen through the wider opening counts more (a lid half over the iris
    # hides its top and bottom edges, which the iris points are placed from)
    seen = np.maximum(m.aperture, 0.0) + SEEN_FLOOR
    look_up = np.full(2, ((m.iris_up - TILT_UP * m.iris_tilt) * seen).sum() / seen.sum())
    # lids closing; the upper lid's own drop makes a half-closed eye read as more closed
    blink = -m.aperture - 0.5 * m.upper
    # the upper lid rides on the eyeball, following the iris up and down: a
    # wide eye is the lid raised over the iris (sclera above it), not over the corners
    wide = m.upper - up
    return np.concatenate([blink, m.lower, wide, out, -out, look_up, -up])
