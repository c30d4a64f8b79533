"""Calibration profiles: JSON in the config folder, neutral and ranges."""

from __future__ import annotations

import json

import numpy as np
import pytest

from avatarlink.errors import UserError
from avatarlink.tracking import calibration
from avatarlink.tracking.calibration import Calibration
from avatarlink.tracking.solver import DRIVER_INDEX, DRIVER_NAMES, coefficients
from avatarlink.tracking.solver.defaults import DEFAULT_SPAN


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AVATARLINK_CONFIG_DIR", str(tmp_path))
    return tmp_path


def neutral_frames(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = Calibration.default().rest + 0.3 * DEFAULT_SPAN
    return base + rng.normal(0, 0.01, size=(60, len(DRIVER_NAMES))) * DEFAULT_SPAN


def test_profile_round_trip(config_dir):
    cal = Calibration.from_neutral(neutral_frames())
    path = calibration.save_profile("me", cal)
    assert path == config_dir / "profiles" / "me.json"
    data = json.loads(path.read_text())
    assert set(data["drivers"]) == set(DRIVER_NAMES)
    loaded = calibration.load_profile("me")
    np.testing.assert_allclose(loaded.rest, cal.rest)
    np.testing.assert_allclose(loaded.span, cal.span)


def test_neutral_capture_reads_as_neutral():
    frames = neutral_frames()
    cal = Calibration.from_neutral(frames)
    shapes = np.array([coefficients(d, cal.rest, cal.span) for d in frames])
    assert shapes.max() < 0.05
    # while the defaults would have read this person's relaxed face as an expression
    default = Calibration.default()
    assert coefficients(frames[0], default.rest, default.span).max() > 0.2


def test_ranges_scale_spans_but_not_to_a_hair_trigger():
    cal = Calibration.from_neutral(neutral_frames())
    moves = np.tile(cal.rest, (50, 1))
    jaw = DRIVER_INDEX["jawOpen"]
    moves[:, jaw] += np.linspace(0, 2 * DEFAULT_SPAN[jaw], 50)
    ranged = cal.with_ranges(moves)
    assert ranged.span[jaw] > 1.5 * DEFAULT_SPAN[jaw]
    assert (ranged.span >= calibration.MIN_SPAN_FRACTION * DEFAULT_SPAN - 1e-12).all()


def test_bad_names_and_missing_or_damaged_profiles(config_dir):
    for bad in ("../evil", "", "a b", "x" * 65):
        with pytest.raises(UserError):
            calibration.profile_path(bad)
    with pytest.raises(UserError, match="no calibration profile"):
        calibration.load_profile("nobody")
    (config_dir / "profiles").mkdir()
    (config_dir / "profiles" / "broken.json").write_text("{not json")
    with pytest.raises(UserError, match="damaged"):
        calibration.load_profile("broken")
    with pytest.raises(UserError):
        Calibration.from_neutral(np.zeros((2, len(DRIVER_NAMES))))


def test_older_profile_keeps_defaults_for_missing_drivers(config_dir):
    (config_dir / "profiles").mkdir()
    (config_dir / "profiles" / "old.json").write_text(
        json.dumps({"version": 1, "drivers": {"jawOpen": {"rest": 9.0, "span": 0.5}}})
    )
    cal = calibration.load_profile("old")
    assert cal.rest[DRIVER_INDEX["jawOpen"]] == 9.0
    np.testing.assert_allclose(cal.rest[1:5], Calibration.default().rest[1:5])


def test_default_location_without_the_variable(monkeypatch):
    monkeypatch.delenv("AVATARLINK_CONFIG_DIR")
    assert calibration.config_dir().name == "avatarlink"
