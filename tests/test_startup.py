"""`harmon --help`, `--version` and tab completion start without the engine.

Each case runs in a fresh interpreter and lists the modules it ended up with. The command line
imports the engine (pandas, numpy, pydantic, PyYAML and harmon's own engine modules) inside the
command that needs it, so that help and completion answer in the time Python, typer and rich take
to import. (`python -X importtime -c "import harmon.cli"` shows what is imported and its cost.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# Heavy libraries harmon.cli must not import at start. (Recent typer releases import pydantic
# themselves to convert option values once a command's options are parsed, in a command's help
# and in completion too: there only the others are checked.)
HEAVY = ["pandas", "numpy", "pydantic", "pydantic_core", "yaml", "matplotlib", "pyarrow", "openpyxl", "pycountry"]
# The harmon modules the command line may import at start: the package, the CLI modules, and
# small ones with no dependencies. Any other (loading, schema, scoring, export, views...) is engine.
LIGHT = {"harmon", "harmon.errors", "harmon.interrupts", "harmon.choices", "harmon.data", "harmon.data.limits"}

PROBE = """
import json, sys
def report():
    sys.__stderr__.write("MODULES " + json.dumps(sorted(sys.modules)) + "\\n")
import atexit
atexit.register(report)
{body}
"""
MAIN = "import sys; sys.argv = ['harmon', *sys.argv[1:]]\nfrom harmon.cli import main\nmain()"


def modules_after(body: str, args: list[str] = (), env: dict[str, str] | None = None) -> tuple[set[str], str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("_HARMON_COMPLETE") and k != "HARMON_DEBUG"}
    environment.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body), *args],
        capture_output=True, text=True, env=environment, timeout=120,
    )
    lines = [line for line in proc.stderr.splitlines() if line.startswith("MODULES ")]
    assert len(lines) == 1, proc.stderr
    return set(json.loads(lines[0][len("MODULES "):])), proc.stdout


def heavy_in(modules: set[str], heavy: list[str] = HEAVY) -> list[str]:
    return sorted(h for h in heavy if h in modules)


def engine_in(modules: set[str]) -> list[str]:
    return sorted(
        m for m in modules if m.startswith("harmon.") and m not in LIGHT and not m.startswith("harmon.cli")
    )


def test_the_probe_sees_an_engine_import() -> None:
    # Without this, every test below could pass on a probe that lists nothing.
    modules, _ = modules_after("import harmon.data.loading")
    assert {"pydantic", "yaml"} <= modules and "harmon.data.loading" in engine_in(modules)


def test_import_harmon_cli() -> None:
    modules, _ = modules_after("import harmon.cli")
    assert heavy_in(modules) == [] and engine_in(modules) == []


def test_import_harmon() -> None:
    modules, _ = modules_after("import harmon; harmon.__version__")
    assert heavy_in(modules) == [] and engine_in(modules) == []


@pytest.mark.parametrize("args", [["--help"], ["--version"], []], ids=["help", "version", "no-arguments"])
def test_help_and_version(args: list[str]) -> None:
    modules, out = modules_after(MAIN, args)
    assert out.strip(), "no output: the command did not run"
    assert heavy_in(modules) == [] and engine_in(modules) == []


@pytest.mark.parametrize("command", ["score", "export", "validate", "diff"])
def test_a_command_s_help(command: str) -> None:
    modules, out = modules_after(MAIN, [command, "--help"])
    assert "Usage" in out
    assert heavy_in(modules, ["pandas", "numpy", "matplotlib", "pyarrow", "openpyxl", "yaml"]) == []
    assert engine_in(modules) == []


COMPLETIONS = [
    ("harmon sc", "1", ["score", "schema"]),
    ("harmon score --", "2", ["--year", "--data"]),
    ("harmon export --format ", "3", ["csv", "datapackage"]),
]


@pytest.mark.parametrize("words,cword,expected", COMPLETIONS, ids=[c[0] for c in COMPLETIONS])
def test_tab_completion(words: str, cword: str, expected: list[str]) -> None:
    # How bash asks: typer's completion, run by the `harmon` script itself.
    env = {"_HARMON_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
    modules, out = modules_after(MAIN, env=env)
    assert all(e in out.split() for e in expected), out
    assert heavy_in(modules, ["pandas", "numpy", "matplotlib", "pyarrow", "openpyxl", "yaml"]) == []
    assert engine_in(modules) == []
