"""Jaw, lips and mouth corners from the head-frame mesh.

All positions are in head units relative to the rigid skull, so the jaw
dropping, the lips moving and the corners rising are told apart by which
points move, not by where the face is in the picture. Sided values are
arrays over (right, left).
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking import mesh

SIDES = ("Right", "Left")
_OUTWARD = np.array([-1.0, 1.0])
_SIDED = tuple(
    np.array(p)
    for p in (
        mesh.MOUTH_CORNER, mesh.LIP_UPPER_SIDE, mesh.LIP_LOWER_SIDE,
    )
)  # fmt: skip
_CENTRE = np.array(
    [
        mesh.LIP_UPPER_OUTER,
        mesh.LIP_UPPER_INNER,
        mesh.LIP_LOWER_INNER,
        mesh.LIP_LOWER_OUTER,
        mesh.CHIN,
    ]
)

_OUTER, _INNER = np.array(mesh.LIPS_OUTER), np.array(mesh.LIPS_INNER)


def _area(p: np.ndarray) -> float:
    """Area of a closed polygon in the face's plane (x, y), by the shoelace formula."""
    x, y = p[:, 0], p[:, 1]
    return 0.5 * abs(float(x @ np.roll(y, -1) - y @ np.roll(x, -1)))


_SCALAR = (
    "jawOpen", "jawLeft", "jawRight", "jawForward", "mouthClose", "mouthLeft", "mouthRight",
    "mouthRollUpper", "mouthRollLower", "mouthShrugUpper", "mouthShrugLower",
    "mouthPucker", "mouthFunnel", "lipGap",
)  # fmt: skip
_PER_SIDE = (
    "mouthSmile", "mouthFrown", "mouthStretch", "mouthDimple", "mouthPress",
    "mouthLowerDown", "mouthUpperUp",
)  # fmt: skip
NAMES: tuple[str, ...] = (*_SCALAR, *(f"{s}{side}" for s in _PER_SIDE for side in SIDES))
# The lips count as apart (for a funnel) from this gap between the inner lips
# on, fully apart this much further (head units; lipGap's default rest and span).
LIPS_APART = (0.04, 0.12)
# How much the upper lip's height (outer to inner edge, head units) counts
# towards mouthPucker against the mouth's width. Of 0.25, 0.5 and 1 (each
# raises the r over the 50 photos, 0.86 -> 0.89-0.91) 0.5 does best on the clips
# (pooled r 0.826 -> 0.832); the lips are ~0.1 high against a ~0.9 width.
PUCKER_FULLNESS = 0.5
# How much the upper lip's middle pushed forward (its depth against the rigid
# skull, head units) counts towards mouthPucker: AU18's orbicularis pushes the
# lips out as it narrows them. 0.5 (a 0.05 protrusion, ~3 mm, as much as a
# 0.05 narrowing) raises the pooled r over the clips' frames 0.827 -> 0.840
# and over the 146 photos 0.71 -> 0.72; 1 adds nothing more and 2 loses (0.80),
# the lips' depth carrying more of the face mesh's depth noise than its width.
PUCKER_PROTRUSION = 0.5
# The share of mouthPucker's width measured across the inner lip contour (the
# opening the lips' sphincter closes) rather than between the outer corners
# (which the cheek's skin around them also moves). Half and half: the worst
# clip's r 0.63 -> 0.71, the 146 photos' 0.723 -> 0.730 (identity 0.445 ->
# 0.477, emotion 0.896 -> 0.887); the clips' pooled r 0.840 -> 0.838 raw,
# 0.84 filtered either way. All inner (1.0): the worst clip 0.75 but pooled 0.815.
PUCKER_INNER_WIDTH = 0.5
# The inner width is read from the spread of all the inner contour's points
# across the face (the width of an ellipse with that spread: 2 sqrt 2 times
# its RMS), not from the two inner corners alone, where the contours meet and
# the mesh places them least surely: over the 146 photos r 0.730 -> 0.750
# (identity 0.477 -> 0.490, emotion 0.887 -> 0.907), the clips' pooled raw
# r 0.838 -> 0.841.
INNER_SPREAD_WIDTH = 2.0 * np.sqrt(2.0)
# How much of the corners' outward and backward pull a smile's driver counts
# against their rise. Zygomaticus draws the corners up towards the
# cheekbones (so also back along the cheek's curve); risorius, a stretch (AU20,
# fear's), draws them out and often down. Out at 0.5 and back at 0.25 (before)
# read stretched mouths as smiles; out at 0.25 and back at 1 follow Google's
# smile better (raw r over the clips' frames 0.840 -> 0.856, over the
# identity photos 0.870 -> 0.899): its reading rises with the pull back.
SMILE_OUT = 0.25
SMILE_BACK = 1.0
# The pull back counts towards a smile at most this many times the rest of
# the smile's driver above its rest (the rise): pulled back without rising, the
# corners are a dimple (buccinator), or a stretch along the cheek.
BACK_PER_RISE = 2.0
# A smile that raises no cheek counts this share of its corners' movement, and
# all of it from a cheekSquint of SMILE_FULL_CHEEK on (the two cheeks' mean).
# The corners alone are ambiguous: a crying or frightened mouth pulled wide
# and back, lips bowed, reads as a third of a smile, where Google's model
# (reading the face's skin, not its outline) sees none; the cheek raiser
# (AU6) comes with a smile. Over the clips' frames the smile's pooled r rises
# 0.892/0.900 -> 0.903/0.917 (left/right; its one-clip-out range 0.870-0.906
# / 0.843-0.917 -> 0.883-0.917 / 0.863-0.934), over the emotion photos
# 0.806/0.854 -> 0.837/0.862, the identity photos 0.900/0.880 -> 0.894/0.885;
# on the emotion photos the mean smile of sad faces falls 0.32 -> 0.24 (Google
# 0.05), of fearful ones 0.33 -> 0.25 (0.12), of happy ones 0.94 -> 0.92 (0.76).
# Between 0.6 and 0.8 and 0.2 and 0.5 every pair gave the clips 0.898-0.903.
SMILE_WITHOUT_CHEEK = 0.7
SMILE_FULL_CHEEK = 0.5
# A jaw opening with no smile parts the lips below the corners more than above
# them: the corners sit this much of the gap below the lips' midline, so the
# smile counts their rise from there (over the 146 photos of faces/ the smile's
# r against Google's rose 0.815/0.839 -> 0.828/0.851 at 0.05, the clips' pooled
# 0.88/0.90 -> 0.89/0.90; at 0.1 the open-mouthed smiles of the yawning clip
# fell, its right smile 0.94 -> 0.84).
SMILE_GAP_DROP = 0.05
# How much of one corner's own outward pull, beyond the two corners' mean, its
# stretch counts. Measured from the lips' centre line, one corner's gain is the
# other's loss when the head's yaw is a little off or the mouth sits a little
# aside: neutral photos read stretch 0.15 on one side, 0.00 on the other. At
# 0.5 (with the smile explaining half as much of it, see the solver) the
# stretch's r against Google over the 146 photos went 0.07/0.37 -> 0.41/0.58,
# over the clips' frames 0.58/0.76 -> 0.64/0.78.
STRETCH_OWN_SIDE = 0.5


def drivers(h: np.ndarray) -> np.ndarray:
    """One number per mouth shape (in :data:`NAMES` order), growing with its movement."""
    up_out, up_in, lo_in, lo_out, chin = h[_CENTRE]
    corner, up_side, lo_side = (h[i] for i in _SIDED)
    gap = up_in[1] - lo_in[1]
    width = np.sqrt(((corner[1] - corner[0]) ** 2).sum())
    inner_width = INNER_SPREAD_WIDTH * h[_INNER, 0].std()
    chin_drop = -chin[1]
    lower_lip_drop = -(lo_in[1] + lo_out[1]) / 2
    mouth_x = (up_out[0] + up_in[0]) / 2  # the upper lip: the jaw moves the lower lip, not this
    centre_x = (up_out[0] + lo_out[0]) / 2
    centre_z = (up_out[2] + lo_out[2]) / 2
    corner_y = corner[:, 1] - (up_in[1] + lo_in[1]) / 2  # against the lips' midline
    corner_rise = corner[:, 1]  # against the skull
    # outward from the lips' centre line, so a mouth or jaw moved sideways is no smile
    corner_out = (corner[:, 0] - centre_x) * _OUTWARD
    corner_back = -(corner[:, 2] - centre_z)  # behind the lips' centre
    stretch_out = STRETCH_OWN_SIDE * corner_out + (1 - STRETCH_OWN_SIDE) * corner_out.mean()
    scalar = [
        # the lower lip rides on the jaw and is tracked more precisely than the chin
        (2 * lower_lip_drop + chin_drop) / 3,
        chin[0],
        -chin[0],
        chin[2],
        chin_drop,  # mouthClose: the jaw's own drop; the solver keeps what the lips' gap leaves
        mouth_x,
        -mouth_x,
        -(up_out[1] - up_in[1]),  # lips rolled in look thinner
        -(lo_in[1] - lo_out[1]),
        up_out[1] - gap,  # the upper lip rising with the mouth closed
        lo_in[1] + chin_drop,  # the inner lower lip pushed up against the jaw
        # puckered lips are narrow, closed or parted: parted they are also a
        # funnel (FACS lip pucker and funnel come together; so does Google's model).
        # Pushed together they also bunch up: the upper lip's red grows taller
        # (and Google's model reads full lips as a little pucker at rest).
        # And pushed forward (see PUCKER_PROTRUSION).
        # The width is the outer corners' and the inner contour's (see PUCKER_INNER_WIDTH).
        -((1 - PUCKER_INNER_WIDTH) * width + PUCKER_INNER_WIDTH * inner_width)
        + PUCKER_FULLNESS * (up_out[1] - up_in[1])
        + PUCKER_PROTRUSION * up_out[2],
        # funnelled lips are flared (everted) into an "O": more of their red shows for
        # the mouth's width (the vermilion's area, between the outer and inner lip
        # contours, over the width squared: dimensionless). The solver keeps it
        # only with the lips apart: closed, that is a pucker's bunched lips.
        (_area(h[_OUTER]) - _area(h[_INNER])) / (width * width),
        gap,
    ]
    per_side = [
        # smile: the corners drawn up towards the cheekbones, so also out and
        # back along the cheek's curve (see SMILE_OUT; the solver counts the
        # pull back only with a rise, see BACK_PER_RISE)
        SMILE_OUT * corner_out + corner_y - SMILE_GAP_DROP * gap + SMILE_BACK * corner_back,
        -corner_rise - 0.4 * chin_drop,  # frown: down; an opening jaw takes them 0.4 as far
        # stretch: out, neither up nor down; both corners' pull, and this one's
        # own only in part (see STRETCH_OWN_SIDE)
        stretch_out - 0.8 * np.abs(corner_y),
        corner_back,  # dimple: corners pulled back
        # press: the lips pushed together, their whole height at the sides (the
        # gap included) shrinks. Their thickness alone (the gap left out) also
        # thins when a stretched or open mouth pulls them taut, which read as a
        # press on fear's open mouths (r against Google's over the clips' frames
        # 0.00, over the photos -0.09; with the gap 0.33 and 0.46)
        lo_side[:, 1] - up_side[:, 1],
        -lo_side[:, 1] - chin_drop,  # lower lip's sides down against the jaw
        up_side[:, 1],  # upper lip's sides up (on the skull already)
    ]
    return np.concatenate([np.array(scalar), *per_side])
