"""Assemble one character: face rig + eyes + static parts -> glTF scene."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from avatarlink.frame import ARKIT_NAMES

from . import face as rig
from .arkit import ALL_SHAPES
from .glb import Material, Mesh, Node, Primitive, write_glb
from .shapes import ellipsoid, grid_faces, merge, tube

HEAD_CENTRE = np.array([0.0, 0.092, 0.004])  # head centre relative to the neck pivot


@dataclass
class Character:
    name: str
    title: str
    style: rig.Style
    colors: dict[str, tuple[float, float, float]]
    static: Callable[[rig.Surface, rig.Style], list[tuple[np.ndarray, np.ndarray, str]]]
    materials: dict[str, dict] = field(default_factory=dict)  # per-material overrides


MATERIAL_DEFAULTS = {
    "skin": {"roughness": 0.55},
    "muzzle": {"roughness": 0.6},
    "nose": {"roughness": 0.35},
    "lips": {"roughness": 0.4},
    "mouth": {"roughness": 0.9},
    "teeth": {"roughness": 0.25},
    "tongue": {"roughness": 0.5},
    "brow": {"roughness": 0.8},
    "lash": {"roughness": 0.8},
    "sclera": {"roughness": 0.2},
    "iris_ring": {"roughness": 0.3},
    "iris": {"roughness": 0.25},
    "pupil": {"roughness": 0.2},
    "highlight": {"roughness": 0.1, "emissive": (0.9, 0.9, 0.9)},
    "hair": {"roughness": 0.7},
    "clothes": {"roughness": 0.8},
}

# primitive name -> (parts, material)
FACE_PRIMS = (
    ("skin", ("skin", "lid_upper_L", "lid_lower_L", "lid_upper_R", "lid_lower_R"), "skin"),
    ("muzzle", ("muzzle",), "muzzle"),
    ("nose", ("nose",), "nose"),
    ("lips", ("lip_upper", "lip_lower"), "lips"),
    ("interior", ("interior",), "mouth"),
    ("teeth", ("teeth_upper", "teeth_lower"), "teeth"),
    ("tongue", ("tongue",), "tongue"),
    ("brows", ("brow_L", "brow_R"), "brow"),
    ("lashes", ("lash_L", "lash_R"), "lash"),
)


def _polar_patch(rings: int, segments: int) -> tuple[np.ndarray, np.ndarray]:
    """(r, angle) samples of a disc with a centre vertex, and its faces (facing +Z)."""
    r = np.linspace(0.0, 1.0, rings + 1)[1:]
    a = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    rr, aa = np.meshgrid(r, a, indexing="ij")
    pts = np.vstack([[0.0, 0.0], np.column_stack([rr.ravel(), aa.ravel()])])
    body = grid_faces(rings, segments, wrap=True) + 1
    j = np.arange(segments)
    centre = np.stack([np.zeros(segments, int), 1 + j, 1 + (j + 1) % segments], -1)
    faces = np.vstack([centre, body])
    return pts, faces[:, ::-1].copy()


class FaceBuilder:
    """Evaluates every moving part of the face for a parameter set."""

    def __init__(self, style: rig.Style) -> None:
        self.st = style
        self.surf = rig.Surface(style)
        self.skin_base, skin_faces = self.surf.skin()
        nose_v, nose_f = ellipsoid((0, 0, 0), style.nose_size, rings=10, segments=16)
        anchor = self.surf.project(np.array(0.0), np.array(style.nose_y), np.array(style.nose_out))
        self.nose_base = nose_v + anchor
        self.faces = {"skin": skin_faces, "nose": nose_f}
        self.faces.update(rig.mouth_faces())
        self.faces.update(rig.lid_faces())
        self.faces.update(rig.brow_faces())
        self.muzzle_base = None
        if style.muzzle_patch is not None:
            my, rx, ry = style.muzzle_patch
            pts, faces = _polar_patch(10, 40)
            r, a = pts[:, 0], pts[:, 1]
            x = rx * r * np.sin(a)
            y = my + ry * r * np.cos(a) * np.where(np.cos(a) < 0, 1.15, 1.0)
            # a little higher around the mouth, where the jaw bends the skin most
            lift = 0.0018 * np.exp(-((x / 0.04) ** 2) - ((y - style.mouth_y + 0.01) / 0.02) ** 2)
            self.muzzle_base = self.surf.project(x, y, rig.D_DECAL + lift)
            self.faces["muzzle"] = faces

    def parts(self, P: dict[str, float]) -> dict[str, np.ndarray]:
        st, surf = self.st, self.surf
        out = {}
        for name, base in (("skin", self.skin_base), ("nose", self.nose_base)):
            out[name] = base + rig.skin_field(surf, st, base, P)
        if self.muzzle_base is not None:
            field = rig.skin_field(surf, st, self.muzzle_base, P, dent=False)
            out["muzzle"] = self.muzzle_base + field
        out.update(rig.mouth_parts(surf, st, P))
        out.update(rig.lid_parts(surf, st, P))
        out.update(rig.brow_parts(surf, st, P))
        return out


def _prims(builder: FaceBuilder, mats: dict[str, int]) -> list[Primitive]:
    rest = builder.parts(rig.neutral())
    shaped = []
    for name in ARKIT_NAMES:
        P = rig.neutral()
        P.update(ALL_SHAPES[name])
        shaped.append(builder.parts(P))
    prims = []
    for _, part_names, material in FACE_PRIMS:
        names = [n for n in part_names if n in rest]
        if not names:
            continue
        pos, faces = merge([(rest[n], builder.faces[n]) for n in names])
        targets = np.stack([np.vstack([s[n] for n in names]) - pos for s in shaped])
        prims.append(Primitive(pos + HEAD_CENTRE, faces, mats[material], targets))
    return prims


def _cap(angle_deg: float, radius: float, axis=(0.0, 0.0, 1.0), rings: int = 5, segs: int = 24):
    """A spherical cap (iris, pupil, highlight) around an axis."""
    pts, faces = _polar_patch(rings, segs)
    r, a = pts[:, 0], pts[:, 1]
    th = np.radians(angle_deg) * r
    local = np.column_stack([np.sin(th) * np.sin(a), np.sin(th) * np.cos(a), np.cos(th)])
    axis = np.asarray(axis, float) / np.linalg.norm(axis)
    z = np.array([0.0, 0.0, 1.0])
    v = np.cross(z, axis)
    s, c = np.linalg.norm(v), float(np.dot(z, axis))
    if s > 1e-9:
        k = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
        rot = np.eye(3) + k + k @ k * ((1 - c) / s**2)
        local = local @ rot.T
    return local * radius, faces


# The eye's caps (degrees) as drawn for the default iris; a Style's iris scales them all.
_IRIS_RING_DEG = 34.0


def eye_mesh(style: rig.Style, mats: dict[str, int]) -> list[Primitive]:
    r, k = style.eye_r, style.iris / _IRIS_RING_DEG
    sphere, faces = ellipsoid((0, 0, 0), (r, r, r), rings=16, segments=28)
    prims = [Primitive(sphere, faces, mats["sclera"])]
    for angle, scale, mat, axis in (
        (_IRIS_RING_DEG, 1.004, "iris_ring", (0, 0, 1)),
        (30.0, 1.007, "iris", (0, 0, 1)),
        (14.5, 1.010, "pupil", (0, 0, 1)),
        (6.5, 1.013, "highlight", (-0.3, 0.32, 0.9)),
    ):
        v, f = _cap(angle * k, r * scale, axis)
        prims.append(Primitive(v, f, mats[mat]))
    return prims


def body_mesh(mats: dict[str, int]) -> list[Primitive]:
    path = np.array([[0.0, 0.03, -0.014], [0.0, -0.01, -0.014], [0.0, -0.05, -0.014]])
    neck = tube(path, np.array([0.032, 0.034, 0.038]), sides=20)
    shoulders = ellipsoid((0.0, -0.1, -0.018), (0.15, 0.07, 0.085), rings=14, segments=32)
    collar = ellipsoid((0.0, -0.042, -0.014), (0.048, 0.016, 0.044), rings=8, segments=24)
    return [
        Primitive(neck[0], neck[1], mats["skin"]),
        Primitive(*merge([shoulders, collar]), mats["clothes"]),
    ]


def build(character: Character, path=None) -> bytes:
    names = list(MATERIAL_DEFAULTS)
    materials = []
    for name in names:
        opts = dict(MATERIAL_DEFAULTS[name])
        opts.update(character.materials.get(name, {}))
        materials.append(Material(name, character.colors.get(name, (1.0, 0.0, 1.0)), **opts))
    mats = {n: i for i, n in enumerate(names)}
    builder = FaceBuilder(character.style)
    static = character.static(builder.surf, character.style)
    # one primitive per material: every primitive is a draw call in the renderer
    by_material: dict[str, list] = {}
    for v, f, m in static:
        by_material.setdefault(m, []).append((v + HEAD_CENTRE, f))
    static_prims = [Primitive(*merge(parts), mats[m]) for m, parts in by_material.items()]
    meshes = [
        Mesh("face", _prims(builder, mats), list(ARKIT_NAMES)),
        Mesh("eye", eye_mesh(character.style, mats)),
        Mesh("headStatic", static_prims),
        Mesh("body", body_mesh(mats)),
    ]
    eye_l = HEAD_CENTRE + rig.eye_centre(builder.surf, character.style, "L")
    eye_r = HEAD_CENTRE + rig.eye_centre(builder.surf, character.style, "R")
    nodes = [
        Node("avatar", children=[1, 2]),
        Node("body", mesh=3),
        Node("head", children=[3, 4, 5, 6]),
        Node("face", mesh=0),
        Node("eyeLeft", mesh=1, translation=tuple(eye_l)),
        Node("eyeRight", mesh=1, translation=tuple(eye_r)),
        Node("headStatic", mesh=2),
    ]
    used = sorted({p.material for m in meshes for p in m.primitives})
    if used != list(range(len(materials))):
        remap = {old: new for new, old in enumerate(used)}
        materials = [materials[i] for i in used]
        for m in meshes:
            for p in m.primitives:
                p.material = remap[p.material]
    return write_glb(path, meshes, nodes, materials, scene_roots=[0])
