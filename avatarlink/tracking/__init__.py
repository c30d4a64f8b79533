"""Face tracking: camera or video in, FaceFrames (52 ARKit shapes, head pose, gaze) out.

Public API::

    from avatarlink.tracking import open_source, FaceTracker, LandmarkDetector

Landmarks never leave this package except through :class:`LandmarkDetector`
(for the privacy audit's landmark baseline and its attacker).
"""

from avatarlink.tracking.detector import LandmarkDetector
from avatarlink.tracking.sources import FrameSource, open_source
from avatarlink.tracking.tracker import FaceTracker

__all__ = ["FaceTracker", "FrameSource", "LandmarkDetector", "open_source"]
