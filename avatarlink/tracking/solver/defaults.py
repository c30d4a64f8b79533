"""Default neutral (``rest``) and full-expression distance (``span``) per driver.

Units are those of each driver (head units or eye widths, see the region
modules). ``rest`` is a typical adult's relaxed face; the tracker refines it
per person while it runs (see :mod:`avatarlink.tracking.neutral`) and a
calibration profile replaces it. ``span`` is how far a full expression moves
the driver on a typical face.
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking.solver import DRIVER_NAMES

_BOTH = ("Left", "Right")
_TABLE: dict[str, tuple[float, float]] = {
    **{f"eyeBlink{s}": (-0.40, 0.35) for s in _BOTH},
    **{f"eyeLookDown{s}": (0.0, 0.08) for s in _BOTH},
    **{f"eyeLookUp{s}": (0.0, 0.08) for s in _BOTH},
    **{f"eyeLookIn{s}": (0.0, 0.15) for s in _BOTH},
    **{f"eyeLookOut{s}": (0.0, 0.15) for s in _BOTH},
    **{f"eyeSquint{s}": (-0.12, 0.08) for s in _BOTH},
    **{f"eyeWide{s}": (0.15, 0.08) for s in _BOTH},
    "jawForward": (-0.30, 0.15),
    "jawLeft": (0.02, 0.10),
    "jawRight": (0.02, 0.10),
    "jawOpen": (1.75, 0.50),
    "mouthClose": (0.0, 1.0),
    "mouthFunnel": (0.35, 0.50),
    "mouthPucker": (-1.00, 0.20),
    "mouthLeft": (0.03, 0.10),
    "mouthRight": (0.03, 0.10),
    **{f"mouthSmile{s}": (0.50, 0.20) for s in _BOTH},
    **{f"mouthFrown{s}": (0.0, 0.10) for s in _BOTH},
    **{f"mouthDimple{s}": (0.18, 0.10) for s in _BOTH},
    **{f"mouthStretch{s}": (1.28, 0.15) for s in _BOTH},
    "mouthRollLower": (-0.15, 0.10),
    "mouthRollUpper": (-0.07, 0.07),
    "mouthShrugLower": (0.62, 0.15),
    "mouthShrugUpper": (-1.28, 0.10),
    **{f"mouthPress{s}": (-0.10, 0.10) for s in _BOTH},
    **{f"mouthLowerDown{s}": (0.45, 0.20) for s in _BOTH},
    **{f"mouthUpperUp{s}": (-1.33, 0.10) for s in _BOTH},
    **{f"browDown{s}": (-0.42, 0.10) for s in _BOTH},
    "browInnerUp": (0.25, 0.12),
    **{f"browOuterUp{s}": (0.26, 0.10) for s in _BOTH},
    "cheekPuff": (0.78, 0.10),
    **{f"cheekSquint{s}": (-0.49, 0.05) for s in _BOTH},
    **{f"noseSneer{s}": (-0.73, 0.05) for s in _BOTH},
    "tongueOut": (0.20, 0.30),
    "lipGap": (0.02, 0.30),
}

DEFAULT_REST = np.array([_TABLE[n][0] for n in DRIVER_NAMES])
DEFAULT_SPAN = np.array([_TABLE[n][1] for n in DRIVER_NAMES])
