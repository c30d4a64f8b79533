"""Calibration profiles: the person's neutral face and, optionally, their ranges.

A profile stores, for each solver driver, the value on this person's relaxed
face (``rest``) and how far their full expression moves it (``span``). It holds
no landmarks and no pixels: only these per-shape numbers. Profiles are JSON
files in ``<config>/profiles/NAME.json`` where ``<config>`` is
``platformdirs.user_config_dir("avatarlink")`` or ``$AVATARLINK_CONFIG_DIR``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import platformdirs

from avatarlink.errors import UserError
from avatarlink.tracking.solver import DRIVER_NAMES
from avatarlink.tracking.solver.defaults import DEFAULT_REST, DEFAULT_SPAN

PROFILE_VERSION = 1
_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
# A driver's noise on a still face, in its own units: the neutral is set this
# many standard deviations above the measured mean so that a relaxed face reads 0.
NOISE_MARGIN_SD = 2.0
# A range capture may narrow a span to this fraction of the default at most
# (a person who barely moved one shape must not get a hair trigger).
MIN_SPAN_FRACTION = 0.4


def config_dir() -> Path:
    env = os.environ.get("AVATARLINK_CONFIG_DIR")
    return Path(env) if env else Path(platformdirs.user_config_dir("avatarlink"))


def profile_path(name: str) -> Path:
    if not _NAME_RE.match(name):
        raise UserError(f"bad profile name {name!r}: use letters, digits, '.', '_' or '-'")
    return config_dir() / "profiles" / f"{name}.json"


@dataclass(frozen=True)
class Calibration:
    rest: np.ndarray  # (len(DRIVER_NAMES),)
    span: np.ndarray

    @classmethod
    def default(cls) -> Calibration:
        return cls(DEFAULT_REST.copy(), DEFAULT_SPAN.copy())

    @classmethod
    def from_neutral(cls, drivers: np.ndarray) -> Calibration:
        """From drivers measured on a relaxed face (frames x drivers)."""
        drivers = np.asarray(drivers, dtype=np.float64)
        if drivers.ndim != 2 or len(drivers) < 5:
            raise UserError("calibration needs at least 5 frames with a face in view")
        rest = np.median(drivers, axis=0) + NOISE_MARGIN_SD * drivers.std(axis=0)
        return cls(rest, DEFAULT_SPAN.copy())

    def with_ranges(self, drivers: np.ndarray, percentile: float = 98.0) -> Calibration:
        """Spans from a capture of the person's expressions (frames x drivers)."""
        reach = np.percentile(np.asarray(drivers, dtype=np.float64), percentile, axis=0) - self.rest
        span = np.clip(reach, MIN_SPAN_FRACTION * DEFAULT_SPAN, None)
        return Calibration(self.rest.copy(), span)

    def to_json(self) -> dict:
        return {
            "version": PROFILE_VERSION,
            "drivers": {
                n: {"rest": float(r), "span": float(s)}
                for n, r, s in zip(DRIVER_NAMES, self.rest, self.span, strict=True)
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> Calibration:
        """Unknown drivers are ignored and missing ones keep their defaults (older profiles)."""
        cal = cls.default()
        entries = data.get("drivers")
        if not isinstance(entries, dict):
            raise ValueError("no drivers")
        for i, name in enumerate(DRIVER_NAMES):
            entry = entries.get(name)
            if entry is not None:
                cal.rest[i] = float(entry["rest"])
                cal.span[i] = max(float(entry["span"]), 1e-6)
        return cal


def save_profile(name: str, calibration: Calibration) -> Path:
    path = profile_path(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(calibration.to_json(), indent=1))
    except OSError as exc:
        raise UserError(f"cannot save profile {name!r}: {exc.strerror or exc}") from None
    return path


def load_profile(name: str) -> Calibration:
    path = profile_path(name)
    if not path.is_file():
        raise UserError(
            f"no calibration profile named {name!r} (run `avatarlink calibrate --name {name}`)"
        )
    try:
        return Calibration.from_json(json.loads(path.read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        raise UserError(f"calibration profile {name!r} is damaged; record it again") from None
