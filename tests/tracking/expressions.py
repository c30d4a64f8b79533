"""Synthetic expressions: each moves the canonical face the way its ARKit shape does.

Movements are in centimetres on an adult-sized canonical face; "Left" is the
subject's left (+x). Each entry lists the shapes that must respond; every
other shape must stay quiet.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tests.tracking.conftest import bump, move

UPPER_LID = ((173, 157, 158, 159, 160, 161, 246), (398, 384, 385, 386, 387, 388, 466))
LOWER_LID = ((155, 154, 153, 145, 144, 163, 7), (382, 381, 380, 374, 373, 390, 249))
IRIS = (range(468, 473), range(473, 478))
CORNER = (61, 291)
LOWER_LIP = (14, 87, 178, 88, 95, 317, 402, 318, 324, 17, 84, 314, 181, 405, 91, 321, 146, 375)
SIDE = {"Right": 0, "Left": 1}
SIGN = {"Right": -1.0, "Left": 1.0}


def _lids(p: np.ndarray, k: int, upper: float, lower: float) -> np.ndarray:
    """Move one eye's lids up (+) or down (-) by a fraction of the eye's opening."""
    p = p.copy()
    gap = p[159 if k == 0 else 386, 1] - p[145 if k == 0 else 374, 1]
    p[list(UPPER_LID[k]), 1] += upper * gap
    p[list(LOWER_LID[k]), 1] += lower * gap
    return p


def _jaw(p: np.ndarray, delta: tuple) -> np.ndarray:
    """Move the jaw: everything below the mouth corners, the lower lip fully."""
    y = p[:, 1]
    w = np.clip((-4.3 - y) / 0.5, 0.0, 1.0) * np.clip(1.0 - (np.abs(p[:, 0]) - 5.0) / 2.0, 0.0, 1.0)
    w[list(LOWER_LIP)] = 1.0
    w[[61, 291, 78, 308]] = 0.45  # the corners go down about half as far
    return p + w[:, None] * np.asarray(delta)


def blink(side: str) -> Callable:
    return lambda p: _lids(p, SIDE[side], -1.0, 0.0)


def wide(side: str) -> Callable:
    return lambda p: _lids(p, SIDE[side], 0.45, 0.0)


def squint(side: str) -> Callable:
    return lambda p: _lids(p, SIDE[side], 0.0, 0.45)


def look(dx: float, dy: float) -> Callable:
    """Both irises move (the eyes turn together); dx > 0 towards the subject's left.

    The upper lids ride on the eyeballs: they follow the irises up and down.
    """

    def turn(p: np.ndarray) -> np.ndarray:
        for k in (0, 1):
            p = move(move(p, IRIS[k], (dx, dy, 0)), UPPER_LID[k], (0, dy, 0))
        return p

    return turn


def smile_corner(side: str) -> Callable:
    # up and out towards the cheekbone, and back along the cheek's curve (the
    # clips' corners move back about 0.6 as far as they rise)
    return lambda p: bump(p, CORNER[SIDE[side]], 0.9, (SIGN[side] * 0.45, 0.45, -0.25))


def smile(side: str) -> Callable:
    """The corners drawn up and the cheek raised with them (AU12 with AU6)."""
    return lambda p: cheek_squint(side)(smile_corner(side)(p))


def frown(side: str) -> Callable:
    return lambda p: bump(p, CORNER[SIDE[side]], 0.6, (0.0, -0.45, 0.0))


def stretch(side: str) -> Callable:
    return lambda p: bump(p, CORNER[SIDE[side]], 0.9, (SIGN[side] * 0.6, -0.1, -0.1))


def dimple(side: str) -> Callable:
    return lambda p: bump(p, CORNER[SIDE[side]], 0.7, (SIGN[side] * 0.1, 0.0, -0.5))


def pucker(p: np.ndarray) -> np.ndarray:
    p = bump(p, CORNER[0], 0.9, (0.55, 0.0, 0.2))
    p = bump(p, CORNER[1], 0.9, (-0.55, 0.0, 0.2))
    return p


def funnel(p: np.ndarray) -> np.ndarray:
    """Puckered lips flared out into an "O": their red turned out, so it shows taller.

    The outer edges move away from the inner ones (the vermilion's area over
    the width squared ~0.19 above rest; the clips' strongest funnels: ~0.3).
    """
    p = pucker(p)
    p = bump(p, 0, 0.8, (0.0, 0.45, 0.3))
    p = bump(p, 17, 0.8, (0.0, -0.9, 0.3))
    return bump(p, 14, 0.5, (0.0, -0.3, 0.0))


def jaw_open(p: np.ndarray) -> np.ndarray:
    return _jaw(p, (0.0, -1.6, -0.3))


def mouth_close(p: np.ndarray) -> np.ndarray:
    """The jaw drops but the lips stay together (the lower lip stretches up)."""
    return move(_jaw(p, (0.0, -1.2, -0.2)), LOWER_LIP, (0.0, 1.2, 0.2))


def jaw_side(side: str) -> Callable:
    return lambda p: _jaw(p, (SIGN[side] * 0.7, 0.0, 0.0))


def jaw_forward(p: np.ndarray) -> np.ndarray:
    return _jaw(p, (0.0, 0.0, 0.6))


def mouth_side(side: str) -> Callable:
    return lambda p: bump(p, 13, 2.5, (SIGN[side] * 0.55, 0.0, 0.0))


def brow_inner_up(p: np.ndarray) -> np.ndarray:
    return bump(bump(p, 107, 0.9, (0, 0.6, 0)), 336, 0.9, (0, 0.6, 0))


def brow_outer_up(side: str) -> Callable:
    return lambda p: bump(p, (70, 300)[SIDE[side]], 0.9, (0, 0.6, 0))


def brow_down(side: str) -> Callable:
    k = SIDE[side]
    return lambda p: bump(p, (105, 334)[k], 1.4, (-SIGN[side] * 0.25, -0.45, 0))


def cheek_puff(p: np.ndarray) -> np.ndarray:
    return bump(bump(p, 207, 1.3, (-0.5, 0, 0.4)), 427, 1.3, (0.5, 0, 0.4))


def cheek_squint(side: str) -> Callable:
    return lambda p: bump(p, (50, 280)[SIDE[side]], 1.0, (0, 0.45, 0.1))


def sneer(side: str) -> Callable:
    return lambda p: bump(p, (129, 358)[SIDE[side]], 0.6, (0, 0.35, 0))


def roll_lower(p: np.ndarray) -> np.ndarray:
    return bump(p, 17, 0.6, (0, 0.3, -0.2))


def roll_upper(p: np.ndarray) -> np.ndarray:
    return bump(p, 0, 0.6, (0, -0.25, -0.2))


def shrug_lower(p: np.ndarray) -> np.ndarray:
    """The chin boss pushes the lower lip up."""
    return bump(move(p, LOWER_LIP, (0, 0.3, 0.05)), 200, 1.0, (0, 0.2, 0.05))


def shrug_upper(p: np.ndarray) -> np.ndarray:
    """Both lips rise together, closed."""
    return bump(bump(p, 0, 1.0, (0, 0.3, 0.1)), 14, 0.8, (0, 0.25, 0.0))


def press(side: str) -> Callable:
    k = SIDE[side]
    return lambda p: bump(
        bump(p, (40, 270)[k], 0.4, (0, -0.15, 0)), (91, 321)[k], 0.4, (0, 0.15, 0)
    )


def lower_down(side: str) -> Callable:
    return lambda p: bump(p, (91, 321)[SIDE[side]], 0.5, (0, -0.4, 0))


def upper_up(side: str) -> Callable:
    # a full raise baring the teeth: 7 mm (the characters' full mouthUpperUp is 9 mm)
    return lambda p: bump(p, (40, 270)[SIDE[side]], 0.6, (0, 0.7, 0))


# name -> (deformation, shapes that must respond, shapes allowed to move along)
EXPRESSIONS: dict[str, tuple[Callable, tuple[str, ...], tuple[str, ...]]] = {
    **{f"blink{s}": (blink(s), (f"eyeBlink{s}",), ()) for s in SIDE},
    **{f"wide{s}": (wide(s), (f"eyeWide{s}",), ()) for s in SIDE},
    **{f"squint{s}": (squint(s), (f"eyeSquint{s}",), (f"eyeBlink{s}",)) for s in SIDE},
    "lookLeft": (look(0.35, 0.0), ("eyeLookOutLeft", "eyeLookInRight"), ()),
    "lookRight": (look(-0.35, 0.0), ("eyeLookOutRight", "eyeLookInLeft"), ()),
    "lookUp": (look(0.0, 0.3), ("eyeLookUpLeft", "eyeLookUpRight"), ()),
    # the lids follow the eyes down: the eyes look half closed (Google's model reads some blink too)
    "lookDown": (
        look(0.0, -0.3),
        ("eyeLookDownLeft", "eyeLookDownRight"),
        ("eyeBlinkLeft", "eyeBlinkRight"),
    ),
    **{
        f"smile{s}": (smile(s), (f"mouthSmile{s}", f"cheekSquint{s}"), (f"mouthStretch{s}",))
        for s in SIDE
    },
    **{f"frown{s}": (frown(s), (f"mouthFrown{s}",), ()) for s in SIDE},
    **{f"stretch{s}": (stretch(s), (f"mouthStretch{s}",), ()) for s in SIDE},
    **{f"dimple{s}": (dimple(s), (f"mouthDimple{s}",), ()) for s in SIDE},
    "pucker": (pucker, ("mouthPucker",), ()),
    # a funnel is puckered lips held open: it may bring the pucker along
    "funnel": (funnel, ("mouthFunnel",), ("mouthPucker",)),
    "jawOpen": (jaw_open, ("jawOpen",), ()),
    **{f"jaw{s}": (jaw_side(s), (f"jaw{s}",), ()) for s in SIDE},
    "jawForward": (jaw_forward, ("jawForward",), ()),
    "mouthClose": (mouth_close, ("mouthClose",), ("jawOpen",)),
    **{f"mouth{s}": (mouth_side(s), (f"mouth{s}",), ()) for s in SIDE},
    "browInnerUp": (brow_inner_up, ("browInnerUp",), ()),
    **{f"browOuterUp{s}": (brow_outer_up(s), (f"browOuterUp{s}",), ()) for s in SIDE},
    **{f"browDown{s}": (brow_down(s), (f"browDown{s}",), ()) for s in SIDE},
    "cheekPuff": (cheek_puff, ("cheekPuff",), ()),
    **{f"cheekSquint{s}": (cheek_squint(s), (f"cheekSquint{s}",), ()) for s in SIDE},
    **{f"noseSneer{s}": (sneer(s), (f"noseSneer{s}",), ()) for s in SIDE},
    "rollLower": (roll_lower, ("mouthRollLower",), ()),
    "rollUpper": (roll_upper, ("mouthRollUpper",), ()),
    # the two shrugs move both lips (they stay closed), so each may bring the other
    # along; the lower lip pushed up also presses against the upper one (AU17
    # squeezes the lips' height as AU24 does; Google's press rises with it too)
    "shrugLower": (
        shrug_lower,
        ("mouthShrugLower",),
        ("mouthShrugUpper", "mouthPressLeft", "mouthPressRight"),
    ),
    "shrugUpper": (shrug_upper, ("mouthShrugUpper",), ("mouthShrugLower",)),
    **{f"press{s}": (press(s), (f"mouthPress{s}",), ()) for s in SIDE},
    **{f"lowerDown{s}": (lower_down(s), (f"mouthLowerDown{s}",), ()) for s in SIDE},
    **{f"upperUp{s}": (upper_up(s), (f"mouthUpperUp{s}",), ()) for s in SIDE},
}
