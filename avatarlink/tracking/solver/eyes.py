"""Eyes: lids (blink, squint, wide) and gaze (eyeLook*) from the head-frame mesh.

Lengths are in eye widths (corner to corner), so distance and face size
cancel. The gaze is the iris centre's offset from the middle of the eye.
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking import mesh

# Eyeball radius over eye width (about 12 mm over 30 mm): turns the iris offset into an angle.
EYEBALL_RADIUS = 0.4
_SIDES = (("Right", 0, -1.0), ("Left", 1, 1.0))  # name, index into the mesh pairs, outward x sign


def eye_metrics(h: np.ndarray) -> dict[str, float]:
    """Per-eye lid and iris measurements (drivers: larger = more of the shape)."""
    out: dict[str, float] = {}
    for name, k, outward in _SIDES:
        inner, outer = h[mesh.EYE_INNER[k]], h[mesh.EYE_OUTER[k]]
        width = float(np.linalg.norm(outer[:2] - inner[:2]))
        mid = (inner + outer) / 2
        upper = h[list(mesh.LID_UPPER[k])]
        lower = h[list(mesh.LID_LOWER[k])]
        out[f"aperture{name}"] = float((upper[:, 1] - lower[:, 1]).mean()) / width
        out[f"upperLid{name}"] = float(upper[:, 1].mean() - mid[1]) / width
        out[f"lowerLid{name}"] = float(lower[:, 1].mean() - mid[1]) / width
        iris = h[list(mesh.IRIS_RING[k])].mean(axis=0) * 0.5 + h[mesh.IRIS_CENTER[k]] * 0.5
        out[f"irisOut{name}"] = float(iris[0] - mid[0]) * outward / width
        out[f"irisUp{name}"] = float(iris[1] - mid[1]) / width
    return out


def gaze(metrics: dict[str, float], side: str, rest_out: float, rest_up: float) -> np.ndarray:
    """(yaw, pitch) in degrees for one eye; yaw > 0 looks to the subject's left."""
    outward = 1.0 if side == "Left" else -1.0
    dx = (metrics[f"irisOut{side}"] - rest_out) * outward
    dy = metrics[f"irisUp{side}"] - rest_up
    yaw = np.degrees(np.arcsin(np.clip(dx / EYEBALL_RADIUS, -1.0, 1.0)))
    pitch = np.degrees(np.arcsin(np.clip(dy / EYEBALL_RADIUS, -1.0, 1.0)))
    return np.array([yaw, pitch], dtype=np.float32)


def drivers(m: dict[str, float]) -> dict[str, float]:
    """One number per eye shape, growing with the movement its name describes.

    The eyes move together (conjugate gaze), so each eye's look drivers blend
    in the other eye's iris: this halves the iris noise.
    """
    d: dict[str, float] = {}
    # gaze towards the subject's left (+) and up (+), per eye and shared
    left = {s: m[f"irisOut{s}"] * (1.0 if s == "Left" else -1.0) for s in ("Left", "Right")}
    shared_x = (left["Left"] + left["Right"]) / 2
    shared_y = (m["irisUpLeft"] + m["irisUpRight"]) / 2
    for side in ("Left", "Right"):
        outward = 1.0 if side == "Left" else -1.0
        out = (0.5 * left[side] + 0.5 * shared_x) * outward
        up = 0.5 * m[f"irisUp{side}"] + 0.5 * shared_y
        down = -up
        # lids closing; the upper lid's own drop makes a half-closed eye read as more closed
        d[f"eyeBlink{side}"] = -m[f"aperture{side}"] - 0.5 * m[f"upperLid{side}"]
        d[f"eyeSquint{side}"] = m[f"lowerLid{side}"]
        d[f"eyeWide{side}"] = m[f"upperLid{side}"]
        d[f"eyeLookOut{side}"] = out
        d[f"eyeLookIn{side}"] = -out
        d[f"eyeLookUp{side}"] = up
        d[f"eyeLookDown{side}"] = down
    return d
