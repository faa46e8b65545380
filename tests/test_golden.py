"""Every command's output on the shipped data stays as recorded in tests/golden/out.

The records were made before the package was reorganised; a change that alters any of them
alters behaviour. When a change of output is intended, re-record with
`python -m tests.golden.record` and review the diff of tests/golden/out like code.
"""

from __future__ import annotations

import pytest

from tests.golden.cases import CASES, GOLDEN, prepare, run_case


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("golden")
    return tmp, prepare(tmp)


@pytest.mark.parametrize(("name", "args"), CASES, ids=[name for name, _ in CASES])
def test_output_is_as_recorded(name, args, scratch):
    tmp, data = scratch
    # As bytes: a record of binary output (a Stata file on stdout) can hold a carriage return, which
    # reading as text would turn into a line feed.
    expected = (GOLDEN / f"{name}.txt").read_bytes().decode("utf-8")
    assert run_case(name, args, tmp, data) == expected
