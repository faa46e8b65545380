"""Bad input never crashes.

Each case copies the shipped dataset, spoils one file, and checks three things: the library
(`validate_dataset` returns, `load_dataset` raises `DatasetInvalid` with) the problem at the right
file and line; `harmon validate` and `harmon score` print it as one `file:line: message` line, exit
1 and print no traceback. Expected lines are computed from the text written, never copied from
what harmon prints. A few cases also go through the real console entry (`harmon.cli:main`, with
its catch-all) in a subprocess.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import yaml
from typer.testing import CliRunner

import harmon
from harmon.data import yamlio
from harmon.cli import app

REPO = Path(__file__).resolve().parent.parent
COUNTRY = "countries/cambodia.yaml"
# The lines of the Cambodia file that the cases below edit, each unique in the file.
UNTOC_STATUS = '  untoc:\n    status: "yes"'
UNTOC_YEAR = "    year: 2005"
UNTOC_SOURCE = "    source: lau2016-table4\n  trafficking_protocol:"
MLAT_SOURCE = "    source: lau2016-table3\n  hsu_process:"
HSU_NOTE = "    note: One of the four founding members of the HSU Process in 2004."
ENTRY = [sys.executable, "-c", "from harmon.cli import main; main()"]


# --- helpers -----------------------------------------------------------------------------------


class Data:
    """A copy of the shipped dataset under `root`, with helpers to spoil one file."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, rel: str) -> Path:
        return self.root / rel

    def text(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def write(self, rel: str, content: str | bytes) -> str | bytes:
        if isinstance(content, bytes):
            self.path(rel).write_bytes(content)
        else:
            self.path(rel).write_text(content, encoding="utf-8")
        return content

    def replace(self, rel: str, old: str, new: str) -> str:
        text = self.text(rel)
        assert text.count(old) == 1, f"{old!r} is not once in {rel}: the shipped file changed"
        return self.write(rel, text.replace(old, new))


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the one line of `text` that contains `needle`."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}"
    return hits[0]


@dataclass
class Expect:
    rel: str  # the file the problem is in, relative to the dataset
    line: int | None  # None: a problem of the whole file
    fragments: list[str]  # each must be in the message
    count: int = 1  # problems in all
    marker: Path | None = None  # a file that must not exist afterwards (nothing was executed)


def run_cli(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    # CliRunner turns an uncaught exception into exit code 1, the code for bad data: a crash must
    # not pass for a clean refusal.
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"harmon {' '.join(args)} crashed: {result.exception!r}\n{result.output}")
    return result.exit_code, result.output


def run_entry(args: list[str], cwd: Path) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k != "HARMON_DEBUG"}
    proc = subprocess.run([*ENTRY, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout + proc.stderr


def shown(data: Data, rel: str) -> str:
    # The tests run in the dataset's parent folder, and the CLI shows paths relative to it.
    return (Path(data.root.name) / rel).as_posix()


def check_problems(problems: list[harmon.Problem], data: Data, expect: Expect) -> None:
    listing = "\n".join(p.format() for p in problems)
    path = data.path(expect.rel)
    assert len(problems) == expect.count, listing
    assert all(p.path == path for p in problems), listing
    hits = [p for p in problems if p.line == expect.line and all(f in p.message for f in expect.fragments)]
    assert len(hits) == 1, f"wanted line {expect.line} with {expect.fragments}, got:\n{listing}"
    assert all("\n" not in p.message for p in problems), listing


def check_output(code: int, out: str, data: Data, expect: Expect, summary: str) -> None:
    assert "Traceback" not in out, out
    assert code == 1, out
    lines = [line for line in out.splitlines() if line.strip()]
    name = shown(data, expect.rel)
    problem_lines = [line for line in lines if line.startswith(f"{name}:")]
    # One line per problem and one summary line: nothing else, no message running over two lines.
    assert len(problem_lines) == expect.count, out
    assert [line for line in lines if line not in problem_lines] == [
        next(line for line in lines if summary in line)
    ], out
    prefix = f"{name}:{expect.line}: " if expect.line is not None else f"{name}: "
    hits = [line for line in problem_lines if line.startswith(prefix) and all(f in line for f in expect.fragments)]
    assert len(hits) == 1, f"wanted {prefix!r} with {expect.fragments} in:\n{out}"


def check_everywhere(data: Data, expect: Expect) -> None:
    """The library and both commands report `expect`, exit 1, and nothing was executed."""
    problems = harmon.validate_dataset(data.root)
    check_problems(problems, data, expect)
    with pytest.raises(harmon.DatasetInvalid) as info:
        harmon.load_dataset(data.root)
    assert info.value.problems == problems
    check_output(*run_cli(["validate", "--data", str(data.root)]), data, expect, "problem(s) in")
    check_output(*run_cli(["score", "--year", "2011", "--data", str(data.root)]), data, expect, "nothing was scored")
    if expect.marker is not None:
        assert not expect.marker.exists(), "a YAML tag ran a command"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Data:
    root = tmp_path / "data"
    root.mkdir()
    for name in ("region.yaml", "references.yaml"):
        shutil.copy(REPO / name, root / name)
    for name in ("indicators", "countries"):
        shutil.copytree(REPO / name, root / name)
    monkeypatch.chdir(tmp_path)
    return Data(root)


# --- the bad inputs ----------------------------------------------------------------------------


def unclosed_bracket(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_SOURCE, UNTOC_SOURCE.replace("source: ", "source: ["))
    opened = line_of(text, "[lau2016-table4")
    # The parser notices on the next line, where an entry follows with no ',' or ']'; the
    # message also names the line the bracket was opened on.
    return Expect(COUNTRY, opened + 1, ["invalid YAML", f"begins on line {opened}"])


def unclosed_bracket_at_end(d: Data) -> Expect:
    text = d.write(COUNTRY, d.text(COUNTRY) + "extra: [a, b\n")
    # The parser stops at the end of the file: the line named is the last one, not one past it.
    return Expect(COUNTRY, len(text.splitlines()), ["invalid YAML"])


def tab_in_nested_indentation(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_YEAR, "\tyear: 2005")
    return Expect(COUNTRY, line_of(text, "\tyear"), ["tab character in indentation"])


def tab_in_top_level_indentation(d: Data) -> Expect:
    text = d.replace(COUNTRY, "iso3: KHM", "\tiso3: KHM")
    return Expect(COUNTRY, line_of(text, "\tiso3"), ["tab character in indentation"])


def year_as_string(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_YEAR, '    year: "2004"')
    return Expect(COUNTRY, line_of(text, '"2004"'), ["facts.untoc.year", "integer", "'2004'", "without quotes"])


def status_as_number(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_STATUS, "  untoc:\n    status: 3")
    return Expect(COUNTRY, line_of(text, "status: 3"), ["facts.untoc.status", "string", "got 3"])


def list_for_a_mapping(d: Data) -> Expect:
    block = f'{UNTOC_STATUS}\n{UNTOC_YEAR}\n{UNTOC_SOURCE}'
    text = d.replace(COUNTRY, block, '  untoc: ["yes", 2005, lau2016-table4]\n  trafficking_protocol:')
    # A list is a history of facts: each of its three entries is not a fact.
    return Expect(COUNTRY, line_of(text, "untoc:"), ["facts.untoc.1", "expected a mapping", "found int"], count=3)


def top_level_list(d: Data) -> Expect:
    d.write(COUNTRY, "# a list, not a mapping\n- country: Cambodia\n- iso3: KHM\n")
    return Expect(COUNTRY, 2, ["expected a mapping", "found list"])


def references_top_level_list(d: Data) -> Expect:
    d.write("references.yaml", "- lau2016\n- may\n")
    return Expect("references.yaml", 1, ["expected a mapping", "found list"])


def region_year_as_string(d: Data) -> Expect:
    text = d.replace("region.yaml", "  first: 1997", '  first: "1997"')
    return Expect("region.yaml", line_of(text, 'first: "1997"'), ["period.first", "'1997'"])


def unknown_indicator(d: Data) -> Expect:
    text = d.replace(COUNTRY, "  untoc:\n", "  untocc:\n")
    return Expect(COUNTRY, line_of(text, "untocc:"), ["unknown indicator 'untocc'", "did you mean 'untoc'?"])


def unknown_status(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_STATUS, "  untoc:\n    status: maybe")
    return Expect(COUNTRY, line_of(text, "status: maybe"), ["unknown status 'maybe'", "expected one of", "yes"])


def unquoted(word: str) -> Callable[[Data], Expect]:
    def case(d: Data) -> Expect:
        text = d.replace(COUNTRY, UNTOC_STATUS, f"  untoc:\n    status: {word}")
        return Expect(COUNTRY, line_of(text, f"status: {word}"), ["boolean", f'"{word}" in quotes'])

    case.__name__ = f"unquoted_{word}"
    return case


def unquoted_yes_as_a_key(d: Data) -> Expect:
    text = d.replace("indicators/model.yaml", '  event:\n    "yes": 1', "  event:\n    yes: 1")
    return Expect("indicators/model.yaml", line_of(text, "    yes: 1"), ["boolean", '"yes" in quotes'])


def octal_year(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_YEAR, "    year: 012")
    return Expect(COUNTRY, line_of(text, "year: 012"), ["'012'", "decimal", "quote"])


def impossible_year(year: int) -> Callable[[Data], Expect]:
    def case(d: Data) -> Expect:
        text = d.replace(COUNTRY, UNTOC_YEAR, f"    year: {year}")
        return Expect(COUNTRY, line_of(text, f"year: {year}"), ["facts.untoc.year", f"got {year}"])

    case.__name__ = f"year_{year}"
    return case


def year_after_observed(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_YEAR, "    year: 2016\n    observed: 2015")
    # The problem is of the fact as a whole: it is reported at the fact's first line.
    return Expect(COUNTRY, line_of(text, "untoc:"), ["year 2016 is after the year it was observed (2015)"])


def duplicate_state(d: Data) -> Expect:
    rel = "countries/zz-kampuchea.yaml"  # read after cambodia.yaml
    text = d.write(rel, d.text(COUNTRY).replace("country: Cambodia", "country: Kampuchea"))
    return Expect(rel, line_of(text, "iso3: KHM"), ["duplicate state", "'KHM'", "cambodia.yaml"])


def duplicate_key(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_YEAR, f"{UNTOC_YEAR}\n    year: 2006")
    first = line_of(text, "year: 2005")
    return Expect(COUNTRY, line_of(text, "year: 2006"), ["duplicate key 'year'", f"first given on line {first}"])


def unknown_reference(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_SOURCE, UNTOC_SOURCE.replace("table4", "tabel4"))
    return Expect(
        COUNTRY, line_of(text, "tabel4"), ["unknown reference 'lau2016-tabel4'", "did you mean 'lau2016-table4'?"]
    )


def unsafe_tag(template: str, tag: str, name: str) -> Callable[[Data], Expect]:
    def case(d: Data) -> Expect:
        marker = d.root.parent / f"executed-{name}"
        text = d.replace(COUNTRY, HSU_NOTE, "    note: " + template.format(marker=marker))
        return Expect(COUNTRY, line_of(text, "!!python"), ["unsupported YAML tag", tag], marker=marker)

    case.__name__ = f"unsafe_{name}"
    return case


def anchor_and_alias(d: Data) -> Expect:
    d.replace(COUNTRY, MLAT_SOURCE, MLAT_SOURCE.replace("source: ", "source: &src "))
    text = d.replace(COUNTRY, UNTOC_SOURCE, "    source: *src\n  trafficking_protocol:")
    return Expect(COUNTRY, line_of(text, "&src"), ["anchors and aliases"])


# Nine levels of nine aliases: 9**9 (387 million) strings if a loader expanded them.
BILLION_LAUGHS = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi")
)


def billion_laughs(d: Data) -> Expect:
    text = d.write(COUNTRY, BILLION_LAUGHS)
    return Expect(COUNTRY, line_of(text, "&a "), ["anchors and aliases"])


def empty_file(d: Data) -> Expect:
    d.write(COUNTRY, "")
    return Expect(COUNTRY, None, ["empty"])


def only_comments(d: Data) -> Expect:
    d.write(COUNTRY, "# Cambodia: to be coded\n\n# nothing yet\n")
    return Expect(COUNTRY, None, ["empty"])


def binary_file(d: Data) -> Expect:
    d.write(COUNTRY, random.Random(20160202).randbytes(2048) + b"\x00")
    return Expect(COUNTRY, None, ["not a text file"])


def not_utf8(d: Data) -> Expect:
    data = d.text(COUNTRY).encode("utf-8").replace(b"country: Cambodia", b"country: Cambodge \xe9")
    d.write(COUNTRY, data)
    line = data[: data.index(b"\xe9")].count(b"\n") + 1
    return Expect(COUNTRY, line, ["not UTF-8", "0xe9"])


def huge_file(d: Data) -> Expect:
    padding = ("# " + "x" * 98 + "\n") * (yamlio.MAX_FILE_BYTES // 100 + 10)
    d.write(COUNTRY, d.text(COUNTRY) + padding)
    return Expect(COUNTRY, None, ["bytes", f"at most {yamlio.MAX_FILE_BYTES:,}"])


def missing_region(d: Data) -> Expect:
    d.path("region.yaml").unlink()
    return Expect("region.yaml", None, ["missing"])


def misspelt_key(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_STATUS, UNTOC_STATUS.replace("status", "stauts"))
    # Two problems: the misspelt key, and the `status` it leaves missing.
    return Expect(COUNTRY, line_of(text, "stauts"), ["unknown key 'stauts'", "did you mean 'status'?"], count=2)


def deep_nesting(opening: str, closing: str, name: str) -> Callable[[Data], Expect]:
    def case(d: Data) -> Expect:
        text = d.replace(COUNTRY, HSU_NOTE, "    note: " + opening * 10_000 + closing * 10_000)
        return Expect(COUNTRY, line_of(text, "note: " + opening), ["nesting too deep"])

    case.__name__ = f"deep_{name}"
    return case


def control_character(d: Data) -> Expect:
    text = d.replace(COUNTRY, "country: Cambodia", "country: Camb\x07odia")
    return Expect(COUNTRY, line_of(text, "\x07"), ["control character", "U+0007"])


def integer_too_long(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_YEAR, "    year: " + "9" * 5000)
    return Expect(COUNTRY, line_of(text, "year: 999"), ["too long"])


def two_documents(d: Data) -> Expect:
    text = d.write(COUNTRY, d.text(COUNTRY) + "---\ncountry: Kampuchea\n")
    return Expect(COUNTRY, line_of(text, "---"), ["more than one YAML document"])


def missing_colon(d: Data) -> Expect:
    # PyYAML notices on the next line; the colon is missing on this one.
    text = d.replace(COUNTRY, UNTOC_YEAR, "    year 2005")
    return Expect(COUNTRY, line_of(text, "year 2005"), ["no colon after the key 'year'", "write 'year: 2005'"])


def missing_colon_before_a_block(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_STATUS, '  untoc\n    status: "yes"')
    return Expect(COUNTRY, line_of(text, "  untoc"), ["no colon after the key 'untoc'", "write 'untoc:'"])


def colon_in_a_plain_value(d: Data) -> Expect:
    text = d.replace(COUNTRY, HSU_NOTE, "    note: Founder: one of the four in 2004.")
    return Expect(COUNTRY, line_of(text, "Founder:"), ["a second ': '", "quotes"])


def indented_too_far(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_YEAR, "      year: 2005")
    above = line_of(text, "      year: 2005") - 1  # the status line, at 4 spaces
    return Expect(COUNTRY, above + 1, ["indented 6 spaces", f"more than line {above} above it (4)", "by 4 spaces"])


def indented_between_two_blocks(d: Data) -> Expect:
    text = d.replace(COUNTRY, UNTOC_YEAR, "   year: 2005")
    block = line_of(text, "facts:") + 1  # the block of facts begins with its first key, at 2 spaces
    line = line_of(text, "   year: 2005")
    return Expect(COUNTRY, line, ["indented 3 spaces", f"line {block} (2)", f"line {line - 1} above it (4)"])


CASES = [
    missing_colon,
    missing_colon_before_a_block,
    colon_in_a_plain_value,
    indented_too_far,
    indented_between_two_blocks,
    unclosed_bracket,
    unclosed_bracket_at_end,
    tab_in_nested_indentation,
    tab_in_top_level_indentation,
    year_as_string,
    status_as_number,
    list_for_a_mapping,
    top_level_list,
    references_top_level_list,
    region_year_as_string,
    unknown_indicator,
    unknown_status,
    unquoted("yes"),
    unquoted("no"),
    unquoted_yes_as_a_key,
    octal_year,
    impossible_year(1850),
    impossible_year(2999),
    year_after_observed,
    duplicate_state,
    duplicate_key,
    unknown_reference,
    unsafe_tag('!!python/object/apply:os.system ["touch {marker}"]', "!!python/object/apply:os.system", "apply"),
    unsafe_tag('!!python/object/new:os.system ["touch {marker}"]', "!!python/object/new:os.system", "new"),
    unsafe_tag('!!python/object:subprocess.Popen {{args: ["touch", "{marker}"]}}', "!!python/object:subprocess.Popen", "object"),
    unsafe_tag("!!python/name:os.system", "!!python/name:os.system", "name"),
    anchor_and_alias,
    billion_laughs,
    empty_file,
    only_comments,
    binary_file,
    not_utf8,
    huge_file,
    missing_region,
    misspelt_key,
    deep_nesting("[", "]", "flow_sequence"),
    deep_nesting("[", "", "unclosed_sequence"),
    deep_nesting("{a: ", "}", "flow_mapping"),
    control_character,
    integer_too_long,
    two_documents,
]


# --- tests -------------------------------------------------------------------------------------


def test_the_unspoilt_copy_is_clean(data: Data) -> None:
    # Without this, every case below could pass on a copy that was broken to begin with.
    assert harmon.validate_dataset(data.root) == []
    code, out = run_cli(["validate", "--data", str(data.root)])
    assert code == 0 and ": OK: " in out, out


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_bad_input_is_reported_not_crashed_on(data: Data, case: Callable[[Data], Expect]) -> None:
    check_everywhere(data, case(data))


SHIPPED_TEXTS = {
    path.read_text(encoding="utf-8-sig")
    for path in (REPO / "region.yaml", REPO / "references.yaml", *REPO.glob("indicators/*.yaml"), *REPO.glob("countries/*.yaml"))
}


def spoilt_files_in_pure_python(stream: str) -> yaml.BaseLoader:
    """A loader that parses every text the cases changed with PyYAML's pure-Python parser, and
    the shipped files, which `test_the_unspoilt_copy_is_clean_in_pure_python` parses in pure
    Python, with libyaml (the pure-Python parser takes a tenth of a second for the dataset)."""
    if stream in SHIPPED_TEXTS and hasattr(yaml, "CSafeLoader"):
        return yaml.CSafeLoader(stream)
    return yaml.SafeLoader(stream)


def test_the_unspoilt_copy_is_clean_in_pure_python(data: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "_LOADER", yaml.SafeLoader)
    assert harmon.validate_dataset(data.root) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_pure_python_parser_reports_the_same(
    data: Data, case: Callable[[Data], Expect], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without libyaml harmon falls back to PyYAML's pure-Python parser: same problems, same lines.
    monkeypatch.setattr(yamlio, "_LOADER", spoilt_files_in_pure_python)
    expect = case(data)
    check_problems(harmon.validate_dataset(data.root), data, expect)
    if expect.marker is not None:
        assert not expect.marker.exists()


def test_alias_bomb_is_refused_fast(data: Data) -> None:
    data.write(COUNTRY, BILLION_LAUGHS)
    assert BILLION_LAUGHS.count("*") == 8 * 9
    start = time.perf_counter()
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.read_yaml(data.path(COUNTRY))
    assert time.perf_counter() - start < 1.0
    assert "anchors and aliases" in info.value.problem.message


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_unreadable_file(data: Data) -> None:
    path = data.path(COUNTRY)
    path.chmod(0)
    try:
        check_everywhere(data, Expect(COUNTRY, None, ["cannot read file", "ermission denied"]))
    finally:
        path.chmod(0o644)


def test_unreadable_file_simulated(data: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same as above for any user, root included: reading this one file fails as chmod 000 would.
    target = data.path(COUNTRY)
    read_bytes = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    check_everywhere(data, Expect(COUNTRY, None, ["cannot read file: Permission denied"]))


def test_missing_data_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    with pytest.raises(harmon.DatasetNotFound):
        harmon.load_dataset(missing)
    with pytest.raises(harmon.DatasetNotFound):
        harmon.validate_dataset(missing)
    for args in (["validate", "--data", str(missing)], ["score", "--year", "2011", "--data", str(missing)]):
        code, out = run_cli(args)
        assert code == 2, out
        assert out.strip().splitlines() == [f"harmon: {missing}: no such data folder"]


def test_a_file_given_as_the_data_folder_is_not_a_folder(tmp_path: Path) -> None:
    # Trial item 5: "no such data folder" for a path that is there (a file) sent people looking.
    file = tmp_path / "passwd"
    file.write_text("root:x:0:0\n")
    for call in (harmon.load_dataset, harmon.validate_dataset, harmon.check_dataset):
        with pytest.raises(harmon.DatasetNotFound) as info:
            call(file)
        assert str(info.value) == f"{file}: not a folder (a dataset is a folder)"


def remove(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


# (what is done to the dataset, the problems then, as (path, message)): every file and folder a
# dataset needs, gone, empty or the wrong kind, is named; none is a failure with no problem.
REQUIRED_PARTS = [
    # Trial item 4: indicators/ with no model gave "0 problem(s) in 0 file(s)" and exit 1.
    ("no_model", lambda root: remove(root / "indicators/model.yaml"),
     [("indicators/model.yaml", "missing: a dataset needs this file")]),
    ("model_not_yaml", lambda root: (root / "indicators/model.yaml").rename(root / "indicators/model.txt"),
     [("indicators/model.yaml", "missing: a dataset needs this file")]),
    ("no_indicators", lambda root: remove(root / "indicators"),
     [("indicators", "missing: a dataset needs this folder")]),
    ("indicators_a_file", lambda root: (remove(root / "indicators"), (root / "indicators").write_text("x")),
     [("indicators", "not a folder")]),
    ("no_region", lambda root: remove(root / "region.yaml"), [("region.yaml", "missing: a dataset needs this file")]),
    ("region_a_folder", lambda root: (remove(root / "region.yaml"), (root / "region.yaml").mkdir()),
     [("region.yaml", "not a regular file (a folder, a device or a pipe)")]),
    ("no_references", lambda root: remove(root / "references.yaml"),
     [("references.yaml", "missing: a dataset needs this file")]),
    ("no_countries", lambda root: remove(root / "countries"), [("countries", "missing: a dataset needs this folder")]),
    ("empty_countries", lambda root: [remove(p) for p in (root / "countries").iterdir()],
     [("countries", "no country files (*.yaml) in this folder")]),
    ("countries_hidden_only", lambda root: [p.rename(p.with_name("." + p.name)) for p in (root / "countries").iterdir()],
     [("countries", "no country files (*.yaml) in this folder")]),
]


@pytest.mark.parametrize("spoil, expected", [c[1:] for c in REQUIRED_PARTS], ids=[c[0] for c in REQUIRED_PARTS])
def test_every_required_part_is_named_when_it_is_missing(data: Data, spoil: Callable, expected: list) -> None:
    spoil(data.root)
    problems = harmon.validate_dataset(data.root)
    assert [(p.path, p.line, p.message) for p in problems] == [(data.root / rel, None, m) for rel, m in expected]
    with pytest.raises(harmon.DatasetInvalid) as info:
        harmon.load_dataset(data.root)
    assert info.value.problems == problems
    code, out = run_cli(["validate", "--data", str(data.root)])
    assert code == 1 and out.splitlines() == [f"data/{rel}: {m}" for rel, m in expected] + [
        f"{len(expected)} problem(s) in {len(expected)} file(s)"], out


# Each public function given an argument of the wrong type: a `BadValue` (a HarmonError) naming the
# parameter, never TypeError, AttributeError or a year taken from a bool (trial item 5).
BAD_ARGUMENTS = [
    ("score_year_str", lambda d: harmon.score_year(d, "2011"), "year must be an int, got '2011' (str)"),
    ("score_year_bool", lambda d: harmon.score_year(d, True), "year must be an int, got True (bool)"),
    ("score_year_float", lambda d: harmon.score_year(d, 2011.0), "year must be an int, got 2011.0 (float)"),
    ("score_year_none", lambda d: harmon.score_year(d, None), "year must be an int, got None (NoneType)"),
    ("diff", lambda d: harmon.diff(d, "a", 2015), "year_1 must be an int, got 'a' (str)"),
    ("diff_second", lambda d: harmon.diff(d, 2004, 2015.0), "year_2 must be an int, got 2015.0 (float)"),
    ("score_panel_str", lambda d: harmon.score_panel(d, ["2011"]), "years must be an int, got '2011' (str)"),
    ("score_panel_none", lambda d: harmon.score_panel(d, []), "years must hold at least one year, got none"),
    ("score_panel_empty_range", lambda d: harmon.score_panel(d, range(2016, 2016)), "years must hold at least one year, got none"),
    ("explain_state", lambda d: harmon.explain(d, None, 2011), "state must be a state's name or ISO code (a str), got None (NoneType)"),
    ("diff_country", lambda d: harmon.diff(d, 2004, 2015, country=["THA"]),
     "state must be a state's name or ISO code (a str), got ['THA'] (list)"),
    ("timeline_country", lambda d: harmon.timeline(d, country=3), "state must be a state's name or ISO code (a str), got 3 (int)"),
    ("explain", lambda d: harmon.explain(d, "Thailand", "2011"), "year must be an int, got '2011' (str)"),
    ("status", lambda d: harmon.status(d, year=False), "year must be an int, got False (bool)"),
    ("sensitivity", lambda d: harmon.sensitivity(d, 2011.5), "year must be an int, got 2011.5 (float)"),
    ("trend", lambda d: harmon.trend(d, "2004", 2015), "first must be an int, got '2004' (str)"),
    ("build_export", lambda d: harmon.build_export(d, "wide", 2004, 2015.0), "last must be an int, got 2015.0 (float)"),
    ("load_dataset", lambda d: harmon.load_dataset(123), "root must be a path (a str or a pathlib.Path), got 123 (int)"),
    ("validate_dataset", lambda d: harmon.validate_dataset(b"/tmp"),
     "root must be a path (a str or a pathlib.Path), got b'/tmp' (bytes)"),
    ("load_weights", lambda d: harmon.load_weights(None, d.model),
     "path must be a path (a str or a pathlib.Path), got None (NoneType)"),
    ("apply_weights", lambda d: harmon.apply_weights(d, 1), "path must be a path (a str or a pathlib.Path), got 1 (int)"),
    ("init_folder", lambda d: harmon.init_dataset(5, "Ghana"),
     "folder must be a path (a str or a pathlib.Path), got 5 (int)"),
    ("init_states", lambda d: harmon.init_dataset("new", None), "states must be a str or an iterable of str, got None (NoneType)"),
    ("init_state_list", lambda d: harmon.init_dataset("new", ["Ghana", 1]),
     "states must be a str or an iterable of str, got ['Ghana', 1] (list)"),
    ("init_first", lambda d: harmon.init_dataset("new", "Ghana", first="2000"), "first must be an int, got '2000' (str)"),
    ("init_name", lambda d: harmon.init_dataset("new", "Ghana", name=3), "name must be a str or None, got 3 (int)"),
]


@pytest.mark.parametrize("call, message", [c[1:] for c in BAD_ARGUMENTS], ids=[c[0] for c in BAD_ARGUMENTS])
def test_an_argument_of_the_wrong_type_is_a_harmon_error(dataset: harmon.Dataset, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch, call: Callable, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(harmon.InvalidOption) as info:
        call(dataset)
    assert str(info.value) == message
    assert not (tmp_path / "new").exists()


def test_a_numpy_year_is_a_year(dataset: harmon.Dataset) -> None:
    # Years from a DataFrame are numpy ints: accepted as the ints they are.
    import numpy as np

    assert dataset.check_year(np.int64(2011)) == 2011 and type(dataset.check_year(np.int64(2011))) is int
    assert harmon.score_year(dataset, np.int16(2011)).countries.equals(harmon.score_year(dataset, 2011).countries)


@pytest.mark.parametrize("year", [1850, 2999])
def test_year_outside_the_data_period(year: int) -> None:
    period = yaml.safe_load((REPO / "region.yaml").read_text(encoding="utf-8"))["period"]
    code, out = run_cli(["score", "--year", str(year)])
    assert code == 2, out
    assert "Traceback" not in out
    assert out.strip().splitlines() == [
        f"harmon: year {year} is outside the data's period {period['first']}-{period['last']}"
    ]


# --- through the real console entry (slow: a few cases only) ------------------------------------


def test_entry_refuses_unsafe_tag_without_running_it(data: Data) -> None:
    expect = unsafe_tag('!!python/object/apply:os.system ["touch {marker}"]', "!!python/object/apply:os.system", "apply")(data)
    code, out = run_entry(["score", "--year", "2011", "--data", str(data.root)], cwd=data.root.parent)
    check_output(code, out, data, expect, "nothing was scored")
    assert not expect.marker.exists()


def test_entry_survives_nesting_that_overflowed_the_c_stack(data: Data) -> None:
    # 200,000 nested `[` (200 kB, well under the size limit) used to kill the process with a
    # segmentation fault in libyaml's recursive composer: exit code -11, no message at all.
    text = data.replace(COUNTRY, HSU_NOTE, "    note: " + "[" * 200_000 + "]" * 200_000)
    expect = Expect(COUNTRY, line_of(text, "note: ["), ["nesting too deep"])
    code, out = run_entry(["validate", "--data", str(data.root)], cwd=data.root.parent)
    check_output(code, out, data, expect, "problem(s) in")


def test_entry_reports_malformed_yaml(data: Data) -> None:
    expect = unclosed_bracket(data)
    code, out = run_entry(["validate", "--data", str(data.root)], cwd=data.root.parent)
    check_output(code, out, data, expect, "problem(s) in")


def test_entry_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    code, out = run_entry(["score", "--year", "2011", "--data", str(missing)], cwd=tmp_path)
    assert (code, out.strip().splitlines()) == (2, [f"harmon: {missing}: no such data folder"])
    code, out = run_entry(["score", "--year", "1850"], cwd=tmp_path)
    assert code == 2 and "Traceback" not in out, out
    assert len(out.strip().splitlines()) == 1 and "year 1850 is outside" in out, out
