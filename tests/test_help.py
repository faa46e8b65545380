"""Help that teaches: placeholders in words, choices listed whole, examples everywhere, and the
method and authoring documents readable from the installed package (`harmon docs`)."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from conftest import REPO
from harmon.cli import app
from harmon.cli.app import COMMANDS
from harmon.cli.help import _choices

NAMES = [c.__name__ for c in COMMANDS]
PYTHON_TYPES = re.compile(r"<(bool|int|float|str|path|file|dir)>|list\[")


def help_text(*args: str, width: int) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("name", ["", *NAMES])
def test_help_speaks_words_and_lists_choices_whole(name, width):
    text = help_text(*([name] if name else []), width=width)
    assert not PYTHON_TYPES.search(text), PYTHON_TYPES.search(text).group(0)
    assert "Examples" in text
    assert "docs/method.md" not in text and "docs/authoring.md" not in text
    group = typer.main.get_command(app)
    command = group.commands[name] if name else group
    ctx = command.make_context(name or "harmon", [], resilient_parsing=True)
    for param in command.get_params(ctx):
        for choice in _choices(param):
            # Whole: the value stands between word boundaries somewhere, never broken over two lines.
            assert re.search(rf"(?<![\w-]){re.escape(choice)}(?![\w-])", text), (name, choice)


def test_flags_take_no_value_and_say_so():
    text = help_text("score", width=80)
    line = next(l for l in text.splitlines() if "--no-color" in l)
    assert re.search(r"--no-color\s+No colour", line), line
    assert re.search(r"--year\s+-y\s+YEAR\s", text)
    repeated = help_text("sensitivity", width=80)
    assert "MISSING" in repeated and "back fill" not in repeated


@pytest.mark.parametrize("name, file", [("method", "method.md"), ("authoring", "authoring.md")])
def test_docs_prints_the_shipped_document(name, file):
    result = CliRunner().invoke(app, ["docs", name])
    assert result.exit_code == 0
    assert result.stdout == (REPO / "docs" / file).read_text(encoding="utf-8")


def test_docs_unknown_name_is_a_usage_error():
    result = CliRunner().invoke(app, ["docs", "nonsense"])
    assert result.exit_code == 2 and "method" in result.output
