"""avatarlink: be seen and heard without being identified.

The webcam face becomes a stylized character and the voice a shifted voice;
only expression numbers (see :class:`avatarlink.frame.FaceFrame`) flow between
stages, never camera pixels or raw landmarks.
"""

__version__ = "0.1.0"
