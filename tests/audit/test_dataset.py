from pathlib import Path

import numpy as np
import pytest

from avatarlink.audit.dataset import frames_to_read, from_files, load_rgb, scan, video_frames
from avatarlink.errors import UserError

from .conftest import write_image


def test_scan_reads_the_shared_layout(fake_data: Path):
    data = scan(fake_data)
    # a person with one photo cannot be enrolled from "other" photos: left out
    assert list(data.identity) == ["ann", "bob"]
    assert [p.name for p in data.identity["ann"]] == ["00.jpg", "01.jpg", "02.jpg"]
    assert {k: [p.name for p in v] for k, v in data.emotion.items()} == {
        "fear": ["b.jpg"],
        "happiness": ["a.png"],
    }
    assert [p.name for p in data.videos] == ["clip.mp4"]
    assert data.speech == fake_data / "speech"


def test_limit_keeps_the_first_items(fake_data: Path):
    data = scan(fake_data).limited(1)
    assert list(data.identity) == ["ann"] and len(data.videos) == 1


def test_scan_rejects_missing_or_empty_folders(tmp_path: Path):
    with pytest.raises(UserError, match="not found"):
        scan(tmp_path / "nope")
    with pytest.raises(UserError, match="has none of"):
        scan(tmp_path)


def test_loose_files_group_by_folder(tmp_path: Path):
    a = write_image(tmp_path / "ann" / "1.jpg")
    b = write_image(tmp_path / "surprise" / "2.jpg")
    data = from_files([a, b])
    assert data.identity == {"ann": [a]} and data.emotion == {"surprise": [b]}
    with pytest.raises(UserError, match="not a picture"):
        from_files([_text(tmp_path)])
    with pytest.raises(UserError, match="file not found"):
        from_files([tmp_path / "missing.jpg"])


def _text(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("x")
    return path


def test_load_rgb_shrinks_and_makes_three_channels(tmp_path: Path):
    path = write_image(tmp_path / "big.png", 200, size=(1000, 2000))
    rgb = load_rgb(path, max_side=640)
    assert rgb.shape == (320, 640, 3) and rgb.dtype == np.uint8
    (tmp_path / "bad.jpg").write_bytes(b"not a jpeg")
    with pytest.raises(UserError, match="cannot read"):
        load_rgb(tmp_path / "bad.jpg")


def test_video_frames_stride_and_limit(fake_data: Path):
    clip = fake_data / "video" / "clip.mp4"
    frames = list(video_frames(clip, stride=3))
    assert [round(t, 3) for t, _ in frames] == [0.0, 0.3, 0.6, 0.9]
    assert frames[0][1].shape == (48, 64, 3)
    assert len(list(video_frames(clip, max_frames=2))) == 2


def test_frames_to_read_matches_video_frames(fake_data: Path):
    clip = fake_data / "video" / "clip.mp4"
    for stride, cap in ((1, None), (3, None), (4, 2)):
        assert frames_to_read(clip, stride, cap) == len(list(video_frames(clip, stride, cap)))
