"""README.md cannot drift: every console example is run and compared with what it shows.

A console example is a ```console block (or a ```text block) whose first line is `$ harmon ...`:
the command is run on the shipped data at 80 columns with no colour, in an empty folder, and its
standard output must be the block's text. In a block, a line `…` stands for any number of lines
left out, and a line ending in `…` for the rest of a line left out (a wide CSV header, say).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

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
    check_output(command, shown)


def check_output(command: str, shown: list[str]) -> None:
    """Run `command` (a `$ harmon ...` line) in the current folder and compare with `shown`."""
    result = CliRunner().invoke(app, shlex.split(command.removeprefix("$ harmon ")))
    assert result.exit_code == 0, result.output
    output = "\n".join(line.rstrip() for line in result.stdout.split("\n"))
    output = output.strip("\n") + "\n"  # blank lines around the output are not shown
    expected = [line.rstrip() for line in shown]
    assert pattern(expected).fullmatch(output), f"README's `{command}` no longer matches its output:\n{output}"


@pytest.mark.skipif(shutil.which("bash") is None or subprocess.run(["sed", "--version"], capture_output=True).returncode,
                    reason="the README's steps use bash and GNU sed")
def test_agree_example_runs_after_the_steps_before_it(tmp_path, monkeypatch):
    # The agree example needs two coders' folders: the sh block just before it makes them from
    # the shipped data, exactly as a reader would type it.
    start = README.index("$ harmon agree a b\n")
    steps = list(re.finditer(r"^```sh\n(.*?)^```", README[:start], re.S | re.M))[-1].group(1)
    shown = README[start:].split("```", 1)[0].rstrip("\n").split("\n")
    # `python` as the reader's: the interpreter these tests run in.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    done = subprocess.run(["bash", "-ec", steps], cwd=tmp_path, env={**os.environ, "PATH": path},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    monkeypatch.setenv("NO_COLOR", "1")
    check_output(shown[0], shown[1:])


def test_quick_start_begins_with_the_virtualenv():
    quick = README[README.index("## Quick start"):]
    first = FENCE.search(quick).group(2).strip().splitlines()[0]
    assert first.startswith("python3 -m venv .venv && . .venv/bin/activate")


def test_the_commands_said_to_take_no_color_are_those_that_do():
    # Trial item 9: the README said output is plain "with NO_COLOR or --no-color", and most commands
    # refused --no-color. It now names the commands that take it: those, and only those, do.
    import typer.main

    sentence = re.search(r"with `--no-color`, which the commands that\s+draw tables take \(([^)]*)\)", README)
    assert sentence, "the README's sentence on --no-color changed: update this test"
    said = set(re.findall(r"`([a-z]+)`", sentence.group(1)))
    group = typer.main.get_command(app)
    ctx = group.make_context("harmon", [], resilient_parsing=True)
    taking = {name for name in group.list_commands(ctx)
              if any("--no-color" in getattr(p, "opts", ()) for p in group.get_command(ctx, name).params)}
    assert said == taking
