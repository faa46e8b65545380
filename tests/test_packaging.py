"""The wheel carries the shipped dataset, byte for byte, so `pip install .` works from anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from conftest import REPO

pytest.importorskip("hatchling")


def test_wheel_contains_the_dataset(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = tmp_path.glob("harmon-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        shipped = [p for p in REPO.glob("countries/*.yaml")] + list(REPO.glob("indicators/*.yaml"))
        shipped += [REPO / "references.yaml", REPO / "region.yaml"]
        for path in shipped:
            inside = f"harmon/_data/{path.relative_to(REPO).as_posix()}"
            assert inside in names, inside
            assert archive.read(inside) == path.read_bytes()
        assert len([n for n in names if n.startswith("harmon/_data/countries/")]) == 10
        # `harmon docs` reads these from the installed package.
        for doc in ("method.md", "authoring.md"):
            assert archive.read(f"harmon/_docs/{doc}") == (REPO / "docs" / doc).read_bytes()
