"""The face rig: named parameters -> geometry of every moving part.

Head-centred coordinates in metres: +X is the character's own left, +Y up,
+Z forward (glTF). Mouth, brows and decals are laid out in the 2D face plane
and projected onto the analytic head surface at a small offset along its
normal, so they stay on the face whatever the rig does; the jaw then moves
everything below the mouth line by one shared translation field, so lips,
teeth, tongue and chin skin stay glued together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .shapes import grid_faces, smoothstep, uv_sphere

# Chin travel at jawOpen = 1 (metres): 0.23 of the face's height, a wide-open
# human mouth's share (~50 mm incisor gap on a ~220 mm chin-to-crown head). At
# 0.024 a reader saw jawOpen 0.06; at 0.038 real faces' jawOpen came back at
# gain 0.12 (probe_legibility --round-trip), as a real 0.2 parted the lips ~8 mm.
JAW_DROP = 0.046
# Share of the chin's travel the lip corners drop with an open jaw. A real open
# mouth is an oval with its corners near mid-height; at 0.22 the corners stayed
# by the upper lip, a D that the observer read as a smile (a photo's jawOpen
# 0.27 lifted the smile it read from 0.40 to 0.77) and not as jawOpen (round
# trip gain 0.19). At 0.4: gain 0.41, smile shift +0.15 -> +0.10.
JAW_CORNER = 0.4
# Teeth bands as shares of the opening from each lip: 0.27 and 0.2 of the old
# 38 mm travel, rescaled so the teeth keep their size (about 10 and 8 mm at
# jawOpen = 1) and the larger opening shows more of the dark cavity.
TEETH_UPPER = 0.27 * 0.038 / JAW_DROP
TEETH_LOWER = 0.2 * 0.038 / JAW_DROP
# Stacking order of the layers above the skin (offset along the normal).
D_DECAL, D_INT, D_TONGUE, D_TEETH, D_LIP = 0.0012, 0.0017, 0.0021, 0.0025, 0.0029
NU_LIP, NS_LIP, NV_INT = 31, 5, 6
NU_LID, NT_LID = 25, 7


@dataclass(frozen=True)
class Style:
    """Proportions of one character (colours live in the character spec)."""

    head: tuple[float, float, float] = (0.092, 0.104, 0.088)  # half width, height, depth
    power: float = 2.0  # 2 = ellipsoid, larger = boxier (robot)
    chin_taper: float = 0.28
    muzzle: tuple[float, float, float, float] = (0.0, -0.04, 0.03, 0.025)  # amp, y, sx, sy
    muzzle_patch: tuple[float, float, float] | None = None  # y, rx, ry
    eye_x: float = 0.037
    eye_y: float = 0.006
    # Eyes, lids and brows keep human proportions where a face reader looks:
    # bigger, more protruding eyes with brows a lid's height above them read
    # as a surprised face at rest (tools/probe_legibility.py shows it), and
    # with 20 mm eyes 25% out the reader's brow points stayed put when the
    # brows came down (browDown read 0.05 at weight 1; 0.3-0.4 at 16 mm, 14%).
    eye_r: float = 0.016
    eye_out: float = 0.14  # share of the eye radius in front of the skin
    mouth_y: float = -0.052
    mouth_w: float = 0.028
    lip_upper: float = 0.0052
    lip_lower: float = 0.0066
    lip_height: float = 0.0032
    brow_lift: float = -0.005  # brow above the eyeball's top (it sits on the lid)
    # Upper, lower lid edge (degrees) at rest. At (30, -33) the opening was a
    # round 0.6 of the eye's width: the observer read it as eyeWide 0.19 at
    # rest and real faces' squint came back 0.22 low (round trip AU7 shift).
    # At (20, -26), nearer a human eye's almond: eyeSquint r/gain 0.72/0.53 ->
    # 0.81/0.70, eyeWide 0.43/0.48 -> 0.69/0.56, emotion kept 58 -> 61% (pip).
    lid_rest: tuple[float, float] = (20.0, -26.0)
    lash: float = 7.5  # upper lash band width (degrees)
    iris: float = 34.0  # iris half-angle (degrees), ring included
    brow_thick: float = 0.012
    brow_len: float = 0.046
    brow_arch: tuple[float, float] = (0.004, 0.002)  # arch height, outer end minus inner end
    nose_y: float = -0.02
    nose_size: tuple[float, float, float] = (0.0085, 0.0065, 0.0075)
    nose_out: float = 0.004
    teeth: bool = True
    extra: dict = field(default_factory=dict)


class Surface:
    """The analytic head surface z = f(x, y) seen from the front."""

    def __init__(self, style: Style) -> None:
        self.s = style

    def _taper(self, y: np.ndarray) -> np.ndarray:
        b = self.s.head[1]
        return 1.0 - self.s.chin_taper * np.clip(-y / b, 0.0, 1.0) ** 2

    def bump(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        amp, my, sx, sy = self.s.muzzle
        if amp == 0.0:
            return np.zeros_like(x)
        return amp * np.exp(-((x / sx) ** 2) - ((y - my) / sy) ** 2)

    def front_z(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        a, b, c = self.s.head
        p = self.s.power
        q = 1.0 - np.abs(x / (a * self._taper(y))) ** p - np.abs(y / b) ** p
        return c * np.clip(q, 1e-6, None) ** (1.0 / p) + self.bump(x, y)

    def normal(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        h = 1e-4
        dzdx = (self.front_z(x + h, y) - self.front_z(x - h, y)) / (2 * h)
        dzdy = (self.front_z(x, y + h) - self.front_z(x, y - h)) / (2 * h)
        n = np.stack([-dzdx, -dzdy, np.ones_like(x)], -1)
        return n / np.linalg.norm(n, axis=-1, keepdims=True)

    def project(self, x: np.ndarray, y: np.ndarray, d) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        base = np.stack([x, y, self.front_z(x, y)], -1)
        return base + self.normal(x, y) * np.asarray(d, dtype=np.float64)[..., None]

    def skin(self) -> tuple[np.ndarray, np.ndarray]:
        """The head mesh: a sphere mapped onto the surface, rings dense at the mouth."""
        d, faces = uv_sphere(52, 60)
        a, b, c = self.s.head
        p = self.s.power
        # Re-space the rings: more of them between the eyes and the chin.
        lat = np.arccos(np.clip(d[:, 1], -1, 1))
        t = lat / np.pi
        warp = t + 0.07 * np.sin(2 * np.pi * t) - 0.035 * np.sin(4 * np.pi * t)
        lat = np.clip(warp, 0, 1) * np.pi
        horiz = np.linalg.norm(d[:, [0, 2]], axis=1, keepdims=True)
        hdir = np.divide(d[:, [0, 2]], horiz, out=np.zeros_like(d[:, [0, 2]]), where=horiz > 0)
        d = np.column_stack([np.sin(lat) * hdir[:, 0], np.cos(lat), np.sin(lat) * hdir[:, 1]])
        e = 2.0 / p
        y = b * np.sign(d[:, 1]) * np.abs(d[:, 1]) ** e
        x = a * self._taper(y) * np.sign(d[:, 0]) * np.abs(d[:, 0]) ** e
        z = c * np.sign(d[:, 2]) * np.abs(d[:, 2]) ** e
        z = z + self.bump(x, y) * smoothstep(0.0, 0.35, d[:, 2])
        return np.column_stack([x, y, z]), faces


# --------------------------------------------------------------------------- params

SIDES = ("L", "R")
PARAMS: tuple[str, ...] = (
    "jaw", "jaw_x", "jaw_fwd", "mouth_x", "lip_close", "pucker", "funnel", "tongue_out",
    "upper_thin", "lower_thin", "upper_fwd", "lower_fwd", "upper_raise", "lower_raise",
    "cheek_puff",
    *(f"{n}_{s}" for s in SIDES for n in (
        "corner_up", "corner_out", "corner_back", "upper_up", "lower_down", "press",
        "brow_down", "brow_inner", "brow_outer", "lid_up", "lid_low", "lid_tilt", "blink",
        "cheek_raise", "sneer", "dimple",
    )),
)  # fmt: skip


def neutral() -> dict[str, float]:
    return dict.fromkeys(PARAMS, 0.0)


def _side_sign(side: str) -> float:
    """+1 for the character's left (+X), -1 for the right."""
    return 1.0 if side == "L" else -1.0


# --------------------------------------------------------------------------- mouth


def _mouth_curves(st: Style, P: dict[str, float]):
    """2D inner lip lines (before the jaw), lip thickness and forward push per u."""
    u = np.linspace(-1.0, 1.0, NU_LIP)
    w = st.mouth_w
    env = (1.0 - u**2) ** 0.6
    fl = ((u + 1) / 2) ** 3
    fr = ((1 - u) / 2) ** 3
    gl = smoothstep(-0.6, 0.6, u)
    gr = 1.0 - gl
    k = 1.0 - 0.42 * P["pucker"] - 0.25 * P["funnel"] - 0.1 * P["jaw"]
    x = P["mouth_x"] + u * w * k + P["corner_out_L"] * fl - P["corner_out_R"] * fr
    y = (
        st.mouth_y
        + P["corner_up_L"] * fl
        + P["corner_up_R"] * fr
        - JAW_CORNER * P["jaw"] * JAW_DROP * u**2
    )
    up = env * (
        P["upper_up_L"] * gl + P["upper_up_R"] * gr + P["upper_raise"] + 0.005 * P["funnel"]
    )
    up -= env * 0.2 * JAW_DROP * P["lip_close"]
    down = env * (P["lower_down_L"] * gl + P["lower_down_R"] * gr + 0.006 * P["funnel"])
    down -= env * (0.8 * JAW_DROP * P["lip_close"] + P["lower_raise"])
    press = P["press_L"] * gl + P["press_R"] * gr
    down -= env * 0.0012 * press
    upper = np.column_stack([x, y + up])
    lower = np.column_stack([x, y - down])
    t_env = (1.0 - u**2) ** 0.45 * 0.85 + 0.15
    bulk = (1.0 + 0.45 * P["pucker"] + 0.35 * P["funnel"]) * (1.0 - 0.6 * press)
    t_up = st.lip_upper * t_env * bulk * (1.0 - 0.7 * P["upper_thin"])
    t_lo = st.lip_lower * t_env * bulk * (1.0 - 0.7 * P["lower_thin"])
    push = 0.007 * P["pucker"] + 0.005 * P["funnel"]
    back = P["corner_back_L"] * fl + P["corner_back_R"] * fr + 0.0008 * press
    fwd_up = (push + P["upper_fwd"] - 0.002 * P["upper_thin"]) * env**0.5 - back
    fwd_lo = (push + P["lower_fwd"] - 0.002 * P["lower_thin"]) * env**0.5 - back
    return u, upper, lower, t_up, t_lo, fwd_up, fwd_lo


def _jaw_translation(P: dict[str, float]) -> np.ndarray:
    return np.array([P["jaw_x"], -JAW_DROP * P["jaw"], P["jaw_fwd"] - 0.3 * JAW_DROP * P["jaw"]])


def _lip(surf: Surface, st: Style, inner, thick, fwd, sign: float, jaw_w, jaw_t, P):
    s = np.linspace(0.0, 1.0, NS_LIP)[:, None]
    x = inner[None, :, 0] + 0.0 * s
    y = inner[None, :, 1] + sign * s * thick[None, :]
    scale = thick[None, :] / (st.lip_upper if sign > 0 else st.lip_lower)
    height = st.lip_height * np.clip(scale, 0.2, 1.6)
    d = D_LIP + height * np.sin(np.pi * (0.12 + 0.88 * s)) ** 0.7 + fwd[None, :] * (1 - s) ** 0.5
    pts = surf.project(x, y, np.maximum(d, D_INT))
    return pts + jaw_w[None, :, None] * jaw_t * (1.0 if sign < 0 else 0.0)


def mouth_parts(surf: Surface, st: Style, P: dict[str, float]) -> dict[str, np.ndarray]:
    u, upper, lower, t_up, t_lo, fwd_up, fwd_lo = _mouth_curves(st, P)
    jaw_t = _jaw_translation(P)
    jaw_w = (1.0 - u**2) ** 0.8
    parts = {
        "lip_upper": _lip(surf, st, upper, t_up, fwd_up, +1.0, jaw_w, jaw_t, P),
        "lip_lower": _lip(surf, st, lower, t_lo, fwd_lo, -1.0, jaw_w, jaw_t, P),
    }
    top3 = surf.project(upper[:, 0], upper[:, 1], np.zeros(NU_LIP))
    bot3 = surf.project(lower[:, 0], lower[:, 1], np.zeros(NU_LIP)) + jaw_w[:, None] * jaw_t

    def between(uq: np.ndarray, vq: np.ndarray, lift: float) -> np.ndarray:
        """Points inside the opening at (u, v), v=0 upper lip, v=1 lower lip."""
        top = np.stack([np.interp(uq, u, top3[:, i]) for i in range(3)], -1)
        bot = np.stack([np.interp(uq, u, bot3[:, i]) for i in range(3)], -1)
        p = top + (bot - top) * vq[..., None]
        n = surf.normal(p[..., 0], p[..., 1])
        d = D_INT + 0.003 * np.sin(np.pi * vq) + lift
        return p + n * d[..., None]

    uu, vv = np.meshgrid(u, np.linspace(0, 1, NV_INT), indexing="xy")
    parts["interior"] = between(uu, vv, 0.0)
    ut = np.linspace(-0.72, 0.72, 17)
    uu, vv = np.meshgrid(ut, np.linspace(0, TEETH_UPPER, 3), indexing="xy")
    parts["teeth_upper"] = between(uu, vv, D_TEETH - D_INT)
    uu, vv = np.meshgrid(ut * 0.85, np.linspace(1.0 - TEETH_LOWER, 1.0, 3), indexing="xy")
    parts["teeth_lower"] = between(uu, vv, D_TEETH - D_INT)
    # tongue: inside the mouth, or (tongue_out) hanging over the lower lip
    tu = np.linspace(-1.0, 1.0, 15)
    tv = np.linspace(0.0, 1.0, 6)
    uu, vv = np.meshgrid(tu, tv, indexing="xy")
    inside = between(uu * 0.55, 0.5 + 0.3 * uu**2 + (0.5 - 0.3 * uu**2) * vv, D_TONGUE - D_INT)
    cx = P["mouth_x"]
    ly = float(np.interp(0.0, u, lower[:, 1]))
    tx = cx + uu * st.mouth_w * 0.62
    ty = ly + 0.003 - vv * (0.017 * np.sqrt(np.clip(1 - uu**2, 0, 1)) + 0.004)
    td = D_LIP + st.lip_height + 0.0035 + 0.004 * vv + 0.0025 * np.sqrt(np.clip(1 - uu**2, 0, 1))
    out = surf.project(tx, ty, td) + jaw_t * np.interp(tx, upper[:, 0], jaw_w)[..., None]
    t = P["tongue_out"]
    parts["tongue"] = inside * (1 - t) + out * t
    return {k: v.reshape(-1, 3) for k, v in parts.items()}


def mouth_faces() -> dict[str, np.ndarray]:
    return {
        "lip_upper": grid_faces(NS_LIP, NU_LIP, flip=True),
        "lip_lower": grid_faces(NS_LIP, NU_LIP),
        "interior": grid_faces(NV_INT, NU_LIP),
        "teeth_upper": grid_faces(3, 17),
        "teeth_lower": grid_faces(3, 17),
        "tongue": grid_faces(6, 15),
    }


# --------------------------------------------------------------------------- eyes


def eye_centre(surf: Surface, st: Style, side: str) -> np.ndarray:
    x = _side_sign(side) * st.eye_x
    z = float(surf.front_z(np.array(x), np.array(st.eye_y)))
    return np.array([x, st.eye_y, z - (1.0 - st.eye_out) * st.eye_r])


def _lid_edges(st: Style, P: dict[str, float], side: str, u: np.ndarray):
    """Upper and lower lid edge angles over the lateral coordinate u (+1 towards +X).

    Angles are degrees above the eye's forward axis.
    """
    tilt = P[f"lid_tilt_{side}"]
    upper0, lower0 = st.lid_rest
    upper = upper0 - 8.0 * u**2 + P[f"lid_up_{side}"] + tilt * u
    lower = lower0 + 6.0 * u**2 + P[f"lid_low_{side}"] - 0.5 * tilt * u
    blink = P[f"blink_{side}"]
    lower = lower + 5.0 * blink
    closed = lower - 5.0
    upper = upper * (1.0 - blink) + closed * blink
    return upper, lower


def _shell(radius: float, alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    a, b = np.broadcast_arrays(np.radians(alpha), np.radians(beta))
    return radius * np.stack([np.sin(a), np.cos(a) * np.sin(b), np.cos(a) * np.cos(b)], -1)


def lid_parts(surf: Surface, st: Style, P: dict[str, float]) -> dict[str, np.ndarray]:
    parts = {}
    u = np.linspace(-1.0, 1.0, NU_LID)
    alpha = u * 80.0
    t = np.linspace(0.0, 1.0, NT_LID)[:, None]
    for side in SIDES:
        c = eye_centre(surf, st, side)
        upper, lower = _lid_edges(st, P, side, u)
        r = st.eye_r
        beta_u = upper[None] + t * (118.0 - upper[None])
        beta_l = lower[None] - t * (lower[None] + 100.0)
        parts[f"lid_upper_{side}"] = (_shell(1.09 * r, alpha[None], beta_u) + c).reshape(-1, 3)
        parts[f"lid_lower_{side}"] = (_shell(1.025 * r, alpha[None], beta_l) + c).reshape(-1, 3)
        taper = np.cos(np.radians(alpha)) ** 0.6
        s = np.linspace(0.0, 1.0, 3)[:, None]
        # a closed eye's lash band narrows by a third: with the lids resting at
        # (20, -26) the full band lay dark across the closed eye's middle (tests/render)
        band = st.lash * (1.0 - 0.35 * P[f"blink_{side}"])
        beta_lash = upper[None] - 1.0 + s * band * taper[None]
        parts[f"lash_{side}"] = (_shell(1.105 * r, alpha[None], beta_lash) + c).reshape(-1, 3)
    return parts


def lid_faces() -> dict[str, np.ndarray]:
    faces = {}
    for side in SIDES:
        faces[f"lid_upper_{side}"] = grid_faces(NT_LID, NU_LID, flip=True)
        faces[f"lid_lower_{side}"] = grid_faces(NT_LID, NU_LID)
        faces[f"lash_{side}"] = grid_faces(3, NU_LID, flip=True)
    return faces


# --------------------------------------------------------------------------- brows

NT_BROW, NS_BROW = 15, 4


def brow_parts(surf: Surface, st: Style, P: dict[str, float]) -> dict[str, np.ndarray]:
    parts = {}
    t = np.linspace(0.0, 1.0, NT_BROW)
    s = np.linspace(0.0, 1.0, NS_BROW)[:, None]
    for side in SIDES:
        sg = _side_sign(side)
        inner = st.eye_x - st.brow_len * 0.5
        x = sg * (inner + t * st.brow_len)
        arch, slope = st.brow_arch
        y = st.eye_y + st.eye_r + st.brow_lift + arch * np.sin(np.pi * t) + slope * t
        down = P[f"brow_down_{side}"]
        # the whole brow comes down (a face reader takes a brow that only
        # tilts at its inner end for no browDown at all), the inner end most
        y = y - down * (0.75 + 0.5 * (1 - t) ** 1.5)
        x = x - sg * 0.45 * down * (1 - t)
        # the inner raise stays at the inner end (an oblique, worried brow), or
        # a face reader takes it for the whole brow up: surprise, not sadness
        # 1.7: the lift reaches the brow's middle (the whole inner half tilts,
        # the "worried" oblique brow); at 2.2 only the tip moved and real
        # faces' browInnerUp came back at gain 0.22 (probe --round-trip)
        y = y + P[f"brow_inner_{side}"] * (1 - t) ** 1.7
        y = y + P[f"brow_outer_{side}"] * t**1.3
        y = y - 0.0025 * P[f"sneer_{side}"] * (1 - t) ** 2
        thick = st.brow_thick * (1 - 0.4 * t) * np.sin(np.pi * (0.06 + 0.88 * t)) ** 0.35
        yy = y[None] + (s - 0.5) * thick[None]
        xx = x[None] + 0.0 * s
        d = D_DECAL + 0.0012 + 0.0022 * np.sin(np.pi * s) ** 0.6
        parts[f"brow_{side}"] = surf.project(xx, yy, d + 0.0 * yy).reshape(-1, 3)
    return parts


def brow_faces() -> dict[str, np.ndarray]:
    return {
        "brow_L": grid_faces(NS_BROW, NT_BROW, flip=True),
        "brow_R": grid_faces(NS_BROW, NT_BROW),
    }


# --------------------------------------------------------------------------- skin fields


def _gauss(x, y, cx, cy, sx, sy):
    return np.exp(-(((x - cx) / sx) ** 2) - ((y - cy) / sy) ** 2)


def skin_field(
    surf: Surface, st: Style, base: np.ndarray, P: dict[str, float], dent: bool = True
) -> np.ndarray:
    """Displacement of skin-like vertices (skin, nose, decals) for parameters P.

    Decals (``dent=False``) skip the dent behind the open mouth, so they stay
    above the skin where the two meshes sample the jaw's bend differently.
    """
    x, y, z = base[:, 0], base[:, 1], base[:, 2]
    front = smoothstep(-0.01, 0.05, z)
    n = surf.normal(x, y)
    out = np.zeros_like(base)
    w = st.mouth_w
    # jaw: everything below the mouth line travels with the chin
    lateral = 1.0 - smoothstep(w * 1.0, w * 2.6, np.abs(x))
    m = smoothstep(st.mouth_y - 0.002, st.mouth_y - 0.014, y) * lateral * front
    jaw_t = _jaw_translation(P)
    out += m[:, None] * jaw_t
    # the skin stretched between the lips sinks into a dent behind the interior
    inside = 1.0 - smoothstep(0.6 * w, 1.05 * w, np.abs(x))
    if dent:
        out[:, 2] -= 0.006 * P["jaw"] * 4.0 * m * (1.0 - m) * inside
    g = _gauss(x, y, 0.0, st.mouth_y, 1.6 * w, 0.016) * front
    out[:, 0] += 0.6 * P["mouth_x"] * g
    for side in SIDES:
        sg = _side_sign(side)
        corner = _gauss(x, y, sg * (w + 0.004), st.mouth_y + 0.004, 0.011, 0.011) * front
        out[:, 1] += 0.6 * P[f"corner_up_{side}"] * corner
        out[:, 0] += 0.5 * sg * P[f"corner_out_{side}"] * corner
        out -= (0.0035 * P[f"dimple_{side}"] * corner)[:, None] * n
        cheek = _gauss(x, y, sg * 0.044, st.eye_y - 0.034, 0.02, 0.014) * front
        out[:, 1] += 0.006 * P[f"cheek_raise_{side}"] * cheek
        out += (0.002 * P[f"cheek_raise_{side}"] * cheek)[:, None] * n
        sneer = _gauss(x, y, sg * 0.011, st.nose_y + 0.003, 0.011, 0.012) * front
        out[:, 1] += 0.0045 * P[f"sneer_{side}"] * sneer
        out += (0.0015 * P[f"sneer_{side}"] * sneer)[:, None] * n
        puff = _gauss(x, y, sg * 0.047, st.mouth_y + 0.01, 0.024, 0.022) * front
        out += (0.014 * P["cheek_puff"] * puff)[:, None] * (n + np.array([sg * 0.6, 0, 0]))
    return out
