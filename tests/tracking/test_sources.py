"""Frame sources and their one-line errors."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from avatarlink.errors import UserError
from avatarlink.tracking import open_source
from avatarlink.tracking.sources import CAMERA_MAX_FAILED_READS, CaptureSource


def write_video(path: Path, frames: int = 12, fps: float = 25.0) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (64, 48))
    for i in range(frames):
        writer.write(np.full((48, 64, 3), (i * 20) % 255, np.uint8))
    writer.release()
    return path


def test_video_file(tmp_path):
    with open_source(write_video(tmp_path / "clip.mp4")) as src:
        assert src.fps == pytest.approx(25.0)
        assert src.frame_count == 12
        frames = list(src)
    assert len(frames) == 12
    times = [t for t, _ in frames]
    assert times[0] == 0.0 and times[1] == pytest.approx(0.04)
    rgb = frames[0][1]
    assert rgb.dtype == np.uint8 and rgb.shape == (48, 64, 3)


def test_folder_of_images_in_name_order(tmp_path):
    for i, value in enumerate((10, 200, 100)):
        img = np.zeros((20, 30, 3), np.uint8)
        img[..., 2] = value  # red in BGR
        cv2.imwrite(str(tmp_path / f"f{i:02d}.png"), img)
    (tmp_path / "notes.txt").write_text("ignored")
    with open_source(str(tmp_path)) as src:
        assert src.fps == 30.0 and src.frame_count == 3
        frames = list(src)
    assert [int(rgb[0, 0, 0]) for _, rgb in frames] == [10, 200, 100]  # RGB: red first
    assert frames[2][0] == pytest.approx(2 / 30)


def test_single_image(tmp_path):
    cv2.imwrite(str(tmp_path / "a.jpg"), np.zeros((10, 10, 3), np.uint8))
    with open_source(tmp_path / "a.jpg") as src:
        assert len(list(src)) == 1


@pytest.mark.parametrize("case", ["missing", "empty", "corrupt", "empty_folder", "bad_image"])
def test_bad_files_are_one_line_user_errors(tmp_path, case):
    path = tmp_path / "clip.mp4"
    if case == "empty":
        path.write_bytes(b"")
    elif case == "corrupt":
        path.write_bytes(np.random.default_rng(0).bytes(5000))
    elif case == "empty_folder":
        path = tmp_path / "folder"
        path.mkdir()
    elif case == "bad_image":
        path = tmp_path / "folder"
        path.mkdir()
        (path / "x.png").write_bytes(b"not a png")
    with pytest.raises(UserError) as err:
        with open_source(path) as src:
            list(src)
    assert "\n" not in str(err.value)


def test_truncated_video_is_a_user_error(tmp_path):
    good = write_video(tmp_path / "good.mp4").read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(good[:200])
    with pytest.raises(UserError):
        with open_source(cut) as src:
            list(src)


def test_camera_that_does_not_open():
    with pytest.raises(UserError, match="camera 97 does not open"):
        open_source("97")


def test_camera_that_goes_away_mid_stream(tmp_path):
    """A live capture whose reads start failing (a stream that runs dry) ends in a UserError."""
    cap = cv2.VideoCapture(str(write_video(tmp_path / "cam.mp4", frames=5)))
    seen = 0
    with pytest.raises(UserError, match="stopped delivering frames"):
        with CaptureSource(cap, "camera 0", live=True) as src:
            for _ in src:
                seen += 1
    assert seen == 5
    assert CAMERA_MAX_FAILED_READS > 1  # a single dropped frame is tolerated
