"""Small mesh generators: parametric grids, spheres, tubes (vertices + faces)."""

from __future__ import annotations

import numpy as np


def grid_faces(rows: int, cols: int, *, wrap: bool = False, flip: bool = False) -> np.ndarray:
    """Triangles of a rows x cols vertex grid (row-major), optionally wrapped in columns."""
    r, c = np.meshgrid(np.arange(rows - 1), np.arange(cols if wrap else cols - 1), indexing="ij")
    a = r * cols + c
    b = r * cols + (c + 1) % cols
    d = (r + 1) * cols + c
    e = (r + 1) * cols + (c + 1) % cols
    tris = np.concatenate(
        [np.stack([a, d, b], -1).reshape(-1, 3), np.stack([b, d, e], -1).reshape(-1, 3)]
    )
    return tris[:, ::-1] if flip else tris


def uv_sphere(rings: int, segments: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit sphere with poles on +-Y: (V, 3) directions and outward-facing faces.

    The poles are single vertices, so there are no degenerate triangles.
    """
    theta = np.linspace(0.0, np.pi, rings + 1)[1:-1]
    phi = np.linspace(0.0, 2.0 * np.pi, segments, endpoint=False)
    t, p = np.meshgrid(theta, phi, indexing="ij")
    ring = np.stack([np.sin(t) * np.sin(p), np.cos(t), np.sin(t) * np.cos(p)], -1).reshape(-1, 3)
    verts = np.vstack([[0.0, 1.0, 0.0], ring, [0.0, -1.0, 0.0]])
    n_ring = rings - 1
    body = grid_faces(n_ring, segments, wrap=True) + 1
    j = np.arange(segments)
    top = np.stack([np.zeros(segments, int), 1 + j, 1 + (j + 1) % segments], -1)
    last = len(verts) - 1
    base = 1 + (n_ring - 1) * segments
    bottom = np.stack([np.full(segments, last), base + (j + 1) % segments, base + j], -1)
    faces = np.vstack([top, body, bottom])
    return verts, _outward(verts, faces)


def _outward(verts: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Flip the winding if the first faces point inwards (centred, convex shapes)."""
    tri = verts[faces]
    normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    if np.sum(normal * tri.mean(axis=1)) < 0:
        return faces[:, ::-1].copy()
    return faces


def ellipsoid(
    center, radii, rings: int = 12, segments: int = 16, power: float = 2.0
) -> tuple[np.ndarray, np.ndarray]:
    """A (super)ellipsoid; power > 2 gives a rounded box."""
    d, faces = uv_sphere(rings, segments)
    e = 2.0 / power
    p = np.sign(d) * np.abs(d) ** e
    return np.asarray(center) + p * np.asarray(radii), faces


def tube(path: np.ndarray, radius: np.ndarray, sides: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """A closed-ended tube along a polyline with a per-point radius."""
    n = len(path)
    tangent = np.gradient(path, axis=0)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
    up = np.array([0.0, 0.0, 1.0])
    side = np.cross(tangent, up)
    bad = np.linalg.norm(side, axis=1) < 1e-6
    side[bad] = np.cross(tangent[bad], [1.0, 0.0, 0.0])
    side /= np.linalg.norm(side, axis=1, keepdims=True)
    normal = np.cross(side, tangent)
    ang = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    ring = np.cos(ang)[None, :, None] * side[:, None] + np.sin(ang)[None, :, None] * normal[:, None]
    verts = (path[:, None] + ring * np.asarray(radius)[:, None, None]).reshape(-1, 3)
    faces = grid_faces(n, sides, wrap=True)
    caps = []
    for end, centre_idx in ((0, len(verts)), (n - 1, len(verts) + 1)):
        j = np.arange(sides)
        base = end * sides
        tri = np.stack([np.full(sides, centre_idx), base + j, base + (j + 1) % sides], -1)
        caps.append(tri if end else tri[:, ::-1])
    verts = np.vstack([verts, path[0], path[-1]])
    faces = np.vstack([faces, *caps])
    tri = verts[faces[: sides * 2]]
    normal_f = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    outward = tri.mean(axis=1) - path[0]
    if np.sum(normal_f * outward) < 0:
        faces = faces[:, ::-1].copy()
    return verts, faces


def merge(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate meshes into one vertex / face array pair."""
    verts, faces, offset = [], [], 0
    for v, f in parts:
        verts.append(v)
        faces.append(f + offset)
        offset += len(v)
    return np.vstack(verts), np.vstack(faces)


def smoothstep(edge0: float, edge1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - edge0) / (edge1 - edge0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)
