"""Jaw, lips and mouth corners from the head-frame mesh.

All positions are in head units relative to the rigid skull, so the jaw
dropping, the lips moving and the corners rising are told apart by which
points move, not by where the face is in the picture.
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking import mesh

_SIDES = (("Right", 0, -1.0), ("Left", 1, 1.0))


def mouth_metrics(h: np.ndarray) -> dict[str, float]:
    up_out, up_in = h[mesh.LIP_UPPER_OUTER], h[mesh.LIP_UPPER_INNER]
    lo_in, lo_out = h[mesh.LIP_LOWER_INNER], h[mesh.LIP_LOWER_OUTER]
    corners = h[list(mesh.MOUTH_CORNER)]
    chin = h[mesh.CHIN]
    m = {
        "gap": float(up_in[1] - lo_in[1]),
        "width": float(np.linalg.norm(corners[1] - corners[0])),
        "chinDrop": float(-chin[1]),
        "lowerLipDrop": float(-(lo_in[1] + lo_out[1]) / 2),
        "outerHeight": float(np.linalg.norm(up_out - lo_out)),
        "chinX": float(chin[0]),
        "chinZ": float(chin[2]),
        # the upper lip's centre: the jaw moves the lower lip, not this
        "mouthX": float((up_out[0] + up_in[0]) / 2),
        "upperThick": float(up_out[1] - up_in[1]),
        "lowerThick": float(lo_in[1] - lo_out[1]),
        "upperLipY": float(up_out[1]),
        "lowerLipY": float(lo_out[1]),
        "lowerInnerY": float(lo_in[1]),
        "lipsZ": float((up_out[2] + lo_out[2]) / 2),
    }
    for name, k, outward in _SIDES:
        c = h[mesh.MOUTH_CORNER[k]]
        m[f"cornerY{name}"] = float(c[1] - (up_in[1] + lo_in[1]) / 2)
        m[f"cornerRise{name}"] = float(c[1])
        # outward from the lips' centre line, so a mouth or jaw moved sideways is no smile
        m[f"cornerOut{name}"] = float((c[0] - (up_out[0] + lo_out[0]) / 2) * outward)
        m[f"cornerZ{name}"] = float(c[2] - (up_out[2] + lo_out[2]) / 2)
        m[f"upperSideY{name}"] = float(h[mesh.LIP_UPPER_SIDE[k], 1])
        m[f"lowerSideY{name}"] = float(h[mesh.LIP_LOWER_SIDE[k], 1])
        m[f"sideThick{name}"] = float(
            h[mesh.LIP_UPPER_SIDE[k], 1]
            - h[mesh.LIP_UPPER_SIDE_INNER[k], 1]
            + h[mesh.LIP_LOWER_SIDE_INNER[k], 1]
            - h[mesh.LIP_LOWER_SIDE[k], 1]
        )
    return m


def drivers(m: dict[str, float]) -> dict[str, float]:
    d = {
        # the lower lip rides on the jaw and is tracked more precisely than the chin
        "jawOpen": (2 * m["lowerLipDrop"] + m["chinDrop"]) / 3,
        "jawLeft": m["chinX"],
        "jawRight": -m["chinX"],
        "jawForward": m["chinZ"],
        # the jaw's own drop; the solver keeps what the lips' gap does not explain
        "mouthClose": m["chinDrop"],
        "mouthLeft": m["mouthX"],
        "mouthRight": -m["mouthX"],
        "mouthRollUpper": -m["upperThick"],
        "mouthRollLower": -m["lowerThick"],
        # the upper lip rising with the mouth closed (an opening mouth is not a shrug)
        "mouthShrugUpper": m["upperLipY"] - m["gap"],
        # the inner lower lip pushed up towards the upper (a curled-in lip leaves it)
        "mouthShrugLower": m["lowerInnerY"] + m["chinDrop"],
        # puckered lips are narrow (and closed, see the solver); funnelled lips
        # form an "O": tall for their width
        "mouthPucker": -m["width"],
        # (less what an opening jaw alone does to that ratio)
        "mouthFunnel": m["outerHeight"] / m["width"] - 1.3 * m["chinDrop"],
        "lipGap": m["gap"],
    }
    for side in ("Left", "Right"):
        # corners pulled out and up, measured from the lips' midline so that
        # opening the jaw (which lowers the corners) does not read as a frown
        d[f"mouthSmile{side}"] = 0.5 * m[f"cornerOut{side}"] + m[f"cornerY{side}"]
        # corners down against the skull; an opening jaw takes them down about 0.4 as far
        d[f"mouthFrown{side}"] = -m[f"cornerRise{side}"] - 0.4 * m["chinDrop"]
        # corners pulled out without rising (a smile) or dropping (a frown)
        d[f"mouthStretch{side}"] = m[f"cornerOut{side}"] - 0.8 * abs(m[f"cornerY{side}"])
        d[f"mouthDimple{side}"] = -m[f"cornerZ{side}"]
        d[f"mouthPress{side}"] = -m[f"sideThick{side}"]
        # the lower lip's sides against the jaw, so that opening it is no lip movement
        # (the upper lip's sides are on the skull already)
        d[f"mouthLowerDown{side}"] = -m[f"lowerSideY{side}"] - m["chinDrop"]
        d[f"mouthUpperUp{side}"] = m[f"upperSideY{side}"]
    return d
