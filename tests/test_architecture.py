"""The package's shape: its layers (the import-linter contract), no module using another's private
names, docs/architecture.md listing every module, and README's library example running."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "harmon"


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def test_the_layers_contract_is_kept():
    assert lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def private_imports(source: str, module: str) -> list[tuple[int, str, str]]:
    """(line, name, from module) for each private name `source` imports from another harmon module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("harmon") and node.module != module:
            found += [(node.lineno, a.name, node.module) for a in node.names
                      if a.name.startswith("_") and not a.name.startswith("__")]
    return found


def test_the_private_import_check_finds_one():
    source = "from harmon.data.loading import Dataset, _load\nfrom harmon import __version__\n"
    assert private_imports(source, "harmon.data.weights") == [(1, "_load", "harmon.data.loading")]
    assert private_imports(source, "harmon.data.loading") == []  # its own names


def test_no_module_imports_another_modules_private_names():
    offences = [
        f"{path.relative_to(REPO)}:{line} imports {name} from {origin}"
        for module, path in modules().items()
        for line, name, origin in private_imports(path.read_text(encoding="utf-8"), module)
    ]
    assert offences == []


def test_architecture_doc_lists_exactly_the_modules_in_the_tree():
    doc = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(harmon/[\w/]+\.py)`", doc))
    every = {str(p.relative_to(REPO)) for p in modules().values()}
    # Subpackages' __init__ files hold only a docstring; the package's own is the public API.
    significant = {f for f in every if not f.endswith("/__init__.py") or f == "harmon/__init__.py"}
    assert named - every == set(), "the doc names modules that do not exist"
    assert significant - named == set(), "modules missing from docs/architecture.md"


def test_the_cli_imports_no_engine_at_start_up():
    import subprocess
    import sys

    code = "import sys, harmon.cli; print(sorted(m for m in ('pandas', 'numpy', 'yaml', 'pydantic') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_readme_library_example_runs_as_written(capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### As a library"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "{'index': 62.5, 'coverage': 0.8333333333333333, 'rank': 8.0}"  # Thailand, 2011 (by hand: 62.5)
    assert printed[1] == "iso3,country,year,member,trafficking_law,un_definition,speci"  # the header row first
    assert printed[-1] == "year 1990 is outside the data's period 1997-2015"


def test_each_view_is_rendered_from_the_module_that_registers_it():
    # render.VIEW_MODULES says which module to import for a view; a renderer registered elsewhere
    # would be found only if that other module happened to be imported first.
    import importlib
    import pkgutil

    import harmon.report
    from harmon.report import render

    for module in pkgutil.iter_modules(harmon.report.__path__):
        importlib.import_module(f"harmon.report.{module.name}")
    registered = {(view, function.__module__) for (view, _), function in render.RENDERERS.items()}
    assert registered == {(view, f"harmon.report.{module}") for view, module in render.VIEW_MODULES.items()}
