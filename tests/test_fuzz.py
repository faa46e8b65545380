"""Property-based fuzzing: broken datasets and weights files never crash harmon.

Each example copies the shipped dataset, spoils one file as a careless editor or an attacker
would (a value replaced by a YAML trap, a line deleted or doubled, random bytes, a cut, deep
nesting, a wrong type, a key missing or added, a huge number, unicode) and checks:

- the library (`check_dataset`, `load_dataset`) raises nothing but `DatasetInvalid`, and every
  problem names a file or folder of the dataset, on one line, at a line the file has;
- `harmon validate`, `score` and `export` (in-process: typer's runner, and `harmon.cli.main`
  with its catch-all) print no traceback and exit 1 exactly when the library finds a problem,
  with one `file:line: message` line per problem;
- spoils that always break the dataset (marked `broken`) are refused, never scored;
- weights files (`harmon.data.weights.load_weights`, `load_weight_schemes`, `score --weights`) the
  same way: `WeightsInvalid` naming the weights file, or a scheme.

By default each test runs a small fixed set of examples (derandomized: CI is reproducible) so
that the whole file takes a few seconds: 150 spoils for the library, which draw every kind of
spoil above, and fewer for the slower checks through the command line. For a long, random run:

    HARMON_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import shutil
import string
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import harmon
from harmon.data import limits
from harmon.cli import app
from harmon.errors import DatasetInvalid, HarmonError
from harmon.data.loading import check_dataset

REPO = Path(__file__).resolve().parent.parent
FILES = sorted(
    [Path("region.yaml"), Path("references.yaml"), Path("indicators/model.yaml")]
    + [p.relative_to(REPO) for p in (REPO / "countries").glob("*.yaml")]
)

LONG_RUN = int(os.environ.get("HARMON_FUZZ_EXAMPLES", "0") or 0)
settings.register_profile(
    "harmon-ci", deadline=None, derandomize=True, database=None, print_blob=True,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "harmon-long", deadline=None, max_examples=max(LONG_RUN, 1), print_blob=True,
    suppress_health_check=list(HealthCheck),
)
PROFILE = settings.get_profile("harmon-long" if LONG_RUN else "harmon-ci")


def examples(default: int) -> settings:
    """The profile, with `default` examples unless HARMON_FUZZ_EXAMPLES asks for a long run."""
    return settings(PROFILE, max_examples=LONG_RUN or default)


# --- what a spoiled file can hold --------------------------------------------------------------

# Values that YAML 1.1 or a careless hand turns into something else, or that attack the parser.
TOKENS = [
    "NO", "no", "yes", "Yes", "on", "OFF", "y", "n", "true", "~", "null", "", "012", "0o12", "0x7D0",
    "1_999", "20:05", "2020-01-01", "2020-01-01T10:00:00Z", "2005.0", "1e3", "1e400", ".inf", "-.inf",
    ".nan", "-1", "0", "9" * 30, "9" * 5000, "[]", "{}", "[1, [2, [3]]]", "{a: 1, b: [c]}", '"open',
    "'", "*ref", "&ref x", "&ref [1, *ref]", "!!python/object/apply:os.system ['true']", "!!binary aGk=",
    "!!set {a}", "!!omap [a: 1]", "!!str", "!!int '5'", "!custom x", "? complex", "|", ">-", "- item",
    "\t", "%YAML 1.1", "@at", "`tick", "---", "...", "こんにちは", "\u202eevil", "😀" * 8, "\ufeffbom",
    "a" * 2100, "[" * 40 + "]" * 40, "[" * 5000, "{a: " * 40 + "}" * 40, "x: y: z", "a, b", "#comment",
]
text_values = st.one_of(
    st.sampled_from(TOKENS),
    st.text(max_size=40),
    st.text(alphabet=string.ascii_letters + string.digits + "-_.:[]{}&*!|>'\"#%@` \t", max_size=30),
    st.integers().map(str),
    st.floats().map(repr),
)
# Plain data of any type, for YAML written by a program (wrong types, deep, huge, unicode).
plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.sampled_from(TOKENS),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def deep(levels: int) -> Any:
    value: Any = "bottom"
    for n in range(levels):
        value = [value] if n % 2 else {"k": value}
    return value


@dataclass
class Spoiled:
    rel: Path  # the file changed, relative to the dataset
    content: bytes  # what it now holds (None: it was deleted)
    how: str
    broken: bool  # the spoil breaks the dataset whatever the rest holds


def lines_of(text: str) -> list[str]:
    return text.split("\n")


@functools.lru_cache(maxsize=None)
def shipped_text(rel: Path) -> str:
    return (REPO / rel).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=None)
def shipped_data(rel: Path) -> Any:
    return yaml.safe_load(shipped_text(rel))  # copied before it is changed


@functools.lru_cache(maxsize=None)
def shipped_value_lines(rel: Path) -> list[int]:
    return value_lines(shipped_text(rel))  # the same for every example: found once


def value_lines(text: str) -> list[int]:
    """The (0-based) lines that hold `key: value` with a one-line value, found by YAML itself
    (a line of a folded note may look like one and be text)."""
    found = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(value, yaml.ScalarNode) and value.start_mark.line == value.end_mark.line == key.start_mark.line:
                    if not value.style:  # plain, not a quoted value or a block scalar
                        found.append(key.start_mark.line)
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    walk(yaml.compose(text, Loader=yaml.SafeLoader))
    return sorted(set(found))


@st.composite
def text_spoils(draw: Any, rel: Path) -> Spoiled:
    """One edit of the file's text, as a person in an editor might make it."""
    text = shipped_text(rel)
    lines = lines_of(text)
    n = draw(st.integers(0, len(lines) - 1))
    line = lines[n]
    kind = draw(st.sampled_from(
        ["value", "value", "value", "delete", "double", "insert", "cut", "bytes", "indent", "swap",
         "top-key-double", "top-key-value", "nest", "nul", "latin1", "tab", "second-document", "alias"]
    ))
    broken = False
    if kind in ("value", "nest"):
        n = draw(st.sampled_from(shipped_value_lines(rel)))
        key = lines[n].partition(": ")[0]
    if kind == "value":
        lines[n] = f"{key}: {draw(text_values)}"
    elif kind == "delete":
        del lines[n]
    elif kind == "double":
        lines.insert(n, line)
    elif kind == "insert":
        indent = " " * draw(st.integers(0, 8))
        lines.insert(n, indent + draw(st.one_of(text_values, text_values.map(lambda v: f"{v}: {v}"))))
    elif kind == "cut":
        raw = text.encode("utf-8")
        cut = draw(st.integers(0, len(raw)))
        return Spoiled(rel, raw[:cut], f"cut at byte {cut}", broken=cut == 0)
    elif kind == "bytes":
        raw = text.encode("utf-8")
        at = draw(st.integers(0, len(raw)))
        junk = draw(st.binary(min_size=1, max_size=64))
        return Spoiled(rel, raw[:at] + junk + raw[at:], f"{junk!r} at byte {at}", broken=b"\x00" in junk)
    elif kind == "indent":
        change = draw(st.sampled_from([" ", "  ", "   ", "\t"]))
        lines[n] = change + line if draw(st.booleans()) else line[len(change):] if line.startswith(change) else line
    elif kind == "swap":
        m = draw(st.integers(0, len(lines) - 1))
        lines[n], lines[m] = lines[m], lines[n]
    elif kind == "top-key-double":
        # A top-level `key: value` line written twice: a duplicate key, whatever the key.
        tops = [i for i, l in enumerate(lines) if l[:1].isalpha() and ": " in l]
        assume(tops)
        n = draw(st.sampled_from(tops))
        lines.insert(n + 1, lines[n])
        broken = True
    elif kind == "top-key-value":
        # A top-level value of the wrong kind: every top-level key holds text, a year or a block.
        tops = [i for i, l in enumerate(lines) if l[:1].isalpha() and ": " in l]
        assume(tops)
        n = draw(st.sampled_from(tops))
        key = lines[n].split(":")[0]
        lines[n] = f"{key}: " + draw(st.sampled_from(["[1, 2]", "{a: b}", "yes", "NO", "012", "1.0e+400", "!!set {a}", "*x", "[" * 40]))
        broken = True
    elif kind == "nest":
        depth = draw(st.integers(limits.MAX_DEPTH, limits.MAX_DEPTH * 20))
        lines[n] = f"{key}: " + "[" * depth + "]" * depth
        broken = True
    elif kind == "nul":
        lines[n] = line + "\x00"
        broken = True
    elif kind == "latin1":
        raw = "\n".join(lines).encode("utf-8")
        at = draw(st.integers(0, len(raw)))
        return Spoiled(rel, raw[:at] + b"\xe9" + raw[at:], f"byte 0xe9 at {at}", broken=True)
    elif kind == "tab":
        tops = [i for i, l in enumerate(lines) if l.startswith("  ") and l.strip() and not l.strip().startswith("#")]
        assume(tops)
        n = draw(st.sampled_from(tops))
        lines[n] = "\t" + lines[n].lstrip(" ")
        # A tab in the indentation of a block scalar's text is text, not indentation: not sure.
    elif kind == "second-document":
        lines.append("---")
        lines.append("extra: document")
        broken = True
    elif kind == "alias":
        tops = [i for i, l in enumerate(lines) if l[:1].isalpha() and ": " in l]
        assume(tops)
        n = draw(st.sampled_from(tops))
        key, _, value = lines[n].partition(": ")
        lines[n] = f"{key}: &anchor {value}"
        lines.append("copy_of_it: *anchor")
        broken = True
    return Spoiled(rel, "\n".join(lines).encode("utf-8"), f"{kind} at line {n + 1}", broken)


@st.composite
def data_spoils(draw: Any, rel: Path) -> Spoiled:
    """One change to the file's data, written back by a program: a key deleted, added or given
    a value of another type, or a value nested deeper."""
    data = copy.deepcopy(shipped_data(rel))
    paths = list(_paths(data))
    path = draw(st.sampled_from(paths))
    parent = _get(data, path[:-1])
    last = path[-1]
    kind = draw(st.sampled_from(["delete", "retype", "retype", "extra", "deepen", "top-extra"]))
    broken = False
    if kind == "delete":
        if isinstance(parent, list):
            parent.pop(last)
        else:
            del parent[last]
            # A country file needs its name, its code and its membership (the shipped files give
            # `member_since` with its `membership_source`); `aliases` and `facts` may be left out.
            broken = len(path) == 1 and rel.parts[0] == "countries" and last not in ("aliases", "facts")
    elif kind == "retype":
        parent[last] = draw(plain)
    elif kind == "extra":
        target = _get(data, path) if isinstance(_get(data, path), dict) else parent
        if isinstance(target, dict):
            target[draw(st.text(min_size=1, max_size=20))] = draw(plain)
    elif kind == "deepen":
        parent[last] = deep(draw(st.integers(limits.MAX_DEPTH, limits.MAX_DEPTH * 3)))
        broken = True
    elif kind == "top-extra":
        # A key no top level has: every file's top level is a fixed set of keys.
        data[draw(st.sampled_from(["Country", "isO3", "extra", "facts_", "NOTE", "名前"]))] = draw(plain)
        broken = True
    style = draw(st.sampled_from([None, True, False]))
    text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), default_flow_style=style, sort_keys=False, width=10**6)
    return Spoiled(rel, text.encode("utf-8"), f"{kind} {'.'.join(map(str, path))}", broken)


def _paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield prefix + (key,)
        yield from _paths(child, prefix + (key,))


def _get(value: Any, path: tuple) -> Any:
    for key in path:
        value = value[key]
    return value


@st.composite
def whole_file_spoils(draw: Any, rel: Path) -> Spoiled:
    """The file replaced as a whole: random bytes, random text, or a program's YAML of anything."""
    kind = draw(st.sampled_from(["bytes", "text", "yaml", "empty", "huge"]))
    if kind == "bytes":
        content = draw(st.binary(max_size=512))
        # Random bytes are not a valid data file, but may be nothing at all (only spaces).
        return Spoiled(rel, content, "random bytes", broken=b"\x00" in content)
    if kind == "text":
        return Spoiled(rel, draw(st.text(max_size=300)).encode("utf-8"), "random text", broken=False)
    if kind == "yaml":
        value = draw(plain)
        text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=draw(st.sampled_from([None, True, False])))
        # Plain data is a valid file of this kind only if it is a mapping.
        return Spoiled(rel, text.encode("utf-8"), "generated YAML", broken=not isinstance(value, dict))
    if kind == "empty":
        return Spoiled(rel, draw(st.sampled_from([b"", b"\n", b"# nothing\n", b"---\n", b"...\n"])), "empty", broken=True)
    size = limits.MAX_FILE_BYTES + draw(st.integers(1, 4096))
    return Spoiled(rel, (REPO / rel).read_bytes() + b"#" * (size - (REPO / rel).stat().st_size), "over the size bound", True)


files = st.sampled_from(FILES)
spoils = st.one_of(
    files.flatmap(text_spoils),
    files.flatmap(text_spoils),
    files.flatmap(data_spoils),
    files.flatmap(whole_file_spoils),
)


# --- the checks --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pristine") / "data"
    root.mkdir()
    for name in ("region.yaml", "references.yaml"):
        shutil.copy(REPO / name, root / name)
    for name in ("indicators", "countries"):
        shutil.copytree(REPO / name, root / name)
    assert harmon.validate_dataset(root) == []
    return root


@contextlib.contextmanager
def spoiled_copy(pristine: Path, spoil: Spoiled) -> Iterator[Path]:
    """A copy of the dataset with `spoil` applied, in a fresh folder that is the current one."""
    base = Path(tempfile.mkdtemp(dir=pristine.parent.parent))
    root = base / "data"
    shutil.copytree(pristine, root)
    (root / spoil.rel).write_bytes(spoil.content)
    cwd = os.getcwd()
    os.chdir(base)
    try:
        yield root
    finally:
        os.chdir(cwd)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_bounds_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (limits.ENV_MAX_STATES, limits.ENV_MAX_INDICATORS, limits.ENV_MAX_FILE_BYTES, "HARMON_DEBUG"):
        monkeypatch.delenv(name, raising=False)


def check_problems(root: Path, problems: list[harmon.Problem]) -> None:
    """Every problem names a file or folder inside the dataset, on one line, at a line it has."""
    for problem in problems:
        where = problem.format()
        assert problem.path == root or root in problem.path.parents, where
        assert problem.message.strip() and "\n" not in problem.message and "\r" not in problem.message, where
        assert len(problem.message) < 5000, where[:300]
        if problem.line is not None:
            assert problem.path.is_file(), where
            count = problem.path.read_bytes().count(b"\n") + 1
            assert 1 <= problem.line <= count, f"{where} (the file has {count} lines)"


def check_library(root: Path, spoil: Spoiled) -> list[harmon.Problem]:
    dataset, problems = check_dataset(root)
    assert (dataset is None) == bool(problems)
    check_problems(root, problems)
    try:
        loaded = harmon.load_dataset(root)
    except DatasetInvalid as exc:
        assert exc.problems, "DatasetInvalid with no problem"
        assert problems, "load_dataset refuses what check_dataset accepts"
        check_problems(root, exc.problems)
        # check_dataset checks more (ISO codes, unrecorded indicators), never less.
        assert set(exc.problems) <= set(problems)
    else:
        assert not spoil.broken, f"{spoil.how} was not refused"
        harmon.score_year(loaded, loaded.last_year)
    if spoil.broken:
        assert problems, f"{spoil.how} was not refused"
    return problems


def check_cli_output(code: int, out: str, problems: list[harmon.Problem], root: Path, summary: str) -> None:
    assert "Traceback" not in out, out
    if not problems:
        assert code == 0, out
        return
    assert code == 1, out
    lines = [line for line in out.splitlines() if line.strip()]
    named = [line for line in lines if line.startswith(f"{root.name}/") or line.startswith(f"{root.name}:")]
    others = [line for line in lines if line not in named]
    assert len(named) == len(problems), out
    assert len(others) == 1 and summary in others[0], out


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"harmon {' '.join(args)} crashed: {result.exception!r}\n{result.output}")
    return result.exit_code, result.output


# --- the properties ----------------------------------------------------------------------------


@examples(60)
@given(spoil=spoils)
def test_library_never_crashes_on_a_spoiled_file(pristine: Path, spoil: Spoiled) -> None:
    with spoiled_copy(pristine, spoil) as root:
        check_library(root, spoil)


@examples(20)
@given(spoil=spoils.filter(lambda s: s.broken))
def test_broken_data_is_refused(pristine: Path, spoil: Spoiled) -> None:
    with spoiled_copy(pristine, spoil) as root:
        assert check_library(root, spoil)


@examples(15)
@given(first=spoils, second=spoils)
def test_two_spoiled_files_are_both_reported(pristine: Path, first: Spoiled, second: Spoiled) -> None:
    assume(first.rel != second.rel)
    with spoiled_copy(pristine, first) as root:
        (root / second.rel).write_bytes(second.content)
        problems = check_library(root, Spoiled(first.rel, b"", "two", first.broken or second.broken))
        for spoil in (first, second):
            if spoil.broken:
                assert any(p.path == root / spoil.rel for p in problems), f"{spoil.how} not reported"


@examples(25)
@given(spoil=spoils)
def test_commands_exit_1_on_a_broken_dataset(pristine: Path, spoil: Spoiled) -> None:
    with spoiled_copy(pristine, spoil) as root:
        _, problems = check_dataset(root)
        code, out = run(["validate", "--data", str(root)])
        check_cli_output(code, out, problems, root, "problem(s) in")
        try:
            harmon.load_dataset(root)
            load_problems: list[harmon.Problem] = []
        except DatasetInvalid as exc:
            load_problems = exc.problems
        for args in (["score", "--data", str(root)], ["export", "-o", "-", "--data", str(root)]):
            code, out = run(args)
            check_cli_output(code, out, load_problems, root, "nothing was scored")


@examples(10)
@given(spoil=spoils)
def test_the_console_entry_never_reports_an_internal_error(
    pristine: Path, spoil: Spoiled, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from harmon.cli import main

    with spoiled_copy(pristine, spoil) as root:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["harmon", "score", "--data", str(root)])
        with pytest.raises(SystemExit) as info:
            main()
        out, err = capsys.readouterr()
        assert info.value.code in (0, 1, None), err
        assert "Traceback" not in out + err and "internal error" not in err, err


# --- weights files -----------------------------------------------------------------------------

WEIGHTS = """\
name: Treaties count double
note: An example scheme.
dimensions:
  treaties: 2
  regional: 1
indicators:
  mlat: 0.5
  untoc: 3
"""
SCHEMES = """\
schemes:
  - name: Equal
  - name: Treaties double
    dimensions: {treaties: 2}
  - name: Law heavy
    indicators:
      trafficking_law: 4
"""


@st.composite
def weights_files(draw: Any) -> Spoiled:
    base = draw(st.sampled_from([WEIGHTS, SCHEMES]))
    rel = Path("weights.yaml")
    lines = base.split("\n")
    n = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["value", "value", "delete", "double", "insert", "bytes", "yaml", "negative"]))
    broken = False
    if kind == "value":
        key, sep, _ = lines[n].partition(": ")
        assume(sep)
        lines[n] = f"{key}: {draw(text_values)}"
    elif kind == "delete":
        del lines[n]
    elif kind == "double":
        lines.insert(n, lines[n])
    elif kind == "insert":
        lines.insert(n, " " * draw(st.integers(0, 6)) + draw(text_values.map(lambda v: f"{v}: {v}")))
    elif kind == "bytes":
        raw = base.encode()
        at = draw(st.integers(0, len(raw)))
        return Spoiled(rel, raw[:at] + draw(st.binary(min_size=1, max_size=32)) + raw[at:], "bytes", False)
    elif kind == "yaml":
        value = draw(plain)
        return Spoiled(rel, yaml.safe_dump(value, allow_unicode=True).encode(), "generated", not isinstance(value, dict))
    elif kind == "negative":
        weights = [i for i, l in enumerate(lines) if l.rstrip()[-1:].isdigit() and ": " in l]
        n = draw(st.sampled_from(weights))
        key = lines[n].rsplit(": ", 1)[0]
        lines[n] = f"{key}: " + draw(st.sampled_from(["0", "-1", "1e400", ".nan", ".inf", "yes", "[]", "{}", "'2'", "two", "9" * 5000]))
        broken = True
    return Spoiled(rel, "\n".join(lines).encode("utf-8"), f"{kind} at line {n + 1}", broken)


@examples(80)
@given(spoil=weights_files())
def test_weights_files_never_crash(dataset: "harmon.Dataset", tmp_path_factory: pytest.TempPathFactory, spoil: Spoiled) -> None:
    from harmon.errors import WeightsInvalid
    from harmon.data.weights import load_weight_schemes, load_weights

    path = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp())) / "weights.yaml"
    path.write_bytes(spoil.content)
    for load in (load_weights, load_weight_schemes):
        try:
            load(path, dataset.model)
        except WeightsInvalid as exc:
            assert exc.problems
            for problem in exc.problems:
                assert problem.path == path, problem.format()
                assert "\n" not in problem.message and len(problem.message) < 5000, problem.format()
                if problem.line is not None:
                    assert 1 <= problem.line <= spoil.content.count(b"\n") + 1, problem.format()
        except HarmonError as exc:  # pragma: no cover - reported below
            raise AssertionError(f"{spoil.how}: {type(exc).__name__} instead of WeightsInvalid: {exc}")
        else:
            assert not spoil.broken, f"{spoil.how} was not refused"


@examples(10)
@given(spoil=weights_files())
def test_score_with_a_broken_weights_file(
    dataset: "harmon.Dataset", tmp_path_factory: pytest.TempPathFactory, spoil: Spoiled
) -> None:
    from harmon.errors import WeightsInvalid
    from harmon.data.weights import load_weights

    folder = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    path = folder / "weights.yaml"
    path.write_bytes(spoil.content)
    try:
        load_weights(path, dataset.model)
        problems: list[harmon.Problem] = []
    except WeightsInvalid as exc:
        problems = exc.problems
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        code, out = run(["score", "--weights", str(path)])
    finally:
        os.chdir(cwd)
    assert "Traceback" not in out, out
    if problems:
        assert code == 1, out
        assert all(line.startswith("weights.yaml") or "nothing was scored" in line for line in out.splitlines() if line.strip()), out
    else:
        assert code == 0, out
