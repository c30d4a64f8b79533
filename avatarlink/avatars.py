"""The characters people can be seen as: listing and loading avatars/*.glb.

The loader reads glTF 2.0 binaries itself (json + numpy) so that a renderer
gets exactly what it needs for fast per-frame blending: base positions and
normals, and per primitive a dense (52, V, 3) array of morph deltas in ARKit
order (matched by ``mesh.extras.targetNames``), plus the node hierarchy with
the head and eye nodes. Anything malformed is a :class:`UserError`.
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from avatarlink.errors import UserError
from avatarlink.frame import ARKIT_INDEX, N_SHAPES

AVATAR_DIR = Path(
    os.environ.get("AVATARLINK_AVATARS", Path(__file__).resolve().parent.parent / "avatars")
)
DEFAULT_AVATAR = "pip"
HEAD_NODE = "head"
EYE_NODES = ("eyeLeft", "eyeRight")  # the character's own left (+X) first

_COMPONENTS = {
    5120: np.int8, 5121: np.uint8, 5122: np.int16, 5123: np.uint16, 5125: np.uint32,
    5126: np.float32,
}  # fmt: skip
_WIDTH = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT4": 16}


@dataclass(frozen=True)
class AvatarInfo:
    name: str
    triangles: int
    path: Path


@dataclass
class Material:
    name: str
    base_color: np.ndarray  # RGBA, linear
    metallic: float
    roughness: float
    emissive: np.ndarray


@dataclass
class Primitive:
    positions: np.ndarray  # (V, 3) float32
    normals: np.ndarray  # (V, 3) float32
    indices: np.ndarray  # (F, 3) uint32
    material: int
    morph_deltas: np.ndarray | None = None  # (52, V, 3) float32, ARKit order


@dataclass
class AvatarMesh:
    name: str
    primitives: list[Primitive]
    target_names: list[str] = field(default_factory=list)

    @property
    def morph_deltas(self) -> np.ndarray | None:
        """(52, V, 3) over all primitives of the mesh, or None without targets."""
        parts = [p.morph_deltas for p in self.primitives]
        if any(p is None for p in parts):
            return None
        return np.concatenate(parts, axis=1)


@dataclass
class Node:
    name: str
    translation: np.ndarray
    rotation: np.ndarray  # quaternion x, y, z, w
    scale: np.ndarray
    mesh: int | None
    children: list[int]

    def matrix(self) -> np.ndarray:
        from scipy.spatial.transform import Rotation

        m = np.eye(4)
        m[:3, :3] = Rotation.from_quat(self.rotation).as_matrix() * self.scale
        m[:3, 3] = self.translation
        return m


@dataclass
class Avatar:
    name: str
    path: Path
    meshes: list[AvatarMesh]
    nodes: list[Node]
    roots: list[int]
    materials: list[Material]
    head: int  # node index
    eyes: tuple[int, int]  # node indices: character's left eye, right eye

    @property
    def triangles(self) -> int:
        """Triangles drawn, counting a mesh once per node that shows it."""
        meshes = [self.meshes[n.mesh] for n in self.nodes if n.mesh is not None]
        return sum(len(p.indices) for m in meshes for p in m.primitives)

    def node_index(self, name: str) -> int:
        for i, node in enumerate(self.nodes):
            if node.name == name:
                return i
        raise KeyError(name)

    def world_matrices(self) -> list[np.ndarray]:
        """Rest pose world matrix of every node."""
        out: list[np.ndarray] = [np.eye(4)] * len(self.nodes)

        def walk(i: int, parent: np.ndarray) -> None:
            out[i] = parent @ self.nodes[i].matrix()
            for c in self.nodes[i].children:
                walk(c, out[i])

        for r in self.roots:
            walk(r, np.eye(4))
        return out


def _read_glb(path: Path) -> tuple[dict, bytes]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read avatar file {path}: {exc.strerror}") from None
    if len(data) < 20:
        raise UserError(f"{path} is not a glTF binary (.glb): file too short")
    magic, version, length = struct.unpack_from("<4sII", data)
    if magic != b"glTF" or version != 2:
        raise UserError(f"{path} is not a glTF 2.0 binary (.glb)")
    if length != len(data):
        raise UserError(f"{path} is truncated or corrupt (length mismatch)")
    offset, doc, binary = 12, None, b""
    while offset + 8 <= len(data):
        size, kind = struct.unpack_from("<I4s", data, offset)
        chunk = data[offset + 8 : offset + 8 + size]
        if len(chunk) != size:
            raise UserError(f"{path} is truncated or corrupt (chunk overruns the file)")
        if kind == b"JSON":
            try:
                doc = json.loads(chunk)
            except (ValueError, UnicodeDecodeError):
                raise UserError(f"{path} has a corrupt JSON chunk") from None
        elif kind == b"BIN\x00":
            binary = chunk
        offset += 8 + size
    if not isinstance(doc, dict):
        raise UserError(f"{path} has no JSON chunk")
    return doc, binary


class _Accessors:
    """Decodes glTF accessors (strided, sparse, or all-zero) to numpy arrays."""

    def __init__(self, doc: dict, binary: bytes) -> None:
        self.doc, self.bin = doc, binary

    def _view(self, index: int) -> tuple[bytes, int | None]:
        view = self.doc["bufferViews"][index]
        if view.get("buffer", 0) != 0:
            raise ValueError("external buffers are not supported")
        start = view.get("byteOffset", 0)
        raw = self.bin[start : start + view["byteLength"]]
        if len(raw) != view["byteLength"]:
            raise ValueError("buffer view outside the binary chunk")
        return raw, view.get("byteStride")

    def _typed(self, view: int, offset: int, ctype: int, count: int, width: int) -> np.ndarray:
        raw, stride = self._view(view)
        dtype = np.dtype(_COMPONENTS[ctype])
        item = dtype.itemsize * width
        if stride and stride != item:
            rows = np.lib.stride_tricks.as_strided(
                np.frombuffer(raw, np.uint8, offset=offset), (count, item), (stride, 1)
            )
            return np.ascontiguousarray(rows).view(dtype).reshape(count, width)
        return np.frombuffer(raw, dtype, count * width, offset).reshape(count, width)

    def get(self, index: int) -> np.ndarray:
        acc = self.doc["accessors"][index]
        width, count = _WIDTH[acc["type"]], acc["count"]
        if "bufferView" in acc:
            out = self._typed(
                acc["bufferView"], acc.get("byteOffset", 0), acc["componentType"], count, width
            ).copy()
        else:
            out = np.zeros((count, width), _COMPONENTS[acc["componentType"]])
        sparse = acc.get("sparse")
        if sparse:
            n = sparse["count"]
            ind = sparse["indices"]
            idx = self._typed(
                ind["bufferView"], ind.get("byteOffset", 0), ind["componentType"], n, 1
            )
            val = sparse["values"]
            values = self._typed(
                val["bufferView"], val.get("byteOffset", 0), acc["componentType"], n, width
            )
            out[idx[:, 0].astype(np.int64)] = values
        return out


def vertex_normals(positions: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted vertex normals, vectorised: for files without normals, and morphs."""
    tri = positions[faces]
    fn = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    normals = np.zeros_like(positions)
    for k in range(3):
        np.add.at(normals, faces[:, k], fn)
    return normals / np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)


def _parse(path: Path, doc: dict, binary: bytes) -> Avatar:
    acc = _Accessors(doc, binary)
    materials = []
    for m in doc.get("materials", []):
        pbr = m.get("pbrMetallicRoughness", {})
        materials.append(
            Material(
                m.get("name", ""),
                np.asarray(pbr.get("baseColorFactor", [1, 1, 1, 1]), np.float32),
                float(pbr.get("metallicFactor", 1.0)),
                float(pbr.get("roughnessFactor", 1.0)),
                np.asarray(m.get("emissiveFactor", [0, 0, 0]), np.float32),
            )
        )
    if not materials:
        materials.append(Material("default", np.ones(4, np.float32), 0.0, 0.6, np.zeros(3)))
    meshes = []
    for mesh in doc.get("meshes", []):
        names = list(mesh.get("extras", {}).get("targetNames", []))
        prims = []
        for prim in mesh["primitives"]:
            if prim.get("mode", 4) != 4:
                raise ValueError("only triangle primitives are supported")
            pos = acc.get(prim["attributes"]["POSITION"]).astype(np.float32)
            faces = acc.get(prim["indices"]).reshape(-1, 3).astype(np.uint32)
            if len(faces) and faces.max() >= len(pos):
                raise ValueError("triangle index out of range")
            if "NORMAL" in prim["attributes"]:
                nrm = acc.get(prim["attributes"]["NORMAL"]).astype(np.float32)
            else:
                nrm = vertex_normals(pos, faces).astype(np.float32)
            deltas = None
            targets = prim.get("targets", [])
            if targets:
                if len(names) != len(targets):
                    raise ValueError("mesh.extras.targetNames does not match the targets")
                deltas = np.zeros((N_SHAPES, len(pos), 3), np.float32)
                for name, target in zip(names, targets, strict=True):
                    if name in ARKIT_INDEX and "POSITION" in target:
                        deltas[ARKIT_INDEX[name]] = acc.get(target["POSITION"])
            prims.append(Primitive(pos, nrm, faces, prim.get("material", 0), deltas))
        meshes.append(AvatarMesh(mesh.get("name", ""), prims, names))
    nodes = [
        Node(
            n.get("name", ""),
            np.asarray(n.get("translation", [0, 0, 0]), np.float64),
            np.asarray(n.get("rotation", [0, 0, 0, 1]), np.float64),
            np.asarray(n.get("scale", [1, 1, 1]), np.float64),
            n.get("mesh"),
            list(n.get("children", [])),
        )
        for n in doc.get("nodes", [])
    ]
    scene = doc.get("scenes", [{}])[doc.get("scene", 0)]
    roots = list(scene.get("nodes", []))
    by_name = {n.name: i for i, n in enumerate(nodes)}
    missing = [n for n in (HEAD_NODE, *EYE_NODES) if n not in by_name]
    if missing:
        raise ValueError(f"no node named {', '.join(missing)}")
    return Avatar(
        path.stem, path, meshes, nodes, roots, materials,
        by_name[HEAD_NODE], (by_name[EYE_NODES[0]], by_name[EYE_NODES[1]]),
    )  # fmt: skip


def avatar_path(name_or_path: str | os.PathLike) -> Path:
    """A character name (``pip``) or a path to a .glb file."""
    text = str(name_or_path)
    candidate = Path(text)
    if candidate.suffix.lower() == ".glb" or os.sep in text:
        if not candidate.is_file():
            raise UserError(f"avatar file not found: {candidate}")
        return candidate
    path = AVATAR_DIR / f"{text}.glb"
    if not path.is_file():
        known = ", ".join(a.name for a in list_avatars()) or "none installed"
        raise UserError(f"unknown avatar {text!r}; choose one of: {known}")
    return path


def load_avatar(name_or_path: str | os.PathLike) -> Avatar:
    """Load a character by name or path; malformed or unknown input is a UserError."""
    path = avatar_path(name_or_path)
    doc, binary = _read_glb(path)
    try:
        return _parse(path, doc, binary)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise UserError(f"{path} is not a usable avatar: {exc}") from None


def _triangles(path: Path) -> int:
    doc, _ = _read_glb(path)
    total = 0
    for mesh_index in [n["mesh"] for n in doc.get("nodes", []) if "mesh" in n]:
        for prim in doc["meshes"][mesh_index]["primitives"]:
            total += doc["accessors"][prim["indices"]]["count"] // 3
    return total


def list_avatars() -> list[AvatarInfo]:
    """Installed characters, by name."""
    if not AVATAR_DIR.is_dir():
        return []
    return [AvatarInfo(p.stem, _triangles(p), p) for p in sorted(AVATAR_DIR.glob("*.glb"))]
