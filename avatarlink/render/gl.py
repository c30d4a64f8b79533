"""Choosing the headless OpenGL platform (EGL or OSMesa) before OpenGL loads.

PyOpenGL binds its platform once, when ``OpenGL`` is first imported, from the
``PYOPENGL_PLATFORM`` variable; after that it cannot change in the process.
So the choice is made here, before anything imports pyrender: the
``AVATARLINK_GL`` variable or the ``platform`` argument wins, else EGL when
libEGL is present, else OSMesa.
"""

from __future__ import annotations

import ctypes.util
import os
import sys

from avatarlink.errors import UserError

PLATFORMS = ("egl", "osmesa")
_LIBRARIES = {"egl": "EGL", "osmesa": "OSMesa"}


def available(platform: str) -> bool:
    return ctypes.util.find_library(_LIBRARIES[platform]) is not None


def select_platform(requested: str | None = None) -> str:
    """Fix the GL platform for this process and return it ("egl" or "osmesa")."""
    wanted = requested or os.environ.get("AVATARLINK_GL") or None
    if wanted is not None:
        wanted = wanted.lower()
        if wanted not in PLATFORMS:
            raise UserError(f"unknown GL platform {wanted!r}; use one of: {', '.join(PLATFORMS)}")
    current = os.environ.get("PYOPENGL_PLATFORM")
    if "OpenGL" in sys.modules:
        if current not in PLATFORMS:
            raise UserError(
                "OpenGL was loaded before the renderer could choose a headless platform; "
                "set AVATARLINK_GL=egl (or osmesa) in the environment"
            )
        if wanted is not None and wanted != current:
            raise UserError(
                f"this process already renders with {current}; start a new process with "
                f"AVATARLINK_GL={wanted} to use {wanted}"
            )
        return current
    if wanted is None:
        if current in PLATFORMS:
            wanted = current
        else:
            wanted = next((p for p in PLATFORMS if available(p)), None)
            if wanted is None:
                raise UserError(
                    "no headless OpenGL found: install libegl1 and libgl1-mesa-dri (EGL) "
                    "or libosmesa6 (OSMesa)"
                )
    if not available(wanted):
        package = "libegl1 libgl1-mesa-dri" if wanted == "egl" else "libosmesa6"
        raise UserError(f"GL platform {wanted} is not installed (install {package})")
    os.environ["PYOPENGL_PLATFORM"] = wanted
    return wanted


def check_pyopengl(platform: str) -> None:
    """PyOpenGL 3.1.0 (pyrender's pin) lacks the OSMesa call pyrender needs."""
    if platform != "osmesa":
        return
    import OpenGL.osmesa

    if not hasattr(OpenGL.osmesa, "OSMesaCreateContextAttribs"):
        import OpenGL

        raise UserError(
            f"OSMesa rendering needs PyOpenGL >= 3.1.5 (found {OpenGL.__version__}); "
            "run: .venv/bin/pip install --no-deps 'PyOpenGL==3.1.7'"
        )


def leave_a_core_for_tracking() -> None:
    """Let software GL (llvmpipe) use all cores but one, before the first renderer starts.

    In the live pipeline the tracker thread needs a core of its own while the
    renderer draws; llvmpipe's default (one rasteriser thread per core) then
    fights it as soon as anything else runs, as a video call or OBS does. On
    2 cores with two background jobs, one thread gave 27.8 fps end to end
    against 22.8; on an idle machine it costs about 1 fps (26.0-26.9 against
    26.4-28.3), so the steadier choice is the default (tools/bench.py).
    llvmpipe reads ``LP_NUM_THREADS`` once, when GL starts; a GPU driver
    ignores it, and a value the user set is kept.
    """
    os.environ.setdefault("LP_NUM_THREADS", str(max(1, (os.cpu_count() or 2) - 1)))
