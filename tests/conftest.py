"""Fixtures shared by every test package.

Tests that need the third-party evaluation data in ../shared/data use the
``shared_data`` fixture: under CI=true a missing folder is a failure, elsewhere
the test is skipped with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("AVATARLINK_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if SHARED_DATA.is_dir():
        return SHARED_DATA
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the shared data folder {SHARED_DATA} is missing")
    pytest.skip(f"needs the evaluation data in {SHARED_DATA} (set AVATARLINK_SHARED_DATA)")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO
