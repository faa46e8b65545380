"""Shared fixtures: the shipped dataset, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

import harmon

REPO = Path(__file__).resolve().parent.parent
# CI and developers have the source documents beside the project (../shared/sources).
SOURCES = REPO.parent / "shared" / "sources"


@pytest.fixture(scope="session")
def dataset() -> "harmon.Dataset":
    return harmon.load_dataset(REPO)
