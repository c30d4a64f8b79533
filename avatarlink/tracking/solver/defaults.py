"""Default neutral (``rest``) and full-expression distance (``span``) per driver.

Units are those of each driver (head units or eye widths, see the region
modules). ``rest`` is a typical relaxed face as MediaPipe's face mesh sees it
(rounded medians over a few people's frontal clips); the tracker refines it per
person while it runs (see :mod:`avatarlink.tracking.neutral`) and a
calibration profile replaces it. ``span`` is how far a full expression moves
the driver: about a centimetre of skin movement on an adult face for the
mouth, less for brows and lids (head units are ~6 cm: the rigid points' RMS radius).
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking.solver import DRIVER_NAMES, eyes
from avatarlink.tracking.solver.mouth import LIPS_APART

_BOTH = ("Left", "Right")
_TABLE: dict[str, tuple[float, float]] = {
    **{f"eyeBlink{s}": (-0.33, 0.35) for s in _BOTH},
    # Down counts from where the iris sits looking into the camera (0.06 eye
    # widths above the corners: the median over the photos of 50 people in
    # shared/data faces/emotion); the clips' people mostly read below the
    # camera, which had set it at 0.04. Up keeps 0.04: a gaze a little above
    # straight already reads as some Up (and still as some Down) to Google's model.
    **{f"eyeLookDown{s}": (-0.06, 0.10) for s in _BOTH},
    **{f"eyeLookUp{s}": (0.04, 0.10) for s in _BOTH},
    **{f"eyeLookIn{s}": (-0.03, 0.15) for s in _BOTH},
    **{f"eyeLookOut{s}": (0.03, 0.15) for s in _BOTH},
    # Google's reading against the driver, a line fitted over the clips' frames
    # and over the identity photos alike: zero at -0.18, full 0.20-0.26 further
    # (was -0.10 and 0.08: a relaxed eye read 0.14 less squint than Google's,
    # a narrowed one saturated; pooled r on the clips 0.74 -> 0.88)
    **{f"eyeSquint{s}": (-0.18, 0.22) for s in _BOTH},
    # the upper lid's height over the iris (not the corners). For a face with
    # no learned rest (a photo, the first seconds): the upper quartile of the
    # identity photos without a smile (0.135; their median 0.12, the clips'
    # median too, left half of all relaxed eyes a little wide); the span is the
    # eye's anatomy (eyes.WIDE_SPAN)
    **{f"eyeWide{s}": (0.135, eyes.WIDE_SPAN) for s in _BOTH},
    "jawForward": (0.00, 0.15),
    "jawLeft": (0.00, 0.10),
    "jawRight": (0.00, 0.10),
    "jawOpen": (1.78, 0.50),
    "mouthClose": (2.30, 0.25),
    # the vermilion's area over the mouth's width squared: the median over the
    # photos of 50 people (0.23; their 7 neutral faces: 0.245). Not learned per
    # person: Google's model reads full lips as a little funnel too.
    # The span: at 0.25 ours saturated (0.25 above rest) where Google still
    # reads only a 0.2-0.4 funnel: over the clips' lips-apart frames its
    # funnel rises 0.06 at 0.22 to 0.45 at 0.55, a full one ~0.8 above rest.
    # The raw pooled r over the clips grows 0.750 / 0.761 / 0.769 at spans
    # 0.25 / 0.3 / 0.4 and stays from there; 0.35 (filtered r 0.76 -> 0.78)
    # keeps the synthetic funnel, whose flare is ~0.19, a full movement.
    "mouthFunnel": (0.24, 0.35),
    # minus the mean of the outer corners' and the inner contour's widths plus
    # half the upper lip's height and half its depth: the median over the
    # neutral photos of the 7 people in faces/emotion (-0.535; with the inner
    # corners' width -0.578; with the outer width alone -0.622; without the
    # depth -0.864; the width alone: 0.915, where the clips had set it at
    # 0.98, so a relaxed mouth of a narrower face read as a 0.35 pucker)
    "mouthPucker": (-0.535, 0.20),
    "mouthLeft": (0.00, 0.10),
    "mouthRight": (0.00, 0.10),
    # where Google reads no smile (< 0.05) the driver's median is 0.40 over the
    # clips' frames and 0.42 over the identity photos; Google's slope against
    # it gives a full smile 0.37-0.39 further, and the span is that over 1.7,
    # as before the driver counted less of the outward pull (0.35 over 0.20)
    **{f"mouthSmile{s}": (0.39, 0.22) for s in _BOTH},
    # the neutral photos' median (0.50) plus the spread of that median across
    # people (0.05): with the median alone, half of all relaxed mouths read as
    # a frown (a 0.27 mean over the neutral photos; now 0.08)
    **{f"mouthFrown{s}": (0.55, 0.10) for s in _BOTH},
    **{f"mouthDimple{s}": (0.29, 0.10) for s in _BOTH},
    # The rests below are for a face with no learned rest (a photo, the first
    # seconds; the auto-neutral learns the lips', nose's and cheeks' own):
    # relaxed faces, the 37 identity photos where Google reads no smile
    # (< 0.1), read about zero. The stretch's rest is their median (the
    # clips' too: 0.47; was 0.42, a relaxed mouth read a 0.17 stretch against
    # Google's 0.06)
    **{f"mouthStretch{s}": (0.47, 0.12) for s in _BOTH},
    "mouthRollLower": (-0.20, 0.06),
    "mouthRollUpper": (-0.12, 0.05),
    "mouthShrugLower": (0.71, 0.10),
    # its driver subtracts the lips' gap, so its rest is that of the clips'
    # closed-mouth frames (gap < 0.06; median of the per-clip medians), not of their talking
    "mouthShrugUpper": (-1.32, 0.10),
    # minus the lips' height at the sides: the upper quartile of the 37 relaxed
    # identity photos (median -0.18, the 7 neutral photos' -0.19); a full press
    # flattens the lips to about half their relaxed height
    **{f"mouthPress{s}": (-0.15, 0.08) for s in _BOTH},
    # upper quartile -0.71 (was -0.79: a relaxed lower lip read 0.26 against
    # Google's 0.09); the clips' learned rests sit at -0.72
    **{f"mouthLowerDown{s}": (-0.72, 0.12) for s in _BOTH},
    # upper quartile (was -1.35, their median). Span 0.20 (was 0.10, when the
    # smile explained half of it): the happiness and disgust photos then read
    # Google's level (0.55/0.51 and 0.20/0.23 against 0.46/0.41 and 0.19/0.22)
    **{f"mouthUpperUp{s}": (-1.31, 0.20) for s in _BOTH},
    **{f"browDown{s}": (-0.52, 0.06) for s in _BOTH},
    "browInnerUp": (0.33, 0.12),
    **{f"browOuterUp{s}": (0.27, 0.10) for s in _BOTH},
    "cheekPuff": (0.90, 0.10),
    # cheeks and nose: the upper quartile of those photos (were -0.53 and
    # -0.72, lower than their median: every relaxed face read a 0.4 cheek raise
    # and nose wrinkle, a smile and a sneer to a face reader)
    **{f"cheekSquint{s}": (-0.49, 0.07) for s in _BOTH},
    **{f"noseSneer{s}": (-0.68, 0.05) for s in _BOTH},
    "tongueOut": (0.20, 0.30),
    "lipGap": LIPS_APART,
}

DEFAULT_REST = np.array([_TABLE[n][0] for n in DRIVER_NAMES])
DEFAULT_SPAN = np.array([_TABLE[n][1] for n in DRIVER_NAMES])
