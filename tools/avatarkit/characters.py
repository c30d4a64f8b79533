"""The six characters: proportions, colours and static parts (hair, ears, antenna).

All are invented, stylized designs (nobody's likeness). Colours are linear
base colours (glTF convention).
"""

from __future__ import annotations

import numpy as np

from .build import Character
from .face import Style, Surface
from .shapes import ellipsoid, grid_faces, tube

Part = tuple[np.ndarray, np.ndarray, str]

COMMON = {
    "mouth": (0.10, 0.018, 0.025),
    "teeth": (0.93, 0.91, 0.86),
    "tongue": (0.80, 0.30, 0.33),
    "sclera": (0.96, 0.96, 0.95),
    "pupil": (0.015, 0.015, 0.02),
    "highlight": (1.0, 1.0, 1.0),
    "lash": (0.035, 0.025, 0.03),
}


def _srgb(hex_color: str) -> tuple[float, float, float]:
    """#rrggbb (as a designer picks it) to a linear base colour."""
    c = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return tuple(float(round(v, 4)) for v in lin)


def _colors(**hexes: str) -> dict[str, tuple[float, float, float]]:
    out = dict(COMMON)
    out.update({k: _srgb(v) for k, v in hexes.items()})
    return out


def _hair_cap(scale, hairline, bumps=None, segments: int = 72, rows: int = 16):
    """A hair shell from a smooth hairline (elevation per azimuth) up to the crown.

    ``hairline(azimuth)`` gives the lower edge in radians of elevation, azimuth 0
    at the front and +pi/2 at the character's left.
    """
    az = np.linspace(-np.pi, np.pi, segments, endpoint=False)
    low = hairline(az)
    t = np.linspace(0.0, 1.0, rows)[:, None] ** 0.8
    el = low[None] + t * (np.radians(89.0) - low[None])
    d = np.stack([np.cos(el) * np.sin(az), np.sin(el), np.cos(el) * np.cos(az)], -1).reshape(-1, 3)
    verts = np.vstack([d, [[0.0, 1.0, 0.0]]])
    faces = grid_faces(rows, segments, wrap=True, flip=True)
    j = np.arange(segments)
    top = (rows - 1) * segments
    crown = np.stack([np.full(segments, len(d)), top + (j + 1) % segments, top + j], -1)
    faces = np.vstack([faces, crown])
    radial = 1.0 if bumps is None else 1.0 + bumps(verts)
    return verts * np.asarray(scale) * np.asarray(radial)[..., None], faces


def _azimuth(d: np.ndarray) -> np.ndarray:
    return np.arctan2(d[:, 0], d[:, 2])  # 0 at the front, +pi/2 at the character's left


def _human_ears(st: Style) -> list[Part]:
    a = st.head[0]
    parts = []
    for sg in (1.0, -1.0):
        v, f = ellipsoid((sg * a * 0.97, -0.004, -0.006), (0.011, 0.019, 0.009), 8, 14)
        parts.append((v, f, "skin"))
    return parts


def _front(az: np.ndarray) -> np.ndarray:
    """1 at the front of the head, 0 from the ears back."""
    return np.cos(np.clip(np.abs(az), 0, np.pi / 2)) ** 2


def hair_bob(surf: Surface, st: Style) -> list[Part]:
    a, b, c = st.head

    def line(az):
        side_part = 0.12 * np.exp(-(((az - 0.35) / 0.25) ** 2))
        return np.radians(-38.0 + 70.0 * _front(az)) + side_part

    v, f = _hair_cap((a * 1.1, b * 1.08, c * 1.14), line)
    return [(v + np.array([0.0, 0.006, -0.006]), f, "hair"), *_human_ears(st)]


def hair_curly(surf: Surface, st: Style) -> list[Part]:
    a, b, c = st.head

    def line(az):
        return np.radians(-4.0 + 36.0 * _front(az))

    def bumps(d):
        az = _azimuth(d)
        el = np.arcsin(np.clip(d[:, 1], -1, 1))
        return 0.045 * np.abs(np.sin(8 * az) * np.sin(10 * el)) ** 0.6

    v, f = _hair_cap((a * 1.04, b * 1.05, c * 1.08), line, bumps, segments=96, rows=20)
    return [(v + np.array([0.0, 0.004, -0.004]), f, "hair"), *_human_ears(st)]


def hair_buns(surf: Surface, st: Style) -> list[Part]:
    a, b, c = st.head

    def line(az):
        fringe = 0.1 * np.cos(5 * az) * _front(az)
        return np.radians(-14.0 + 46.0 * _front(az)) + fringe

    v, f = _hair_cap((a * 1.07, b * 1.07, c * 1.12), line)
    parts: list[Part] = [(v + np.array([0.0, 0.005, -0.006]), f, "hair")]
    for sg in (1.0, -1.0):
        v, f = ellipsoid((sg * a * 0.62, b * 0.98, -0.012), (0.03, 0.03, 0.03), 10, 16)
        parts.append((v, f, "hair"))
    return [*parts, *_human_ears(st)]


def _cone_ear(base, tip, radius, flatten, inner: bool) -> tuple[np.ndarray, np.ndarray]:
    t = np.linspace(0.0, 1.0, 9)
    path = np.asarray(base)[None] + t[:, None] * (np.asarray(tip) - np.asarray(base))[None]
    r = radius * (1.0 - t) ** 0.8 + 0.0008
    v, f = tube(path, r, sides=12)
    centre = np.asarray(base)
    v = centre + (v - centre) * np.array([1.0, 1.0, flatten])
    if inner:
        v = v + np.array([0.0, 0.0, 0.004])
    return v, f


def fox_parts(surf: Surface, st: Style) -> list[Part]:
    a, b, _ = st.head
    parts: list[Part] = []
    for sg in (1.0, -1.0):
        base = (sg * a * 0.58, b * 0.72, -0.01)
        tip = (sg * a * 0.95, b * 1.45, -0.016)
        parts.append((*_cone_ear(base, tip, 0.03, 0.42, False), "skin"))
        inner_base = (sg * a * 0.6, b * 0.78, -0.003)
        inner_tip = (sg * a * 0.9, b * 1.3, -0.009)
        parts.append((*_cone_ear(inner_base, inner_tip, 0.019, 0.3, True), "muzzle"))
    # No whiskers: dark lines from the mouth corners across the cheeks read as
    # the mouth itself (the observer saw press 0.16 at rest and a weak smile as
    # a strong one). Without them the round trip kept emotion 61 -> 68%, mean
    # AU r 0.64 -> 0.70, mouthSmile r 0.87 -> 0.96, mouthPucker 0.61 -> 0.86;
    # short whiskers by the nose still cost half of that (65%, r 0.67).
    return parts


def bear_parts(surf: Surface, st: Style) -> list[Part]:
    a, b, _ = st.head
    parts: list[Part] = []
    for sg in (1.0, -1.0):
        centre = (sg * a * 0.78, b * 0.8, -0.012)
        parts.append((*ellipsoid(centre, (0.03, 0.03, 0.014), 10, 18), "skin"))
        inner = (sg * a * 0.78, b * 0.8, -0.0)
        parts.append((*ellipsoid(inner, (0.018, 0.018, 0.005), 8, 16), "muzzle"))
    return parts


def robot_parts(surf: Surface, st: Style) -> list[Part]:
    a, b, _ = st.head
    stalk = np.array([[0.0, b * 0.95, -0.01], [0.0, b * 1.32, -0.01]])
    parts: list[Part] = [
        (*tube(stalk, np.array([0.004, 0.0035]), sides=10), "hair"),
        (*ellipsoid((0.0, b * 1.38, -0.01), (0.011, 0.011, 0.011), 8, 14), "highlight"),
    ]
    for sg in (1.0, -1.0):
        bolt = ellipsoid((sg * a * 0.99, -0.004, -0.004), (0.012, 0.022, 0.022), 10, 16, 4.0)
        parts.append((*bolt, "hair"))
        ring = ellipsoid((sg * a * 1.07, -0.004, -0.004), (0.006, 0.013, 0.013), 8, 14, 3.0)
        parts.append((*ring, "brow"))
    return parts


CHARACTERS: list[Character] = [
    Character(
        "sunny", "Sunny: fair skin, auburn bob, green eyes", Style(),
        _colors(skin="#f5cdb4", nose="#f0bea2", lips="#c8615e", brow="#7a3b1e",
                hair="#9c4a22", iris="#4f9a62", iris_ring="#23432c", clothes="#2aa39a"),
        hair_bob,
    ),
    Character(
        "river", "River: deep brown skin, short black curls, brown eyes",
        Style(head=(0.09, 0.103, 0.087), lip_upper=0.005, lip_lower=0.0066,
              nose_size=(0.0105, 0.007, 0.0075), brow_lift=-0.006, brow_arch=(0.003, 0.0)),
        _colors(skin="#7a4a30", nose="#6e4129", lips="#4a2119", brow="#1a1210",
                hair="#1c1512", iris="#5a3417", iris_ring="#25150a", clothes="#e2a93b"),
        hair_curly,
    ),
    Character(
        "maple", "Maple: golden-brown skin, black hair in two buns, dark eyes",
        Style(head=(0.093, 0.102, 0.088), eye_r=0.0165, mouth_w=0.026, brow_lift=-0.006,
              brow_arch=(0.003, 0.0)),
        _colors(skin="#d9a57e", nose="#cf9872", lips="#b4524f", brow="#1c1418",
                hair="#1b1519", iris="#3b2418", iris_ring="#160c08", clothes="#9b7fd6"),
        hair_buns,
    ),
    Character(
        "pip", "Pip: a red fox with a white muzzle",
        Style(head=(0.096, 0.1, 0.088), muzzle=(0.012, -0.045, 0.034, 0.028),
              muzzle_patch=(-0.043, 0.05, 0.038), nose_y=-0.024,
              nose_size=(0.0125, 0.0085, 0.009), nose_out=0.005),
        _colors(skin="#ec8a3c", muzzle="#fbf3e8", nose="#1d1515", lips="#3a2623",
                brow="#8a4317", iris="#c98a1a", iris_ring="#5a3a08", clothes="#3f6fb5",
                lash="#1a1212"),
        fox_parts,
        {"skin": {"roughness": 0.75}},
    ),
    Character(
        "bruno", "Bruno: a brown bear with a cream muzzle",
        Style(head=(0.098, 0.099, 0.09), muzzle=(0.014, -0.045, 0.036, 0.03),
              muzzle_patch=(-0.042, 0.052, 0.04), nose_y=-0.023,
              nose_size=(0.014, 0.0095, 0.009), nose_out=0.006, eye_r=0.0155, eye_x=0.039),
        _colors(skin="#8a5a3b", muzzle="#e9cfa8", nose="#2a1a14", lips="#4a2e22",
                brow="#4a2c1c", iris="#6b4322", iris_ring="#2c190b", clothes="#4c9a4a"),
        bear_parts,
        {"skin": {"roughness": 0.8}},
    ),
    Character(
        "bolt", "Bolt: a friendly blue-grey robot with glowing eyes",
        Style(head=(0.094, 0.1, 0.086), power=3.0, chin_taper=0.12, nose_size=(0.007, 0.005, 0.005),
              lip_upper=0.0038, lip_lower=0.0045, lip_height=0.0022, brow_lift=-0.002),
        _colors(skin="#a9bccb", nose="#7d8f9e", lips="#56636e", brow="#3c4650",
                hair="#6f8191", iris="#2fd6e8", iris_ring="#0d6c80", clothes="#e06a4a",
                highlight="#ffffff", lash="#2a3038"),
        robot_parts,
        {"skin": {"metallic": 0.55, "roughness": 0.35}, "hair": {"metallic": 0.7, "roughness": 0.3},
         "iris": {"emissive": (0.05, 0.5, 0.6)}},
    ),
]  # fmt: skip
