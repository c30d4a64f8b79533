"""Fail closed: a face that leaves, comes back and is joined by a second face.

Real tracker, real renderer. Every output frame is compared with the camera
frame it was made from: none may resemble it. The comparison is checked to
be able to see a leak (a positive control), so a low number means something.
"""

from __future__ import annotations

import numpy as np
import pytest

from avatarlink.pipeline import options
from avatarlink.pipeline.idle import idle_frame
from avatarlink.pipeline.live import LivePipeline
from avatarlink.pipeline.offline import OfflineRender

from .conftest import FPS, count_frames, gray_small, ncc, read_video

LEAK = 0.5
"""Correlation above which an output frame counts as showing its input."""

SIZE = (320, 180)


class _Recording:
    """Wraps the real renderer and keeps the FaceFrames it was asked to draw."""

    def __init__(self, inner, log: list) -> None:
        self._inner = inner
        self._log = log

    def __enter__(self):
        self._renderer = self._inner.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._inner.__exit__(*exc)

    def render(self, frame):
        self._log.append(frame)
        return self._renderer.render(frame)


def _correlations(outputs: list[np.ndarray], inputs: list[np.ndarray]) -> np.ndarray:
    return np.array(
        [ncc(gray_small(o), gray_small(i)) for o, i in zip(outputs, inputs, strict=True)]
    )


@pytest.fixture(scope="module")
def rendered(fail_closed_clip, tmp_path_factory):
    path, inputs, parts = fail_closed_clip
    out = tmp_path_factory.mktemp("failclosed") / "out.mp4"
    drawn: list = []
    make = options.renderer_factory(options.load_character(None), "#3a4a5a")
    with options.open_source(str(path)) as source:
        job = OfflineRender(
            source,
            options.tracker_factory(),
            lambda size: _Recording(make(size), drawn),
            out,
            size=SIZE,
            progress=False,
        )
        result = job.run()
    outputs, fps = read_video(out)
    return result, inputs, parts, outputs, fps, drawn


def test_every_frame_is_rendered_in_order(rendered):
    result, inputs, _, outputs, fps, drawn = rendered
    assert result.frames == len(inputs) == len(outputs) == count_frames(result.path)
    assert fps == pytest.approx(FPS)
    assert [f.time for f in drawn] == pytest.approx([i / FPS for i in range(len(inputs))])


def test_no_output_frame_resembles_its_camera_frame(rendered):
    _, inputs, parts, outputs, _, _ = rendered
    corr = _correlations(outputs, inputs)
    assert corr.max() < LEAK, f"frame {corr.argmax()} correlates {corr.max():.2f} with its input"
    # positive control: a half-transparent leak of the camera frame would be caught
    pairs = zip(outputs, inputs, strict=True)
    leaks = [o.astype(np.float64) * 0.5 + _resize(i, o) * 0.5 for o, i in pairs]
    a, b = parts["two"]
    assert min(_correlations(leaks[a:b], inputs[a:b])) > LEAK
    assert np.median(_correlations(leaks, inputs)) > LEAK


def _resize(image: np.ndarray, like: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.resize(image, (like.shape[1], like.shape[0])).astype(np.float64)


def test_face_lost_gives_the_idle_within_half_a_second(rendered):
    _, _, parts, outputs, _, drawn = rendered
    a, b = parts["gone"]
    settled = [f for f in drawn[a:b] if f.time >= a / FPS + 0.5]
    assert settled and all(not f.tracked for f in settled)
    for f in settled:
        idle = idle_frame(f.time)
        assert np.allclose(f.blendshapes, idle.blendshapes, atol=1e-5)
        assert np.allclose(f.head_rotation, idle.head_rotation, atol=1e-5)
    # the idle is alive: the character's image keeps changing while no face is seen
    still = [o.astype(np.float64) for o in outputs[a + 15 : b]]
    assert max(np.abs(x - still[0]).mean() for x in still) > 0.2


def test_face_is_found_before_and_after(rendered):
    _, _, parts, _, _, drawn = rendered
    for part in ("face", "back", "again"):
        a, b = parts[part]
        found = np.mean([f.tracked for f in drawn[a:b]])
        assert found > 0.8, f"face found in only {found:.0%} of the {part!r} frames"


def test_live_pipeline_never_shows_a_camera_frame(fail_closed_clip):
    """The threaded pipeline too: every frame that reaches a sink is compared with every input."""
    path, inputs, _ = fail_closed_clip
    shown: list[np.ndarray] = []

    class Collect:
        def write(self, image):
            shown.append(image.copy())

        def poll(self):
            return None

        def close(self):
            return None

    make = options.renderer_factory(options.load_character(None), "#3a4a5a")
    with options.open_source(str(path)) as source:
        pipeline = LivePipeline(source, options.tracker_factory(), lambda: make(SIZE), pace=True)
        report = pipeline.run([Collect()])
    assert report.captured == len(inputs)
    assert shown and report.processed > 0  # how many depends on the machine, not the test
    small_inputs = [gray_small(i) for i in inputs]
    worst = max(ncc(gray_small(o), i) for o in shown for i in small_inputs)
    assert worst < LEAK
