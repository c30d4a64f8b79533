from pathlib import Path

import numpy as np
import pytest

from avatarlink.audit.dataset import load_rgb
from avatarlink.audit.expression import NEUTRAL_FLOOR, Observer, emotion_scores, read_emotion
from avatarlink.errors import UserError
from avatarlink.frame import ARKIT_INDEX, N_SHAPES


def _shapes(**values: float) -> np.ndarray:
    v = np.zeros(N_SHAPES, np.float32)
    for name, x in values.items():
        v[ARKIT_INDEX[name]] = x
    return v


def test_emotion_scores_by_hand():
    # smile 0.8 both sides, cheeks 0.2 -> happiness = mean(AU6 0.2, AU12 0.8) = 0.5
    s = emotion_scores(
        _shapes(mouthSmileLeft=0.8, mouthSmileRight=0.8, cheekSquintLeft=0.2, cheekSquintRight=0.2)
    )
    assert s["happiness"] == pytest.approx(0.5)
    assert s["sadness"] == 0.0
    # brows down 0.6 and lips pressed 0.4 (both sides): anger = mean(0.6, 0, 0, 0.4) = 0.25
    s = emotion_scores(
        _shapes(browDownLeft=0.6, browDownRight=0.6, mouthPressLeft=0.4, mouthPressRight=0.4)
    )
    assert s["anger"] == pytest.approx(0.25)


def test_read_emotion():
    assert read_emotion(None) is None
    assert read_emotion(np.zeros(N_SHAPES)) == "neutral"
    assert read_emotion(_shapes(mouthSmileLeft=1.0, mouthSmileRight=1.0)) == "happiness"
    # surprise: inner brow 0.9, outer brows 0.9, jaw 0.9 (eyes not wide) -> 0.675
    assert (
        read_emotion(
            _shapes(browInnerUp=0.9, browOuterUpLeft=0.9, browOuterUpRight=0.9, jawOpen=0.9)
        )
        == "surprise"
    )
    weak = 2 * NEUTRAL_FLOOR * 0.9  # happiness = weak / 2, just under the floor
    assert read_emotion(_shapes(mouthSmileLeft=weak, mouthSmileRight=weak)) == "neutral"


@pytest.fixture(scope="module")
def observer(shared_data: Path):
    with Observer(shared_data / "models" / "face_landmarker.task") as obs:
        yield obs


def test_observer_reads_a_posed_smile(observer, shared_data: Path):
    reading = observer.read(
        load_rgb(shared_data / "faces" / "emotion" / "happiness" / "happiness_faceapi.jpg")
    )
    assert reading.source == "google"
    assert read_emotion(reading.shapes) == "happiness"


def test_observer_sees_nothing_in_a_blank_picture(observer):
    observer.reset()
    reading = observer.read(np.zeros((240, 320, 3), np.uint8))
    assert reading.shapes is None and reading.source == "none"


def test_observer_needs_its_model(tmp_path: Path):
    with pytest.raises(UserError, match="observer model not found"):
        Observer(tmp_path / "missing.task")
