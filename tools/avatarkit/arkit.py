"""Each ARKit blendshape as a change of face-rig parameters.

"Left" is the character's own left (+X). Distances in metres, lid angles in
degrees. The values are tuned on the preview sheets so that each shape at
weight 1 is clearly visible at 320x240 yet stays on the face, and checked with
tools/probe_legibility.py: what a machine face reader takes the shape for.
"""

from __future__ import annotations

from avatarlink.frame import ARKIT_NAMES


def _sided(name: str, side: str) -> dict[str, float]:
    s = side
    sign = 1.0 if s == "L" else -1.0  # +1: towards +X
    # looking towards +X tilts the lid opening towards +X
    look_in = -sign  # the nose is at x = 0
    table: dict[str, dict[str, float]] = {
        "eyeBlink": {f"blink_{s}": 1.0},
        "eyeLookDown": {f"lid_up_{s}": -14.0, f"lid_low_{s}": -6.0},
        "eyeLookIn": {f"lid_tilt_{s}": 10.0 * look_in},
        "eyeLookOut": {f"lid_tilt_{s}": -10.0 * look_in},
        "eyeLookUp": {f"lid_up_{s}": 9.0, f"lid_low_{s}": 4.0},
        "eyeSquint": {f"lid_low_{s}": 42.0, f"lid_up_{s}": -18.0, f"cheek_raise_{s}": 0.5},
        "eyeWide": {f"lid_up_{s}": 17.0, f"lid_low_{s}": -5.0},
        "mouthSmile": {
            f"corner_up_{s}": 0.0095,
            f"corner_out_{s}": 0.005,
            f"cheek_raise_{s}": 0.5,
            f"lower_down_{s}": 0.0012,
        },
        "mouthFrown": {
            # corners 12 mm down (8.5 mm read at gain 0.41 on real faces' frown)
            f"corner_up_{s}": -0.012,
            f"corner_out_{s}": 0.005,
            f"lower_down_{s}": -0.001,
        },
        "mouthDimple": {f"corner_back_{s}": 0.0025, f"corner_out_{s}": 0.0035, f"dimple_{s}": 1.0},
        # corners 9 mm out (6 mm read at gain 0.52 on real faces' stretch)
        "mouthStretch": {
            f"corner_out_{s}": 0.009,
            f"corner_up_{s}": -0.0045,
            f"lower_down_{s}": 0.00375,
        },
        "mouthPress": {f"press_{s}": 1.0},
        "mouthLowerDown": {f"lower_down_{s}": 0.0075},
        "mouthUpperUp": {f"upper_up_{s}": 0.009},
        # 15 mm (12 mm read at gain 0.24 on real faces' browDown; 19.5 mm read at
        # 0.38 but covered the lids: the video frames' blink and gaze read worse)
        "browDown": {f"brow_down_{s}": 0.015, f"lid_up_{s}": -18.0},
        "browOuterUp": {f"brow_outer_{s}": 0.012},
        "cheekSquint": {f"cheek_raise_{s}": 1.0, f"lid_low_{s}": 6.0},
        "noseSneer": {f"sneer_{s}": 1.0, f"upper_up_{s}": 0.002, f"brow_down_{s}": 0.002},
    }
    return table[name]


SYMMETRIC: dict[str, dict[str, float]] = {
    "jawForward": {"jaw_fwd": 0.008},
    "jawLeft": {"jaw_x": 0.009},
    "jawRight": {"jaw_x": -0.009},
    "jawOpen": {"jaw": 1.0},
    "mouthClose": {"lip_close": 1.0},
    "mouthFunnel": {"funnel": 1.0},
    "mouthPucker": {"pucker": 1.0},
    "mouthLeft": {"mouth_x": 0.01},
    "mouthRight": {"mouth_x": -0.01},
    "mouthRollLower": {"lower_thin": 1.0},
    "mouthRollUpper": {"upper_thin": 1.0},
    "mouthShrugLower": {"lower_raise": 0.0035, "lower_fwd": 0.0025},
    "mouthShrugUpper": {"upper_raise": 0.0025, "upper_fwd": 0.002},
    # 17 mm at the inner head (11 mm read at gain 0.22 on real faces' browInnerUp)
    "browInnerUp": {"brow_inner_L": 0.017, "brow_inner_R": 0.017},
    "cheekPuff": {"cheek_puff": 1.0, "pucker": 0.25},
    # jaw 0.1: the same ~4.6 mm chin drop as 0.12 of the former 38 mm jaw travel,
    # so the tongue still clears the lips (tests/avatars)
    "tongueOut": {"tongue_out": 1.0, "lower_down_L": 0.004, "lower_down_R": 0.004, "jaw": 0.1},
}


def shape_params(name: str) -> dict[str, float]:
    """Rig parameter changes of one ARKit shape at weight 1."""
    if name in SYMMETRIC:
        return SYMMETRIC[name]
    for suffix, side in (("Left", "L"), ("Right", "R")):
        if name.endswith(suffix):
            return _sided(name[: -len(suffix)], side)
    raise KeyError(name)


ALL_SHAPES: dict[str, dict[str, float]] = {name: shape_params(name) for name in ARKIT_NAMES}
