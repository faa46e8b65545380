"""Limits, YAML 1.1 traps, and writes that survive signals, a full disk and a read-only folder.

- Limits (harmon/data/limits.py): a dataset over a bound is refused with one line naming the folder or
  file, before the files beyond the bound are parsed; the biggest dataset the bounds are meant for
  (200 states, 40 indicators, 1925-2025) loads and scores.
- YAML 1.1 reads unquoted `NO`, `yes`, `on` as booleans, `012` in octal, `2020-01-01` as a date,
  `1.10` as 1.1: each gives a hint saying how to write the value, at its line.
- An export killed by SIGTERM, SIGINT or SIGHUP while it writes (tested for real, in a subprocess
  whose writer stops half-way) leaves the previous file byte for byte and no temporary file; a
  full disk or a read-only folder gives one line and exit code 2.
"""

from __future__ import annotations

import errno
import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import copy_dataset
from typer.testing import CliRunner

import harmon
from harmon import files
from harmon.cli import app
from harmon.data import limits, yamlio
from harmon.report import writers

REPO = Path(__file__).resolve().parent.parent
COUNTRY = "countries/cambodia.yaml"


# --- helpers -----------------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in (limits.ENV_MAX_STATES, limits.ENV_MAX_INDICATORS, limits.ENV_MAX_FILE_BYTES):
        monkeypatch.delenv(name, raising=False)
    return copy_dataset(tmp_path / "data")


def spoil(root: Path, rel: str, old: str, new: str) -> int:
    """Replace the one `old` in `rel` by `new`; return the line `new` begins on."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {rel}: the shipped file changed"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def run_cli(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"harmon {' '.join(args)} crashed: {result.exception!r}\n{result.output}")
    return result.exit_code, result.output


def one_problem(root: Path) -> harmon.Problem:
    problems = harmon.validate_dataset(root)
    assert len(problems) == 1, "\n".join(p.format() for p in problems)
    return problems[0]


def lines_of(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.strip()]


# --- YAML 1.1 traps ----------------------------------------------------------------------------

UNTOC = '  untoc:\n    status: "yes"\n    year: 2005'
# (file, text in it, replacement, line offset of the value in the replacement, fragments)
TRAPS = [
    ("norway_as_country", COUNTRY, "country: Cambodia", "country: NO", 0, ["country:", "got False", 'write "NO" in quotes']),
    ("norway_as_iso3", COUNTRY, "iso3: KHM", "iso3: NO", 0, ["iso3:", "boolean", 'write "NO" in quotes']),
    ("status_yes", COUNTRY, UNTOC, "  untoc:\n    status: yes\n    year: 2005", 1, ["facts.untoc.status", "boolean", '"yes" in quotes']),
    ("status_on", COUNTRY, UNTOC, "  untoc:\n    status: on\n    year: 2005", 1, ["facts.untoc.status", "boolean", "; the values allowed here are: yes, no, unknown)"]),
    ("status_off_upper", COUNTRY, UNTOC, "  untoc:\n    status: OFF\n    year: 2005", 1, ["boolean", "; the values allowed here are: yes, no, unknown)"]),
    ("status_number", COUNTRY, UNTOC, "  untoc:\n    status: 1\n    year: 2005", 1, ["facts.untoc.status", "as a number", "; the values allowed here are: yes, no, unknown)"]),
    ("status_empty", COUNTRY, UNTOC, "  untoc:\n    status:\n    year: 2005", 1, ["facts.untoc.status", "got no value", "empty"]),
    ("status_tilde", COUNTRY, UNTOC, "  untoc:\n    status: ~\n    year: 2005", 1, ["facts.untoc.status", "(YAML reads unquoted ~ as no value: give one)"]),
    ("octal_year", COUNTRY, UNTOC, '  untoc:\n    status: "yes"\n    year: 012', 2, ["'012'", "decimal digits", "quote"]),
    ("sexagesimal_year", COUNTRY, UNTOC, '  untoc:\n    status: "yes"\n    year: 20:05', 2, ["'20:05'", "decimal digits"]),
    ("date_as_year", COUNTRY, UNTOC, '  untoc:\n    status: "yes"\n    year: 2020-01-01', 2, ["facts.untoc.year", "as a date", "year alone, 2020"]),
    ("month_as_year", COUNTRY, UNTOC, '  untoc:\n    status: "yes"\n    year: 2005-06', 2, ["facts.untoc.year", "year is written alone", "2005"]),
    ("float_year", COUNTRY, UNTOC, '  untoc:\n    status: "yes"\n    year: 2005.0', 2, ["facts.untoc.year", "without a decimal point: 2005"]),
    ("quoted_observed", COUNTRY, UNTOC, '  untoc:\n    status: "yes"\n    observed: "2004"', 2, ["facts.untoc.observed", "'2004'", "without quotes"]),
    ("date_as_member_since", COUNTRY, "member_since: 1999", "member_since: 1999-01-01", 0, ["member_since", "as a date", "1999"]),
    ("version_number", "indicators/model.yaml", 'version: "1"', "version: 1.10", 0, ["version", "got 1.1", '"1.10" in quotes']),
    ("source_number", COUNTRY, "    source: lau2016-table4\n  trafficking_protocol:", "    source: 2016\n  trafficking_protocol:", 0,
     ["facts.untoc.source", '"2016" in quotes']),
    ("region_name_norway", "region.yaml", "name: ASEAN", "name: NO", 0, ["name:", 'write "NO" in quotes']),
    ("period_date", "region.yaml", "  first: 1997", "  first: 1997-01-01", 0, ["period.first", "as a date", "1997"]),
    ("key_no", "indicators/model.yaml", '    "no": 0\n    unknown: null\n  provision', "    no: 0\n    unknown: null\n  provision", 0, ["key no", "boolean", '"no" in quotes']),
    ("key_number", "references.yaml", "  lau2016:\n", "  2016:\n", 0, ["key 2016", "as a number", '"2016" in quotes']),
    ("key_float", "references.yaml", "  lau2016:\n", "  1.10:\n", 0, ["key 1.10", "as a number", '"1.10" in quotes']),
    ("key_null", "references.yaml", "  lau2016:\n", "  null:\n", 0, ["key null", "no value"]),
]


@pytest.mark.parametrize("rel,old,new,offset,fragments", [t[1:] for t in TRAPS], ids=[t[0] for t in TRAPS])
def test_yaml_1_1_trap_gets_a_hint(data: Path, rel: str, old: str, new: str, offset: int, fragments: list[str]) -> None:
    line = spoil(data, rel, old, new) + offset
    problem = one_problem(data)
    assert (problem.path, problem.line) == (data / rel, line), problem.format()
    assert all(f in problem.message for f in fragments), problem.format()
    code, out = run_cli(["validate", "--data", str(data)])
    assert code == 1 and f"data/{rel}:{line}: " in out, out


# (file, text in it, replacement, line offset, the whole message): the hint fits what the field
# takes, not only the word as written (trial item 10).
FITTING_HINTS = [
    # The level is "no": quoting "NO" as written would only give "unknown status 'NO'" next.
    ("status_NO", COUNTRY, UNTOC, "  untoc:\n    status: NO\n    year: 2005", 1,
     'facts.untoc.status: input should be a valid string, got False (YAML reads unquoted NO as a boolean: '
     'write "no" in quotes)'),
    ("status_Yes", COUNTRY, UNTOC, "  untoc:\n    status: Yes\n    year: 2005", 1,
     'facts.untoc.status: input should be a valid string, got True (YAML reads unquoted Yes as a boolean: '
     'write "yes" in quotes)'),
    # A year must be a number: "true" in quotes would be text, refused again.
    ("year_true", COUNTRY, UNTOC, '  untoc:\n    status: "yes"\n    year: true', 2,
     "facts.untoc.year: input should be a valid integer, got True (YAML reads unquoted true as a boolean; "
     "a year is written in digits, such as 2004)"),
    ("member_since_yes", COUNTRY, "member_since: 1999", "member_since: yes", 0,
     "member_since: input should be a valid integer, got True (YAML reads unquoted yes as a boolean; "
     "a year is written in digits, such as 2004)"),
    ("weight_yes", "indicators/model.yaml", "    short: Crim.\n    weight: 1\n", "    short: Crim.\n    weight: yes\n", 1,
     "dimensions.0.weight: input should be a valid number, got True (YAML reads unquoted yes as a boolean; "
     "a number is written in digits)"),
    ("kind_yes", "indicators/model.yaml", "        label: Specific anti-trafficking law\n        kind: event",
     "        label: Specific anti-trafficking law\n        kind: yes", 1,
     "dimensions.0.indicators.0.kind: input should be 'event' or 'status', got True (YAML reads unquoted yes as "
     "a boolean; the values allowed here are: event, status)"),
    # Not 'or write "null" in quotes': a year in quotes is text.
    ("year_null", "region.yaml", "  first: 1997", "  first: null", 0,
     "period.first: input should be a valid integer, got no value (YAML reads unquoted null as no value: give one)"),
]


@pytest.mark.parametrize("rel,old,new,offset,message", [t[1:] for t in FITTING_HINTS], ids=[t[0] for t in FITTING_HINTS])
def test_a_hint_fits_what_the_field_takes(data: Path, rel: str, old: str, new: str, offset: int, message: str) -> None:
    line = spoil(data, rel, old, new) + offset
    problem = one_problem(data)
    assert (problem.path, problem.line, problem.message) == (data / rel, line, message)


@pytest.mark.parametrize("escape", ["\\e[2J", "\\x1b]0;title\\a", "\\r", "\\x9b", "\\0"])
def test_a_control_character_written_as_an_escape_is_refused(data: Path, escape: str) -> None:
    # Raw control characters are refused before parsing; escapes in double quotes make them too,
    # and printed in a table they would act on the terminal (clear it, retitle the window).
    line = spoil(data, COUNTRY, "country: Cambodia", f'country: "Camb{escape}odia"')
    problem = one_problem(data)
    assert (problem.path, problem.line) == (data / COUNTRY, line)
    assert "control character" in problem.message and "not allowed in a value" in problem.message


def test_a_key_with_a_line_break_is_reported_on_one_line(data: Path) -> None:
    # Found by tests/test_fuzz.py: the key's line break split the message in two.
    line = spoil(data, COUNTRY, "facts:\n", 'facts:\n  ? "\\n\\n  "\n  : null\n') + 1
    problems = harmon.validate_dataset(data)
    assert problems and all(p.line == line and "\n" not in p.message for p in problems), problems
    assert [p.message for p in problems] == ["a key holds a line break: a key is a name on one line"]
    code, out = run_cli(["validate", "--data", str(data)])
    assert code == 1 and len(lines_of(out)) == len(problems) + 1, out


def test_a_file_name_with_a_line_break_or_escape_is_shown_on_one_line(data: Path) -> None:
    (data / "countries" / "bad\nname\x1b[2J.yaml").write_text("country: [\n", encoding="utf-8")
    code, out = run_cli(["validate", "--data", str(data)])
    assert code == 1 and "\x1b" not in out, out
    assert lines_of(out)[0].startswith("data/countries/bad\\nname\\x1b[2J.yaml:1: invalid YAML"), out
    assert len(lines_of(out)) == 2, out


def test_a_date_is_kept_as_written_where_text_is_expected(data: Path) -> None:
    # Not a trap: a milestone's date is text, and YAML's date is kept as the text written.
    spoil(data, "region.yaml", '    date: "1997-12-20"', "    date: 1997-12-20")
    assert harmon.validate_dataset(data) == []
    assert harmon.load_dataset(data).region.milestones[1].date == "1997-12-20"  # the second: after Vision 2020


# --- limits ------------------------------------------------------------------------------------


def test_the_limits_fit_the_biggest_dataset_they_are_meant_for(tmp_path: Path) -> None:
    root = synthetic_dataset(tmp_path / "world", states=200, indicators=40, first=1925, last=2025)
    dataset = harmon.load_dataset(root)
    assert (len(dataset.countries), len(dataset.model.indicators)) == (200, 40)
    assert 200 <= limits.MAX_STATES and 40 <= limits.MAX_INDICATORS
    assert max(p.stat().st_size for p in root.rglob("*.yaml")) * 10 < limits.MAX_FILE_BYTES
    result = harmon.score_year(dataset, 2025)
    assert len(result.countries) == 200


def test_too_many_states_are_refused_before_any_is_parsed(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Files beyond the bound need not even be YAML: none is opened.
    for n in range(limits.MAX_STATES + 1 - 10):
        (data / "countries" / f"extra-{n:04}.yaml").write_bytes(b"\x00 not parsed")
    parsed = spy_on_parsing(monkeypatch)
    problem = one_problem(data)
    assert problem.path == data / "countries"
    assert f"{limits.MAX_STATES + 1:,} country files" in problem.message
    assert f"bound of {limits.MAX_STATES:,} states" in problem.message and "HARMON_MAX_STATES" in problem.message
    assert not [p for p in parsed if p.parent.name == "countries"]
    code, out = run_cli(["score", "--data", str(data)])
    assert code == 1 and lines_of(out)[0].startswith("data/countries: "), out


def test_the_state_bound_can_be_set_by_environment(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARMON_MAX_STATES", "9")
    parsed = spy_on_parsing(monkeypatch)
    problem = one_problem(data)
    assert "10 country files, over the bound of 9 states" in problem.message
    assert not [p for p in parsed if p.parent.name == "countries"]
    monkeypatch.setenv("HARMON_MAX_STATES", "10")
    assert harmon.validate_dataset(data) == []


@pytest.mark.parametrize("value", ["many", "0", "-3", "1.5", "9" * 5000])
def test_a_bad_bound_in_the_environment_is_a_usage_error(data: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("HARMON_MAX_STATES", value)
    with pytest.raises(harmon.InvalidOption):
        harmon.load_dataset(data)
    code, out = run_cli(["score", "--data", str(data)])
    assert code == 2, out
    assert len(lines_of(out)) == 1 and out.startswith("harmon: HARMON_MAX_STATES=") and "whole number" in out, out


def test_too_many_indicators_are_refused_before_any_country_is_parsed(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = "".join(
        f"      - id: extra_{n}\n        label: Extra {n}\n        kind: status\n        levels: provision\n"
        for n in range(limits.MAX_INDICATORS + 1 - 9)
    )
    spoil(data, "indicators/model.yaml", "    indicators:\n      - id: trafficking_law\n",
          f"    indicators:\n{extra}      - id: trafficking_law\n")
    text = (data / "indicators/model.yaml").read_text(encoding="utf-8")
    dimensions_line = text.splitlines().index("dimensions:") + 1
    parsed = spy_on_parsing(monkeypatch)
    problem = one_problem(data)
    assert (problem.path, problem.line) == (data / "indicators/model.yaml", dimensions_line), problem.format()
    assert f"{limits.MAX_INDICATORS + 1:,} indicators, over the bound of {limits.MAX_INDICATORS:,}" in problem.message
    assert "HARMON_MAX_INDICATORS" in problem.message
    assert not [p for p in parsed if p.parent.name == "countries"]
    monkeypatch.setenv("HARMON_MAX_INDICATORS", str(limits.MAX_INDICATORS + 1))
    # Over the bound no more: the countries are read, and lack the new indicators.
    assert any("not recorded: extra_0" in p.message for p in harmon.validate_dataset(data))


def test_file_size_bound_can_be_set_by_environment(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    size = (data / COUNTRY).stat().st_size
    monkeypatch.setenv("HARMON_MAX_FILE_BYTES", str(size - 1))
    problems = harmon.validate_dataset(data)
    # Every file over the bound is named; the Cambodia file among them.
    hit = [p for p in problems if p.path == data / COUNTRY]
    # The unit is said (trial item 10: "at most 10" read as ten of something), and how to change it.
    assert hit and hit[0].message == (f"file is {size:,} bytes; data files may be at most {size - 1:,} bytes "
                                      "(set HARMON_MAX_FILE_BYTES to change the bound)")


def test_too_many_values_in_one_file(data: Path) -> None:
    # 2 bytes a value: within the size bound, over the bound on values.
    count = limits.MAX_NODES + 1
    assert 2 * count < limits.MAX_FILE_BYTES
    line = spoil(data, COUNTRY, "    note: One of the four founding members of the HSU Process in 2004.",
                 "    note: [" + "1," * count + "]")
    problem = one_problem(data)
    assert problem.path == data / COUNTRY and problem.line == line
    assert f"too many values (more than {limits.MAX_NODES:,})" in problem.message


def test_too_many_entries_in_a_folder(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Any entry counts, not only *.yaml: listing a folder of millions of files is work too.
    monkeypatch.setattr("harmon.data.loading.MAX_FILES", 3)
    for name in ("notes.txt", "more.txt"):
        (data / "indicators" / name).write_text("x")
    assert harmon.validate_dataset(data) == []  # 3 entries: within the bound
    (data / "indicators" / "readme.txt").write_text("x")
    parsed = spy_on_parsing(monkeypatch)
    problems = harmon.validate_dataset(data)
    assert [(p.path, p.message) for p in problems] == [(data / "indicators", "over 3 entries in this folder: nothing in it was read")]
    assert not [p for p in parsed if p.parent.name == "indicators"]
    # countries/ (10 files) is not refused: its bound is at least twice the state bound.


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_pipe_or_device_is_not_read(data: Path) -> None:
    # A FIFO would block the read for ever, /dev/zero would fill the memory.
    os.mkfifo(data / "countries" / "pipe.yaml")
    (data / "countries" / "zero.yaml").symlink_to("/dev/zero")
    problems = harmon.validate_dataset(data)
    assert [(p.path.name, p.message) for p in problems] == [
        ("pipe.yaml", "not a regular file (a folder, a device or a pipe)"),
        ("zero.yaml", "a symbolic link that leads out of the dataset folder: not read"),
    ]


def test_a_broken_link_is_called_broken(data: Path) -> None:
    # Trial item 10: a link to nothing was said to "lead out of the dataset folder"; inside it or
    # out, what is wrong is that it points nowhere. Also for a required file and folder.
    (data / "countries" / "x.yaml").symlink_to("/nonexistent")
    (data / "countries" / "y.yaml").symlink_to("missing.yaml")
    problems = harmon.validate_dataset(data)
    broken = "a broken symbolic link: what it points to does not exist"
    assert [(p.path.name, p.line, p.message) for p in problems] == [("x.yaml", None, broken), ("y.yaml", None, broken)]
    (data / "countries" / "x.yaml").unlink()
    (data / "countries" / "y.yaml").unlink()
    (data / "region.yaml").unlink()
    (data / "region.yaml").symlink_to(data / "nowhere.yaml")
    shutil.rmtree(data / "indicators")
    (data / "indicators").symlink_to(data / "no-folder")
    problems = harmon.validate_dataset(data)
    assert [(p.path, p.message) for p in problems] == [(data / "indicators", broken), (data / "region.yaml", broken)]


def spy_on_parsing(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every file the loader parses."""
    parsed: list[Path] = []
    real = yamlio.read_yaml

    def spy(path: Path) -> yamlio.Document:
        parsed.append(Path(path))
        return real(path)

    monkeypatch.setattr("harmon.data.loading.read_yaml", spy)
    return parsed


def synthetic_dataset(root: Path, states: int, indicators: int, first: int, last: int) -> Path:
    """A valid dataset of `states` states and `indicators` indicators (in 4 dimensions)."""
    (root / "indicators").mkdir(parents=True)
    (root / "countries").mkdir()
    (root / "region.yaml").write_text(
        f"name: World\nperiod:\n  first: {first}\n  last: {last}\n  source: ref\n", encoding="utf-8"
    )
    (root / "references.yaml").write_text(
        "documents:\n  doc:\n    author: A\n    title: T\n    year: 2020\n"
        "references:\n  ref:\n    document: doc\n    locator: p. 1\n",
        encoding="utf-8",
    )
    ids = [f"ind_{n}" for n in range(indicators)]
    dims = "".join(
        f"  - id: dim_{d}\n    label: Dimension {d}\n    indicators:\n"
        + "".join(f"      - id: {i}\n        label: {i}\n        kind: event\n        levels: event\n" for i in ids[d::4])
        for d in range(4)
    )
    (root / "indicators" / "model.yaml").write_text(
        'name: M\nversion: "1"\nlevels:\n  event:\n    "yes": 1\n    "no": 0\n    unknown: null\n'
        f"dimensions:\n{dims}",
        encoding="utf-8",
    )
    for s in range(states):
        code = "".join(chr(65 + (s // 26**k) % 26) for k in (2, 1, 0))
        facts = "".join(
            f'  {i}:\n    status: "{("yes", "no", "unknown")[(s + n) % 3]}"\n'
            + (f"    year: {first + (s * 7 + n * 13) % (last - first + 1)}\n" if (s + n) % 3 != 2 else "")
            + "    source: ref\n"
            for n, i in enumerate(ids)
        )
        (root / "countries" / f"{code.lower()}.yaml").write_text(
            f"country: State {code}\niso3: {code}\nmember_since: {first}\nmembership_source: ref\nfacts:\n{facts}",
            encoding="utf-8",
        )
    return root


# --- writes: signals, full disk, read-only folder ------------------------------------------------

# Runs `harmon ARGS` through the console entry, with the writer replaced by one that writes a
# little, says READY (the temporary file or folder now exists) and waits to be killed.
SLOW_WRITER = textwrap.dedent(
    """
    import signal, sys, time
    # As in a terminal: Ctrl-C raises KeyboardInterrupt even when the test runner ignores SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    import harmon.report.datapackage as datapackage
    import harmon.report.writers as writers

    def stall():
        print("READY", flush=True)
        time.sleep(120)

    def slow_stream(export, fmt, stream, raw=False, progress=None):
        stream.write(b"new and incomplete")
        stream.flush()
        stall()

    real_write = datapackage.write_stream
    calls = []

    def slow_write(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # wide.csv is written in the temporary folder
            stall()
        return real_write(*args, **kwargs)

    writers.write_stream = slow_stream
    datapackage.write_stream = slow_write
    from harmon.cli import main
    sys.argv = ["harmon", *sys.argv[1:]]
    main()
    """
)


def run_until_ready_then_signal(args: list[str], cwd: Path, signum: int) -> tuple[int, str, list[str]]:
    """Run the slow writer; when it is READY, list `cwd` and send `signum`. Return the exit code,
    stderr, and the names that were in `cwd` at the moment of the signal."""
    env = {k: v for k, v in os.environ.items() if k != "HARMON_DEBUG"}
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, *args], cwd=cwd, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        line = proc.stdout.readline() if ready else ""
        assert line == "READY\n", f"the writer did not start: {line!r} {proc.stderr.read() if not ready else ''}"
        during = sorted(os.listdir(cwd))
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, err, during


SIGNALS = [(signal.SIGTERM, 143, "harmon: terminated"), (signal.SIGINT, 130, "harmon: interrupted")]
if hasattr(signal, "SIGHUP"):
    SIGNALS.append((signal.SIGHUP, 129, "harmon: hung up"))


@pytest.mark.parametrize("signum,code,message", SIGNALS, ids=[s[0].name for s in SIGNALS])
def test_export_killed_mid_write_keeps_the_old_file(tmp_path: Path, signum: int, code: int, message: str) -> None:
    old = tmp_path / "panel.csv"
    old.write_bytes(b"the previous export\n")
    returncode, err, during = run_until_ready_then_signal(["export", "-o", "panel.csv", "--force"], tmp_path, signum)
    # The test is of something: the temporary file was there when the signal came.
    assert [n for n in during if n.startswith(".panel.csv.") and n.endswith(".tmp")], during
    assert returncode == code, err
    assert err.strip().splitlines() == [message], err
    assert old.read_bytes() == b"the previous export\n"
    assert sorted(os.listdir(tmp_path)) == ["panel.csv"]


@pytest.mark.parametrize("signum,code,message", SIGNALS[:1], ids=["SIGTERM"])
def test_datapackage_killed_mid_write_keeps_the_old_folder(tmp_path: Path, signum: int, code: int, message: str) -> None:
    old = tmp_path / "pkg"
    old.mkdir()
    (old / "datapackage.json").write_text("{}\n")
    (old / files.MARKER).write_text("")  # a folder harmon wrote: --force may replace it
    returncode, err, during = run_until_ready_then_signal(
        ["export", "--format", "datapackage", "-o", "pkg", "--force"], tmp_path, signum
    )
    assert [n for n in during if n.startswith(".pkg.") and n.endswith(".tmp")], during
    assert (returncode, err.strip().splitlines()) == (code, [message]), err
    assert sorted(os.listdir(tmp_path)) == ["pkg"]
    assert sorted(os.listdir(old)) == [files.MARKER, "datapackage.json"] and (old / "datapackage.json").read_text() == "{}\n"


def test_main_restores_the_signal_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    # The library and a program that calls main() keep their own handlers afterwards.
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    monkeypatch.setattr(sys, "argv", ["harmon", "--version"])
    from harmon.cli import main

    with pytest.raises(SystemExit):
        main()
    assert {s: signal.getsignal(s) for s in before} == before


ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("where", ["write", "fsync"])
def test_full_disk_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    monkeypatch.chdir(tmp_path)
    old = tmp_path / "panel.csv"
    old.write_bytes(b"the previous export\n")
    if where == "write":
        def full(export, fmt, stream, raw=False, progress=None):  # type: ignore[no-untyped-def]
            stream.write(b"partial")
            raise ENOSPC

        monkeypatch.setattr(writers, "write_stream", full)
    else:
        def fsync(fd: int) -> None:
            raise ENOSPC

        monkeypatch.setattr(files.os, "fsync", fsync)
    code, out = run_cli(["export", "-o", "panel.csv", "--force"])
    assert code == 2, out
    assert lines_of(out) == ["harmon: cannot write panel.csv: No space left on device"], out
    assert old.read_bytes() == b"the previous export\n"
    assert sorted(os.listdir(tmp_path)) == ["panel.csv"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args", [["export", "-o", "-"], ["score", "--format", "csv"], ["score"]])
def test_full_disk_on_stdout(tmp_path: Path, args: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HARMON_DEBUG"}
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-c", "from harmon.cli import main; main()", *args],
            cwd=tmp_path, env=env, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == ["harmon: cannot write the output: No space left on device"], proc.stderr


@pytest.mark.parametrize("error", [errno.EACCES, errno.EROFS], ids=["EACCES", "EROFS"])
def test_read_only_folder_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int) -> None:
    # What a read-only folder or file system does to harmon, for any user (root included).
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    real_open, real_mkdir = os.open, Path.mkdir

    def refuse_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).absolute().parent == folder:
            raise OSError(error, os.strerror(error), str(path))
        return real_open(path, *args, **kwargs)

    def refuse_mkdir(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.absolute().parent == folder:
            raise OSError(error, os.strerror(error), str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_open)
    monkeypatch.setattr(Path, "mkdir", refuse_mkdir)
    for args, target in ((["export", "-o", "out/panel.csv"], "out/panel.csv"),
                         (["export", "--format", "datapackage", "-o", "out/pkg"], "out/pkg"),
                         (["codebook", "-o", "out/codebook.md"], "out/codebook.md")):
        code, out = run_cli(args)
        assert code == 2, out
        assert lines_of(out) == [f"harmon: cannot write {target}: {os.strerror(error)}"], out
    assert os.listdir(folder) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "panel.csv").write_bytes(b"old\n")
    folder.chmod(0o555)
    try:
        code, out = run_cli(["export", "-o", "out/panel.csv", "--force"])
    finally:
        folder.chmod(0o755)
    assert code == 2 and lines_of(out) == ["harmon: cannot write out/panel.csv: Permission denied"], out
    assert os.listdir(folder) == ["panel.csv"] and (folder / "panel.csv").read_bytes() == b"old\n"
