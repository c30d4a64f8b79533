"""tongueOut, best effort: the face mesh has no tongue points.

A tongue that sticks out fills the open mouth with a bright, red surface,
where an open mouth otherwise shows a dark cavity (and perhaps teeth). The
tracker samples the picture inside the inner-lip outline (pixels never leave
the tracking package) and passes two numbers here: how red and how bright
that region is, relative to the lips around it. Only an open mouth counts.
"""

from __future__ import annotations

import cv2
import numpy as np

from avatarlink.tracking import mesh


def driver(lip_gap: float, fill_vs_lips: float) -> float:
    """Grows as the opening is filled by something as bright and red as the lips themselves.

    ``fill_vs_lips``: mean brightness-weighted redness inside the opening over
    that of the lips (1 means "looks like lip tissue", about 0.3 a dark mouth).
    """
    return float(np.clip(lip_gap, 0.0, None) ** 0.5 * fill_vs_lips)


_INNER, _OUTER = np.array(mesh.LIPS_INNER), np.array(mesh.LIPS_OUTER)
# Below this many square pixels the opening is too small to say anything.
MIN_OPENING_PX = 30


def _redness(pixels: np.ndarray) -> float:
    """Mean of "red over the other two channels", weighted by brightness (dark cavity ~ 0)."""
    p = pixels.astype(np.float32) / 255.0
    red = np.clip(p[:, 0] - 0.5 * (p[:, 1] + p[:, 2]), 0.0, None)
    return float((red * p.sum(axis=1)).sum() / (3 * len(p)))


def mouth_fill(rgb: np.ndarray, landmarks: np.ndarray) -> float:
    """How much the mouth opening looks like lip tissue (see the module doc); 0 if closed."""
    h, w = rgb.shape[:2]
    scale = np.array([w, h], dtype=np.float32)
    outer, inner = landmarks[_OUTER, :2] * scale, landmarks[_INNER, :2] * scale
    if cv2.contourArea(inner) < MIN_OPENING_PX:
        return 0.0
    x0, y0 = np.floor(outer.min(axis=0)).astype(int).clip(0)
    x1, y1 = np.ceil(outer.max(axis=0)).astype(int) + 1
    x1, y1 = min(x1, w), min(y1, h)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return 0.0
    crop = rgb[y0:y1, x0:x1]
    offset = np.array([x0, y0], dtype=np.float32)
    inner_mask = np.zeros(crop.shape[:2], np.uint8)
    cv2.fillPoly(inner_mask, [np.round(inner - offset).astype(np.int32)], 1)
    lip_mask = np.zeros_like(inner_mask)
    cv2.fillPoly(lip_mask, [np.round(outer - offset).astype(np.int32)], 1)
    lip_mask &= 1 - inner_mask
    if inner_mask.sum() < MIN_OPENING_PX or lip_mask.sum() < MIN_OPENING_PX:
        return 0.0
    # every other pixel is plenty for a mean colour
    crop, inner_mask, lip_mask = crop[::2, ::2], inner_mask[::2, ::2], lip_mask[::2, ::2]
    lips = _redness(crop[lip_mask.astype(bool)])
    return float(np.clip(_redness(crop[inner_mask.astype(bool)]) / max(lips, 1e-3), 0.0, 1.5))
