"""README.md cannot drift: every console example is run and compared with what it shows.

A console example is a ```console block (or a ```text block) whose first line is `$ harmon ...`:
the command is run on the shipped data at 80 columns with no colour, in an empty folder, and its
standard output must be the block's text. In a block, a line `…` stands for any number of lines
left out, and a line ending in `…` for the rest of a line left out (a wide CSV header, say).
"""

from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from conftest import REPO
from harmon.cli import app

README = (REPO / "README.md").read_text(encoding="utf-8")
WIDTH = 80
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


NOT_RUN = re.compile(r"<!-- readme-test: not run \((.+?)\) -->\n$")


def console_examples() -> list[tuple[str, list[str]]]:
    """(command, shown output lines) for every console example of the README, but those marked
    `<!-- readme-test: not run (why) -->` on the line before (a command on files the reader makes)."""
    examples = []
    for match in FENCE.finditer(README):
        kind, body = match.groups()
        lines = body.rstrip("\n").split("\n")
        if NOT_RUN.search(README[: match.start()]):
            continue
        if kind == "console" or (kind == "text" and lines[0].startswith("$ ")):
            examples.append((lines[0], lines[1:]))
    return examples


def pattern(shown: list[str]) -> re.Pattern[str]:
    """A regular expression that matches exactly the output `shown` describes, elisions included."""
    parts = []
    for line in shown:
        if line == "…":
            parts.append(r"(?:[^\n]*\n)*?")
        elif line.endswith("…"):
            parts.append(re.escape(line[:-1]) + r"[^\n]*\n")
        else:
            parts.append(re.escape(line) + r"\n")
    return re.compile("".join(parts))


def test_every_console_block_is_a_harmon_command():
    examples = console_examples()
    assert len(examples) >= 8
    for command, shown in examples:
        assert command.startswith("$ harmon "), command
        assert shown, f"{command}: the block shows no output"


@pytest.mark.parametrize("command, shown", console_examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_console_example_is_real_output(command, shown, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    monkeypatch.setenv("NO_COLOR", "1")
    args = shlex.split(command.removeprefix("$ harmon "))
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    output = "\n".join(line.rstrip() for line in result.stdout.split("\n"))
    output = output.strip("\n") + "\n"  # blank lines around the output are not shown
    expected = [line.rstrip() for line in shown]
    assert pattern(expected).fullmatch(output), f"README's `{command}` no longer matches its output:\n{output}"


def test_quick_start_begins_with_the_virtualenv():
    quick = README[README.index("## Quick start"):]
    first = FENCE.search(quick).group(2).strip().splitlines()[0]
    assert first.startswith("python3 -m venv .venv && . .venv/bin/activate")
