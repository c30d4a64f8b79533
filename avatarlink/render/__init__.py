"""Headless rendering of a character from FaceFrames (pyrender, EGL or OSMesa).

Importing this package does not load OpenGL: the platform is fixed when the
first :class:`Renderer` is made (``platform=`` argument, else the
``AVATARLINK_GL`` variable, else EGL when present, else OSMesa).
"""

from avatarlink.render.gl import select_platform
from avatarlink.render.renderer import BACKGROUNDS, Renderer, parse_background

__all__ = ["BACKGROUNDS", "Renderer", "parse_background", "select_platform"]
