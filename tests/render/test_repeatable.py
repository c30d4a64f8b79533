"""The same frame gives the same bytes: across renderers, after others closed, whatever came before.

`avatarlink audit` hashes nothing, but its agreement figures are only
repeatable if the renders are. pyrender keeps lights and meshes in sets,
whose order follows the nodes' memory addresses; the renderer must not
inherit that order (the highlight used to come from whichever light was
first, so a renderer rebuilt in the same process could shade differently).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from avatarlink.frame import FaceFrame, quat_from_euler
from avatarlink.render.expressions import expression_frame

SIZE, OTHER = (96, 96), (80, 112)


def _frame() -> FaceFrame:
    frame = expression_frame("surprise")
    frame.head_rotation[:] = quat_from_euler(12.0, -6.0, 3.0)
    return frame


def _render(size: tuple[int, int], frame: FaceFrame) -> np.ndarray:
    from avatarlink.render import Renderer

    with Renderer("pip", size=size) as r:
        return r.render(frame)


def test_a_renderer_made_after_another_was_closed_renders_the_same_bytes() -> None:
    first = _render(SIZE, _frame())
    for _ in range(3):  # each new renderer's nodes land at other addresses
        _render(OTHER, _frame())
        assert np.array_equal(_render(SIZE, _frame()), first)


def test_the_order_pyrender_keeps_lights_and_meshes_in_does_not_change_the_image(
    monkeypatch,
) -> None:
    import pyrender

    from avatarlink.render import Renderer

    with Renderer("pip", size=SIZE) as r:
        first = r.render(_frame())
        lights, meshes = list(r.scene.directional_light_nodes), list(r.scene.mesh_nodes)
        for order in itertools.permutations(lights):
            monkeypatch.setattr(pyrender.Scene, "light_nodes", property(lambda s, o=order: o))
            monkeypatch.setattr(
                pyrender.Scene, "directional_light_nodes", property(lambda s, o=order: o)
            )
            monkeypatch.setattr(pyrender.Scene, "mesh_nodes", property(lambda s: meshes[::-1]))
            assert np.array_equal(r.render(_frame()), first), [n.light.intensity for n in order]


@pytest.mark.parametrize("detour", ["smile", "wink", "anger"])
def test_a_frame_renders_the_same_whatever_frames_came_before(detour) -> None:
    from avatarlink.render import Renderer

    with Renderer("pip", size=SIZE) as fresh:
        before = fresh.render(FaceFrame(0.0, True))
        fresh.render(expression_frame(detour))
        assert np.array_equal(fresh.render(FaceFrame(0.0, True)), before)
