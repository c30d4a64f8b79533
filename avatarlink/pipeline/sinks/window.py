"""A desktop window that OBS's Window Capture can select.

It uses OpenCV's highgui (Qt, from mediapipe's opencv-contrib wheel). Its
title is always ``avatarlink`` so a saved OBS scene finds it again; it has no
toolbar or status bar, so the captured area holds only the character.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

import numpy as np

from avatarlink.errors import UserError
from avatarlink.pipeline.sinks import Action

WINDOW_TITLE = "avatarlink"
KEYS_HELP = "q or Esc quits, c recalibrates"


def _x_display_reachable(name: str) -> bool:
    """Ask Xlib itself: Qt aborts the whole process when the display is missing."""
    lib = ctypes.util.find_library("X11")
    if lib is None:
        return False
    xlib = ctypes.CDLL(lib)
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    handle = xlib.XOpenDisplay(name.encode())
    if not handle:
        return False
    xlib.XCloseDisplay(handle)
    return True


def check_display() -> None:
    """Raise one clear line when no window can be opened here."""
    display = os.environ.get("DISPLAY", "")
    if not display:
        if os.environ.get("WAYLAND_DISPLAY"):
            raise UserError(
                "--window needs X11 or XWayland (DISPLAY is unset); "
                "use --virtual-camera or --record OUT.mp4 instead"
            )
        raise UserError(
            "--window needs a desktop session, and this machine has no display "
            "(DISPLAY and WAYLAND_DISPLAY are unset); use --virtual-camera or --record OUT.mp4"
        )
    if not _x_display_reachable(display):
        raise UserError(f"--window cannot open a window: the display {display} cannot be reached")


class WindowSink:
    """Shows the character; ``poll`` turns keys and closing the window into actions."""

    def __init__(self, size: tuple[int, int], title: str = WINDOW_TITLE) -> None:
        check_display()
        import cv2

        self._cv2 = cv2
        self.title = title
        cv2.namedWindow(title, cv2.WINDOW_AUTOSIZE | cv2.WINDOW_GUI_NORMAL)
        # Blank at its final size from the start, so a capture region set up in
        # OBS before the character appears does not change.
        self.write(np.zeros((size[1], size[0], 3), np.uint8))
        cv2.waitKey(1)

    def write(self, image: np.ndarray) -> None:
        self._cv2.imshow(self.title, self._cv2.cvtColor(image[..., :3], self._cv2.COLOR_RGB2BGR))

    def poll(self) -> Action | None:
        key = self._cv2.waitKey(1)
        if key != -1:
            char = key & 0xFF
            if char in (ord("q"), ord("Q"), 27):
                return "quit"
            if char in (ord("c"), ord("C")):
                return "recalibrate"
        if self._cv2.getWindowProperty(self.title, self._cv2.WND_PROP_VISIBLE) < 1:
            return "quit"  # closed with the title bar's button
        return None

    def close(self) -> None:
        self._cv2.destroyWindow(self.title)
        self._cv2.waitKey(1)
