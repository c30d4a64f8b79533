"""Face-mesh topology facts: named landmark indices and the left/right mirror map.

MediaPipe's 478-point mesh is left/right symmetric. The mirror map (which
landmark is the reflection of which) is derived here from the mesh's own
triangulation, shipped in the pinned wheel, by growing a few anatomical seed
pairs across the mesh graph, so no face data is needed to obtain it.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from mediapipe.python.solutions import face_mesh_connections
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import shortest_path

N_MESH = 468
N_LANDMARKS = 478

# Landmarks on the face's midline (their own mirror images).
MIDLINE = (0, 1, 2, 4, 5, 6, 8, 9, 10, 13, 14, 17, 18, 151, 152, 164, 168, 175, 195, 197, 199, 200)
# Seed pairs (subject's right, subject's left) that fix the reflection.
SEED_PAIRS = ((33, 263), (133, 362), (61, 291), (234, 454), (70, 300), (105, 334), (107, 336))

# Named points, as (subject's right, subject's left) pairs where sided.
EYE_OUTER = (33, 263)
EYE_INNER = (133, 362)
# Upper / lower lid samples, matched columns from inner to outer corner.
LID_UPPER = ((158, 159, 160), (385, 386, 387))
LID_LOWER = ((153, 145, 144), (380, 374, 373))
IRIS_CENTER = (468, 473)
IRIS_RING = ((469, 470, 471, 472), (474, 475, 476, 477))
BROW_INNER = ((107, 55), (336, 285))
BROW_MID = ((105, 66), (334, 296))
BROW_OUTER = ((70, 46), (300, 276))
MOUTH_CORNER = (61, 291)
LIP_UPPER_OUTER = 0
LIP_UPPER_INNER = 13
LIP_LOWER_INNER = 14
LIP_LOWER_OUTER = 17
LIP_UPPER_SIDE = (40, 270)  # upper lip between centre and corner
LIP_LOWER_SIDE = (91, 321)
# the lips' outer and inner outlines, each once around (corner, upper lip, corner, lower lip)
LIPS_OUTER = (
    61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146,
)  # fmt: skip
LIPS_INNER = (
    78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95,
)  # fmt: skip
CHIN = 152
NOSE_ALA = (129, 358)  # the nostril wings
NOSE_ALA_TOP = (217, 437)
CHEEK = (50, 280)  # the cheek's front, below the cheekbone
CHEEK_LOW = (207, 427)  # the cheek between mouth corner and jaw: puffs out
CHEEK_UNDER_EYE = (111, 340)
# Points that move little with expression: the pose fit uses these.
RIGID = (
    8, 9, 10, 151, 168, 6, 197, 195, 5, 4,  # forehead and nose ridge
    33, 263, 133, 362,  # eye corners
    234, 454, 127, 356, 162, 389, 21, 251,  # outline above the jaw
    54, 284, 103, 332, 67, 297, 109, 338,  # upper forehead
    226, 446, 130, 359, 243, 463, 244, 464, 189, 413, 193, 417,  # around the eyes
    114, 343, 188, 412, 122, 351, 196, 419,  # nose sides
    116, 345, 117, 346, 118, 347, 123, 352,  # cheekbones
)  # fmt: skip


def _neighbours() -> list[set[int]]:
    nbr: list[set[int]] = [set() for _ in range(N_MESH)]
    for a, b in face_mesh_connections.FACEMESH_TESSELATION:
        nbr[a].add(b)
        nbr[b].add(a)
    return nbr


@cache
def mirror_map() -> np.ndarray:
    """``m[i]`` is the landmark that mirrors ``i`` across the face's midline (478 entries).

    Grown from the seeds: an unmatched vertex whose matched neighbours' images
    share exactly one free common neighbour is matched to it. A graph
    automorphism of a triangulated disc is fixed by a few pairs, so this is exact.
    """
    nbr = _neighbours()
    m = -np.ones(N_LANDMARKS, dtype=np.int64)
    for i in MIDLINE:
        m[i] = i
    for a, b in SEED_PAIRS:
        m[a], m[b] = b, a
    progress = True
    while progress:
        progress = False
        for v in range(N_MESH):
            if m[v] >= 0:
                continue
            images = [int(m[u]) for u in nbr[v] if m[u] >= 0]
            if len(images) < 2:
                continue
            cand = set.intersection(*(nbr[w] for w in images))
            cand = {c for c in cand if m[c] < 0 or m[c] == v}
            if len(cand) == 1:
                w = cand.pop()
                m[v], m[w] = w, v
                progress = True
    # the irises: centre, then the ring (469 inner, 470 top, 471 outer, 472 bottom)
    m[468:473] = [473, 476, 475, 474, 477]
    m[473:478] = [468, 471, 470, 469, 472]
    if (m < 0).any() or not np.array_equal(m[m], np.arange(N_LANDMARKS)):
        raise RuntimeError("face mesh topology is not symmetric as expected")
    return m


@cache
def left_side() -> np.ndarray:
    """Mesh points on the subject's left: fewer mesh hops to the left eye corner than the right."""
    edges = np.array(sorted(face_mesh_connections.FACEMESH_TESSELATION))
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(N_MESH, N_MESH))
    hops = shortest_path(graph, directed=False, unweighted=True, indices=list(EYE_OUTER))
    return np.flatnonzero(hops[1] < hops[0])
