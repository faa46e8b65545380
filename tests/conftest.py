"""Shared fixtures: the shipped dataset, loaded once; the command line, built once."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
import typer.testing

import harmon

REPO = Path(__file__).resolve().parent.parent
# CI and developers have the source documents beside the project (../shared/sources).
SOURCES = REPO.parent / "shared" / "sources"
PAPER = SOURCES / "lau-voluntarism-and-regional-integration.txt"
NO_SOURCES = f"the source documents are not beside the project: looked for {PAPER}"


TREATIES_DOUBLE = "name: Treaties count double\ndimensions: {treaties: 2}\nindicators:\n  mlat: 0.5\n"


@pytest.fixture()
def weights_file(tmp_path: Path) -> Path:
    """A weights file: treaties count double, mlat half."""
    path = tmp_path / "treaties-double.yaml"
    path.write_text(TREATIES_DOUBLE)
    return path


def copy_dataset(root: Path) -> Path:
    """A copy of the shipped dataset's files in the new folder `root`; return `root`."""
    root.mkdir(parents=True)
    for name in ("region.yaml", "references.yaml"):
        shutil.copy(REPO / name, root / name)
    for name in ("indicators", "countries"):
        shutil.copytree(REPO / name, root / name)
    return root


@pytest.fixture(scope="session")
def dataset() -> "harmon.Dataset":
    return harmon.load_dataset(REPO)


@pytest.fixture(scope="session", autouse=True)
def _command_line_built_once() -> Iterator[None]:
    """typer's CliRunner turns the Typer app into a click command at every `invoke` (some 20 ms
    for harmon's, hundreds of times a run). The app does not change while the tests run, and a
    click command keeps no state between calls, so each app is converted once and reused."""
    real = typer.testing._get_command
    built: dict[int, tuple[Any, Any]] = {}

    def get_command(app: Any) -> Any:
        if id(app) not in built:
            built[id(app)] = (app, real(app))  # the app is kept, so that its id is not reused
        return built[id(app)][1]

    typer.testing._get_command = get_command
    try:
        yield
    finally:
        typer.testing._get_command = real
