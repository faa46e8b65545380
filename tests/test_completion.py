"""Shell completion from the dataset: states (codes, names, aliases), years, dimensions, kinds."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from conftest import REPO
from harmon.cli.complete import complete_dimension, complete_kind, complete_state, complete_year

CTX = types.SimpleNamespace(params={})  # what typer passes: the parameters parsed so far


def values(pairs):
    return [value for value, _ in pairs]


def test_states_complete_by_code_name_and_alias():
    assert values(complete_state(CTX, "TH")) == ["THA", "Thailand"]
    assert values(complete_state(CTX, "bur")) == ["Burma"]  # an alias in countries/myanmar.yaml
    assert dict(complete_state(CTX, "Burma"))["Burma"] == "Myanmar (MMR)"
    assert values(complete_state(CTX, "la")) == ["LAO", "Lao PDR", "Laos"]
    assert complete_state(CTX, "zz") == []


def test_years_dimensions_and_kinds_come_from_the_dataset():
    assert values(complete_year(CTX, "")) == [str(y) for y in range(1997, 2016)]  # region.yaml: 1997-2015
    assert values(complete_year(CTX, "201")) == [str(y) for y in range(2010, 2016)]
    assert values(complete_dimension(CTX, "s")) == ["specialization"]
    kinds = values(complete_kind(CTX, "d"))
    assert "declaration" in kinds and kinds == sorted(set(kinds), key=kinds.index)  # no duplicates


def test_another_dataset_given_with_data_and_a_broken_one(tmp_path):
    from harmon.authoring.init import init_dataset

    init_dataset(tmp_path / "eco", "Ghana, Nigeria", first=2001, last=2003)
    ctx = types.SimpleNamespace(params={"data": tmp_path / "eco"})
    assert values(complete_state(ctx, "")) == ["GHA", "Ghana", "NGA", "Nigeria"]
    assert values(complete_year(ctx, "")) == ["2001", "2002", "2003"]
    broken = types.SimpleNamespace(params={"data": tmp_path / "nowhere"})
    assert complete_state(broken, "") == [] and complete_year(broken, "") == []


def test_the_shell_gets_them_through_click():
    env = {**os.environ, "_HARMON_COMPLETE": "complete_bash", "COMP_WORDS": "harmon explain Bur", "COMP_CWORD": "2"}
    script = Path(sys.executable).parent / "harmon"  # the console script pip installed beside python
    if not script.exists():
        pytest.skip(f"no harmon script at {script}")
    out = subprocess.run([str(script)], env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert "Burma" in out.stdout.split()
