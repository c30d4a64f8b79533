"""A minimal, deterministic glTF 2.0 binary writer.

Written by hand (json + struct) rather than with a library so that the bytes
depend only on the input arrays: keys are emitted in a fixed order, floats are
rounded before packing, and morph targets are stored as sparse accessors
(only the vertices a shape moves), which keeps each file a few hundred KB.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field

import numpy as np

from avatarlink.avatars import vertex_normals

FLOAT, UINT16, UINT32 = 5126, 5123, 5125
ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER = 34962, 34963
TRIANGLES = 4
# Positions are rounded to a micrometre so that the last bits of libm/SIMD
# transcendental functions cannot change the bytes between machines; adding
# +0.0 then turns a -0.0 (a tiny negative rounded away) into 0.0, whose sign
# bit had still differed between CPUs (an AVX-512 machine's -4e-7 is another's
# +3e-7).
DECIMALS = 6


@dataclass
class Material:
    name: str
    color: tuple[float, float, float]
    metallic: float = 0.0
    roughness: float = 0.6
    emissive: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass
class Primitive:
    positions: np.ndarray  # (V, 3)
    faces: np.ndarray  # (F, 3)
    material: int
    targets: np.ndarray | None = None  # (T, V, 3) position deltas


@dataclass
class Mesh:
    name: str
    primitives: list[Primitive]
    target_names: list[str] | None = None


@dataclass
class Node:
    name: str
    mesh: int | None = None
    translation: tuple[float, float, float] = (0.0, 0.0, 0.0)
    children: list[int] = field(default_factory=list)


class _Bin:
    """The binary chunk: appends 4-byte aligned blocks, one bufferView each."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.views: list[dict] = []

    def add(self, array: np.ndarray, target: int | None = None) -> int:
        while len(self.data) % 4:
            self.data.append(0)
        raw = np.ascontiguousarray(array).tobytes()
        view = {"buffer": 0, "byteOffset": len(self.data), "byteLength": len(raw)}
        if target is not None:
            view["target"] = target
        self.data.extend(raw)
        self.views.append(view)
        return len(self.views) - 1


def _f32(array: np.ndarray) -> np.ndarray:
    return (np.round(np.asarray(array, dtype=np.float64), DECIMALS) + 0.0).astype(np.float32)


def _minmax(values: np.ndarray) -> tuple[list[float], list[float]]:
    return (
        [float(v) for v in values.min(axis=0)],
        [float(v) for v in values.max(axis=0)],
    )


def write_glb(
    path_or_none, meshes: list[Mesh], nodes: list[Node], materials: list[Material], *, scene_roots
) -> bytes:
    """Serialise to GLB bytes (and write them when a path is given)."""
    binary = _Bin()
    accessors: list[dict] = []
    zero_accessors: dict[int, int] = {}

    def accessor(array: np.ndarray, kind: str, target: int | None) -> int:
        if kind == "SCALAR":
            ctype = UINT16 if array.max() < 65535 else UINT32
            array = array.astype(np.uint16 if ctype == UINT16 else np.uint32)
            entry = {"bufferView": binary.add(array.reshape(-1), target), "componentType": ctype}
            entry.update({"count": int(array.size), "type": "SCALAR"})
        else:
            array = _f32(array)
            entry = {"bufferView": binary.add(array, target), "componentType": FLOAT}
            entry.update({"count": len(array), "type": kind})
            if kind == "VEC3":
                entry["min"], entry["max"] = _minmax(array)
        accessors.append(entry)
        return len(accessors) - 1

    def target_accessor(delta: np.ndarray) -> int:
        delta = _f32(delta)
        # movements under 0.1 mm (a tenth of a pixel at 640x480) are invisible; dropping them
        # keeps the targets sparse
        delta[np.linalg.norm(delta, axis=1) < 1e-4] = 0.0
        moved = np.flatnonzero(np.any(delta != 0.0, axis=1))
        count = len(delta)
        if len(moved) == 0:
            if count not in zero_accessors:
                accessors.append(
                    {"componentType": FLOAT, "count": count, "type": "VEC3",
                     "min": [0.0, 0.0, 0.0], "max": [0.0, 0.0, 0.0]}
                )  # fmt: skip
                zero_accessors[count] = len(accessors) - 1
            return zero_accessors[count]
        itype = UINT16 if count < 65535 else UINT32
        indices = moved.astype(np.uint16 if itype == UINT16 else np.uint32)
        lo, hi = _minmax(np.vstack([delta[moved], np.zeros((1, 3), np.float32)]))
        if len(moved) == count:
            lo, hi = _minmax(delta)
        accessors.append(
            {
                "componentType": FLOAT, "count": count, "type": "VEC3", "min": lo, "max": hi,
                "sparse": {
                    "count": len(moved),
                    "indices": {"bufferView": binary.add(indices), "componentType": itype},
                    "values": {"bufferView": binary.add(delta[moved])},
                },
            }
        )  # fmt: skip
        return len(accessors) - 1

    gltf_meshes = []
    for mesh in meshes:
        prims = []
        for prim in mesh.primitives:
            pos = _f32(prim.positions)
            faces = np.asarray(prim.faces, dtype=np.int64)
            normals = vertex_normals(pos.astype(np.float64), faces)
            entry = {
                "attributes": {
                    "POSITION": accessor(pos, "VEC3", ARRAY_BUFFER),
                    "NORMAL": accessor(normals, "VEC3", ARRAY_BUFFER),
                },
                "indices": accessor(faces, "SCALAR", ELEMENT_ARRAY_BUFFER),
                "material": prim.material,
                "mode": TRIANGLES,
            }
            if prim.targets is not None:
                entry["targets"] = [{"POSITION": target_accessor(t)} for t in prim.targets]
            prims.append(entry)
        gltf_mesh = {"name": mesh.name, "primitives": prims}
        if mesh.target_names is not None:
            gltf_mesh["weights"] = [0.0] * len(mesh.target_names)
            gltf_mesh["extras"] = {"targetNames": list(mesh.target_names)}
        gltf_meshes.append(gltf_mesh)

    gltf_nodes = []
    for node in nodes:
        entry: dict = {"name": node.name}
        if node.mesh is not None:
            entry["mesh"] = node.mesh
        if any(node.translation):
            entry["translation"] = [float(v) for v in np.round(node.translation, DECIMALS)]
        if node.children:
            entry["children"] = list(node.children)
        gltf_nodes.append(entry)

    gltf_materials = []
    for mat in materials:
        entry = {
            "name": mat.name,
            "pbrMetallicRoughness": {
                "baseColorFactor": [round(float(c), 4) for c in mat.color] + [1.0],
                "metallicFactor": float(mat.metallic),
                "roughnessFactor": float(mat.roughness),
            },
        }
        if any(mat.emissive):
            entry["emissiveFactor"] = [round(float(c), 4) for c in mat.emissive]
        gltf_materials.append(entry)

    while len(binary.data) % 4:
        binary.data.append(0)
    doc = {
        "asset": {"version": "2.0", "generator": "avatarlink tools/build_avatars.py"},
        "scene": 0,
        "scenes": [{"name": "avatar", "nodes": list(scene_roots)}],
        "nodes": gltf_nodes,
        "meshes": gltf_meshes,
        "materials": gltf_materials,
        "accessors": accessors,
        "bufferViews": binary.views,
        "buffers": [{"byteLength": len(binary.data)}],
    }
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    text += b" " * (-len(text) % 4)
    total = 12 + 8 + len(text) + 8 + len(binary.data)
    blob = b"".join(
        [
            struct.pack("<4sII", b"glTF", 2, total),
            struct.pack("<I4s", len(text), b"JSON"),
            text,
            struct.pack("<I4s", len(binary.data), b"BIN\x00"),
            bytes(binary.data),
        ]
    )
    if path_or_none is not None:
        with open(path_or_none, "wb") as handle:
            handle.write(blob)
    return blob
