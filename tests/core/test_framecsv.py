import numpy as np
import pytest

from avatarlink.errors import UserError
from avatarlink.frame import FaceFrame, quat_from_euler
from avatarlink.framecsv import COLUMNS, read_frames, write_frames


def test_round_trip(tmp_path):
    frames = [
        FaceFrame(
            time=i / 30,
            tracked=bool(i % 2),
            head_rotation=quat_from_euler(10, -5, 3),
            gaze_left=[4, -2],
            gaze_right=[5, -1],
        ).with_weights(jawOpen=i / 10)
        for i in range(5)
    ]
    path = tmp_path / "f.csv"
    assert write_frames(path, frames) == 5
    back = list(read_frames(path))
    assert [f.tracked for f in back] == [f.tracked for f in frames]
    assert np.allclose([f.weight("jawOpen") for f in back], [i / 10 for i in range(5)], atol=1e-4)
    assert np.allclose(back[0].head_euler(), (10, -5, 3), atol=1e-2)
    assert path.read_text().splitlines()[0].split(",") == list(COLUMNS)


def test_malformed_csv_is_a_user_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(UserError, match="not an avatarlink frames CSV"):
        list(read_frames(bad))
    with pytest.raises(UserError, match="cannot read"):
        list(read_frames(tmp_path / "missing.csv"))
