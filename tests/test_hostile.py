"""A hostile world: files harmon was not asked to destroy, data text that must be shown and never
obeyed, and text that must never crash an output.

Each test names the defect of 0.1.0 it pins (an adversarial trial, run as root). Cases that only
root can set up (a device node) are skipped with a reason elsewhere.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import copy_dataset
from typer.testing import CliRunner

from harmon import files
from harmon.cli import app
from harmon.errors import OutputExists, OutputInsideData, OutputNotWritable

REPO = Path(__file__).resolve().parent.parent
HARMON = [sys.executable, "-c", "import sys; from harmon.cli import main; sys.argv[0] = 'harmon'; main()"]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code != 3 and "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def _write(text: bytes):
    return lambda stream: stream.write(text)


# --- one way to write files ------------------------------------------------------------------


def test_a_file_that_appears_while_writing_wins_without_force(tmp_path: Path) -> None:
    # 0.1.0 checked "exists" first and renamed over whatever appeared during a long export.
    target = tmp_path / "panel.csv"

    def slow(stream):
        target.write_text("theirs")  # another process creates the file meanwhile
        stream.write(b"ours")

    with pytest.raises(OutputExists):
        files.atomic_write(target, slow)
    assert target.read_text() == "theirs"
    assert os.listdir(tmp_path) == ["panel.csv"]  # no temporary left


def test_force_keeps_the_permissions(tmp_path: Path) -> None:
    # 0.1.0: --force turned a 600 file into 644.
    target = tmp_path / "secret.csv"
    target.write_text("old")
    target.chmod(0o600)
    files.atomic_write(target, _write(b"new"), force=True)
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_symbolic_link_is_never_written_through(tmp_path: Path) -> None:
    # 0.1.0: plot, schema and init --force wrote into the link's target, or created a dangling one's.
    real = tmp_path / "real.csv"
    real.write_text("keep")
    (tmp_path / "link.csv").symlink_to(real)
    (tmp_path / "dangling.csv").symlink_to(tmp_path / "nowhere.csv")
    for name in ("link.csv", "dangling.csv"):
        with pytest.raises(OutputNotWritable, match="symbolic link"):
            files.atomic_write(tmp_path / name, _write(b"x"), force=True)
    assert real.read_text() == "keep" and not (tmp_path / "nowhere.csv").exists()


def test_plot_schema_init_refuse_symbolic_links(here: Path) -> None:
    (here / "victim.png").write_bytes(b"keep")
    Path("fig.png").symlink_to("victim.png")
    assert run("plot", "-o", "fig.png", "--force")[0] == 2
    assert (here / "victim.png").read_bytes() == b"keep"
    Path("schemas").mkdir()
    Path("schemas/country.schema.json").symlink_to(here / "victim.json")
    code, out = run("schema", "-o", "schemas", "--force")
    assert code == 2 and "symbolic link" in out and not (here / "victim.json").exists()
    assert not Path("schemas/region.schema.json").exists()  # all checked before any is written
    assert run("init", "ds", "--states", "Ghana")[0] == 0
    Path("ds/region.yaml").unlink()
    Path("ds/region.yaml").symlink_to(here / "elsewhere.yaml")
    code, out = run("init", "ds", "--states", "Ghana", "--force")
    assert code == 2 and "symbolic link" in out and not (here / "elsewhere.yaml").exists()


def test_folders_and_fifos_are_never_replaced_even_with_force(tmp_path: Path) -> None:
    (tmp_path / "dir.csv").mkdir()
    os.mkfifo(tmp_path / "fifo.csv")
    for name, kind in (("dir.csv", "a folder"), ("fifo.csv", "a FIFO")):
        with pytest.raises(OutputNotWritable, match=kind):
            files.atomic_write(tmp_path / name, _write(b"x"), force=True)
    assert (tmp_path / "dir.csv").is_dir() and stat.S_ISFIFO(os.lstat(tmp_path / "fifo.csv").st_mode)


@pytest.mark.skipif(not IS_ROOT, reason="only root can make a device node (and 0.1.0 replaced /dev/null only as root)")
def test_a_device_is_never_replaced_as_root(here: Path) -> None:
    os.mknod(here / "null.csv", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    for command in (("export", "-o", "null.csv", "--force"), ("codebook", "-o", "null.csv", "--force")):
        code, out = run(*command)
        assert code == 2 and "a device" in out
        assert stat.S_ISCHR(os.lstat(here / "null.csv").st_mode)


def test_outputs_into_the_dataset_are_refused(here: Path) -> None:
    # 0.1.0: -o could name one of the dataset's own files; --data D -o D --force deleted D.
    data = copy_dataset(here / "d")
    before = (data / "countries" / "thailand.yaml").read_bytes()
    assert run("export", "--data", "d", "-o", "d/countries/thailand.yaml", "--format", "csv", "--force")[0] == 2
    assert (data / "countries" / "thailand.yaml").read_bytes() == before
    assert run("codebook", "--data", "d", "-o", "d/region.yaml", "--force")[0] == 2
    code, out = run("export", "--data", "d", "-o", "d", "--format", "datapackage", "--force")
    assert code == 2 and "did not write" in out
    assert (data / "region.yaml").is_file() and len(os.listdir(data / "countries")) == 10
    with pytest.raises(OutputInsideData):
        files.check_target(data / "indicators" / "new.csv", True, [data / "indicators"])


def test_datapackage_replaces_only_a_folder_harmon_wrote(here: Path) -> None:
    Path("mine").mkdir()
    Path("mine/thesis.tex").write_text("years of work")
    code, out = run("export", "--format", "datapackage", "-o", "mine", "--force")
    assert code == 2 and Path("mine/thesis.tex").read_text() == "years of work"
    assert run("export", "--format", "datapackage", "-o", "pkg")[0] == 0
    assert files.MARKER in os.listdir("pkg")
    assert run("export", "--format", "datapackage", "-o", "pkg", "--force")[0] == 0
    Path("pkg/notes.txt").write_text("mine")
    assert run("export", "--format", "datapackage", "-o", "pkg", "--force")[0] == 2
    assert Path("pkg/notes.txt").read_text() == "mine"


def test_a_folder_that_appears_during_a_datapackage_export_survives(tmp_path: Path) -> None:
    # 0.1.0 deleted a folder (and its files) that appeared at DIR while the export ran.
    target = tmp_path / "pkg"

    def fill(folder: Path) -> None:
        target.mkdir()
        (target / "theirs.txt").write_text("theirs")
        (folder / "wide.csv").write_text("ours")

    with pytest.raises(OutputExists):
        files.atomic_folder(target, fill)
    assert os.listdir(target) == ["theirs.txt"] and sorted(os.listdir(tmp_path)) == ["pkg"]


def test_plot_needs_force_and_a_failing_render_keeps_the_old_file(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Path("fig.svg").write_text("old figure")
    code, out = run("plot", "-o", "fig.svg")
    assert code == 2 and "--force" in out and Path("fig.svg").read_text() == "old figure"
    import matplotlib.figure

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", broken)
    assert run("plot", "-o", "fig.svg", "--force")[0] == 2
    assert Path("fig.svg").read_text() == "old figure" and os.listdir(here) == ["fig.svg"]


def test_sensitivity_plot_needs_force(here: Path) -> None:
    Path("ranks.png").write_bytes(b"old")
    code, out = run("sensitivity", "--draws", "20", "--seed", "1", "--plot", "ranks.png")
    assert code == 2 and Path("ranks.png").read_bytes() == b"old"
    assert run("sensitivity", "--draws", "20", "--seed", "1", "--plot", "ranks.png", "--force")[0] == 0
    assert Path("ranks.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("size", [("--width", "0.1"), ("--dpi", "1200", "--width", "20", "--height", "20")])
def test_plot_sizes_out_of_bounds_are_refused(here: Path, size: tuple[str, ...]) -> None:
    # 0.1.0: tiny sizes crashed; 20 x 20 inches at 1200 dpi took 13 GB.
    code, out = run("plot", "-o", "f.png", *size)
    assert code == 2 and ("inches" in out or "pixels" in out) and not os.listdir(here)


def test_temporaries_of_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    # 0.1.0: SIGKILL left hidden .*.tmp files that nothing removed.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    target = tmp_path / "panel.csv"
    stale = tmp_path / f".panel.csv.{dead.pid}.0123abcd.tmp"
    stale.write_text("half")
    alive = tmp_path / f".panel.csv.{os.getppid()}.0123abcd.tmp"  # a writer that still runs
    alive.write_text("busy")
    foreign = tmp_path / ".panel.csv.notours.tmp"
    foreign.write_text("someone's")
    files.atomic_write(target, _write(b"new"))
    assert sorted(os.listdir(tmp_path)) == sorted(["panel.csv", alive.name, foreign.name])


def test_sigkill_mid_export_then_next_export_cleans_up(here: Path) -> None:
    code = (
        "import sys, time\n"
        "import harmon.report.writers as w\n"
        "def slow(export, fmt, stream, raw=False, progress=None):\n"
        "    stream.write(b'half'); stream.flush(); print('READY', flush=True); time.sleep(60)\n"
        "w.write_stream = slow\n"
        "from harmon.cli import main\n"
        "sys.argv = ['harmon', 'export', '-o', 'p.csv']\n"
        "main()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=here, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "READY\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert [n for n in os.listdir(here) if n.endswith(".tmp")]
    assert run("export", "-o", "p.csv")[0] == 0
    assert sorted(os.listdir(here)) == ["p.csv", "p.csv.resource.json"]  # the csv and its descriptor


def test_binary_export_to_a_terminal_is_refused(here: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([*HARMON, "export", "-o", "-", "--format", "xlsx"], cwd=here,
                              stdout=follower, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 2 and "binary" in proc.stderr


def test_binary_exports_are_byte_identical(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 0.1.0: xlsx carried the zip entries' and the workbook's times; dta pandas' time stamp.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    formats = ("xlsx", "dta")
    for fmt in formats:
        assert run("export", "-o", f"a.{fmt}")[0] == 0
    time.sleep(1.1)  # a clock that moved on must not show
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # a fixed time of one's choice is used
    for fmt in formats:
        assert run("export", "-o", f"b.{fmt}")[0] == 0
        assert run("export", "-o", f"c.{fmt}")[0] == 0
        assert Path(f"b.{fmt}").read_bytes() == Path(f"c.{fmt}").read_bytes()
        assert Path(f"a.{fmt}").read_bytes() != Path(f"b.{fmt}").read_bytes()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    for fmt in formats:
        assert run("export", "-o", f"d.{fmt}")[0] == 0
        assert Path(f"a.{fmt}").read_bytes() == Path(f"d.{fmt}").read_bytes()


# --- text is data ------------------------------------------------------------------------------

import io  # noqa: E402

import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from harmon.report.text import FORMULA_TRIGGERS  # noqa: E402

VIEWS = [
    ("score",), ("score", "--by", "indicator"), ("status",), ("diff", "2004", "2015"), ("trend",), ("indicators",),
    ("explain", "THA", "--year", "2011"), ("timeline",), ("sources",), ("sensitivity", "--draws", "20", "--seed", "1"),
]
CSV_VIEWS = [("score", "--format", "csv"), ("status", "--format", "csv"), ("diff", "2004", "2015", "--format", "csv"),
             ("sensitivity", "--draws", "20", "--seed", "1", "--format", "csv")]


def rewrite(root: Path, rel: str, change) -> None:
    """Load a YAML file of the dataset, let `change` edit the data, write it back."""
    path = root / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def hostile_names(root: Path, region: str, country: str, label: str, locator: str) -> None:
    rewrite(root, "region.yaml", lambda d: d.update(name=region))
    rewrite(root, "countries/thailand.yaml", lambda d: d.update(country=country))

    def relabel(d):
        d["dimensions"][0]["indicators"][0]["label"] = label
        d["dimensions"][1]["label"] = label + " dim"

    rewrite(root, "indicators/model.yaml", relabel)
    rewrite(root, "references.yaml", lambda d: d["references"]["lau2016-table1"].update(locator=locator))


def text_cells(frame: pd.DataFrame) -> list[str]:
    """The cells and column names of `frame` read as text that are not numbers."""
    cells = [str(c) for c in frame.columns]
    for column in frame.columns:
        cells += [v for v in frame[column].tolist() if isinstance(v, str)]
    out = []
    for cell in cells:
        try:
            float(cell)
        except ValueError:
            out.append(cell)
    return out


def unneutralised(cells: list[str]) -> list[str]:
    return [c for c in cells if c.startswith(FORMULA_TRIGGERS)]


def xlsx_problems(content: bytes) -> list[str]:
    """Formula cells, and text cells a spreadsheet would run, in every sheet of an xlsx file."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS)):
                    found.append(f"{sheet.title}!{cell.coordinate}: {cell.value!r}")
    return found


@pytest.fixture
def marked_up(here: Path) -> Path:
    data = copy_dataset(here / "d")
    hostile_names(data, "ASEAN [/x] [bold]", "[link=https://evil.invalid]Thailand[/link] [/x]", "[/] =law", "[/x] p. 1")
    return data


def test_markup_in_data_is_shown_not_obeyed(marked_up: Path) -> None:
    # 0.1.0: exit 3 (MarkupError) on "[/x]"; a hidden hyperlink sent to the terminal.
    for command in VIEWS:
        code, out = run(*command, "--data", "d")
        assert code == 0, (command, out)
        assert "\x1b]8;" not in out  # no OSC 8 hyperlink
        assert "[/" in out, command  # the markup is shown as written


def test_csv_views_neutralise_formulas(here: Path) -> None:
    # 0.1.0: score, status, diff and sensitivity --format csv emitted formula text raw.
    data = copy_dataset(here / "d")
    hostile_names(data, "=ASEAN", "=HYPERLINK(\"x\")", "@label", "+p. 1")
    for command in CSV_VIEWS:
        code, out = run(*command, "--data", "d")
        assert code == 0, out
        frame = pd.read_csv(io.StringIO(out), comment="#", dtype=str, keep_default_na=False)
        assert "'=HYPERLINK(\"x\")" in frame.values, command
        assert unneutralised(text_cells(frame)) == [], command


def test_every_xlsx_sheet_is_neutralised(here: Path) -> None:
    # 0.1.0: the variables and provenance sheets held live formulas.
    data = copy_dataset(here / "d")
    hostile_names(data, "=HYPERLINK(\"http://x\")", "=1+1", "=SUM(A1)", "@x")
    for shape in ("wide", "long", "region"):
        assert run("export", "--data", "d", "--shape", shape, "-o", f"{shape}.xlsx")[0] == 0
        assert xlsx_problems(Path(f"{shape}.xlsx").read_bytes()) == []


def test_a_newline_cannot_escape_a_comment(here: Path) -> None:
    # 0.1.0: the line after a CSV's provenance comment began with a raw "=", the .tex got live LaTeX.
    data = copy_dataset(here / "d")
    hostile_names(data, "ASEAN\n=cmd|' /C calc'!A0\n\\input{/etc/passwd}\n-->", "Thai\nland | x", "a\n\nb", "p.\n1")
    for fmt in ("csv", "tsv", "tex", "md"):
        code, out = run("export", "--data", "d", "-o", "-", "--format", fmt)
        assert code == 0, out
        lines = out.splitlines()
        assert not any(line.startswith(("=", "\\input", "-->")) for line in lines), fmt
    tex = run("export", "--data", "d", "-o", "-", "--format", "tex")[1].splitlines()
    assert tex[0].startswith("% ") and tex[1].startswith("% ") and tex[2].startswith("\\begin{table}")
    md = run("export", "--data", "d", "-o", "-", "--format", "md")[1].splitlines()
    assert md[0].startswith("<!-- ") and md[0].endswith(" -->") and md[0].count("-->") == 1
    # No row split or widened by the data: within each pipe table (one per panel), every row has
    # the same number of cells.
    tables, current = [], []
    for line in md[1:]:
        if line.startswith("|") and not set(line) <= set("|-: "):  # a row, not the alignment line
            current.append(line.count(" | "))
        elif current:
            tables, current = tables + [current], []
    assert tables and all(len(set(rows)) == 1 for rows in tables + [current] if rows)
    code, out = run("codebook", "--data", "d")
    comments = [line for line in out.splitlines() if "<!--" in line]
    assert code == 0 and len(comments) == 1 and comments[0].count("-->") == 1 and comments[0].endswith("-->")
    assert not any(line.startswith(("=", "\\input", "-->")) for line in out.splitlines())


def test_dollar_signs_are_not_mathtext(here: Path) -> None:
    # 0.1.0: "$\\frac$" in a name exited 3 (matplotlib's math parser).
    data = copy_dataset(here / "d")
    hostile_names(data, "$\\frac$ ASEAN", "Thai $\\frac{$ land", "$x^$", "p")
    for kind in ("heatmap", "trend", "dimensions"):
        code, out = run("plot", "--data", "d", "--kind", kind, "-o", f"{kind}.svg")
        assert code == 0, out
    assert run("sensitivity", "--data", "d", "--draws", "20", "--seed", "1", "--plot", "r.png")[0] == 0


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u2028", "\x1b"])
def test_hidden_and_control_characters_are_refused_at_their_line(here: Path, char: str) -> None:
    data = copy_dataset(here / "d")
    text = (data / "countries" / "thailand.yaml").read_text(encoding="utf-8")
    escaped = json_escape(char)
    text = text.replace('title: "Anti-Trafficking', f'title: "{escaped}Anti-Trafficking', 1)
    (data / "countries" / "thailand.yaml").write_text(text, encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if escaped in l)
    code, out = run("validate", "--data", "d")
    assert code == 1 and f"thailand.yaml:{line}:" in out and f"U+{ord(char):04X}" in out


def json_escape(char: str) -> str:
    return f"\\u{ord(char):04x}"


def test_stata_takes_a_long_region_name(here: Path) -> None:
    # 0.1.0: exit 3 over ~58 characters (Stata's 80-character label limit).
    data = copy_dataset(here / "d")
    hostile_names(data, "Association of Southeast Asian Nations " * 3 + "ééé", "Thailand", "x" * 300, "p")
    for shape in ("wide", "long", "region"):
        code, out = run("export", "--data", "d", "--shape", shape, "-o", f"{shape}.dta")
        assert code == 0, out
        assert len(pd.read_stata(f"{shape}.dta")) > 0


# --- files that are found ----------------------------------------------------------------------


def test_yaml_in_any_case_found_and_leftovers_ignored(here: Path) -> None:
    # 0.1.0: thailand.YAML was skipped ("OK: 9 states"); .#x.yaml and ._x.yaml made the data invalid.
    data = copy_dataset(here / "d")
    (data / "countries" / "thailand.yaml").rename(data / "countries" / "thailand.YAML")
    (data / "countries" / ".#viet-nam.yaml").write_text("not: [yaml")
    (data / "countries" / "._viet-nam.yaml").write_bytes(b"\x00\x05\x16\x07")
    code, out = run("validate", "--data", "d")
    assert code == 0 and "OK: 10 states" in out
    code, out = run("validate", "--data", "d", "--verbose")
    assert code == 0 and ".#viet-nam.yaml: not a data file" in out and "._viet-nam.yaml: not a data file" in out


def test_a_symlink_out_of_the_dataset_is_refused_unread(here: Path) -> None:
    data = copy_dataset(here / "d")
    secret = here / "secret.yaml"
    secret.write_text("password: hunter2-[unclosed\n")
    (data / "countries" / "zz.yaml").symlink_to(secret)
    code, out = run("validate", "--data", "d")
    assert code == 1 and "zz.yaml: a symbolic link that leads out of the dataset folder" in out
    assert "hunter2" not in out


@pytest.mark.parametrize("date", ["2004-02-30", "1997-99-99", "2004-13-01"])
def test_milestone_dates_are_real_days(here: Path, date: str) -> None:
    data = copy_dataset(here / "d")
    text = (data / "region.yaml").read_text(encoding="utf-8").replace('"2004-11-29"', f'"{date}"')
    (data / "region.yaml").write_text(text, encoding="utf-8")
    code, out = run("validate", "--data", "d")
    assert code == 1 and f"date {date} is not a day of the calendar" in out


def test_unquoted_1e6_gets_the_yaml_hint(here: Path) -> None:
    # 0.1.0 said "a number in quotes is text", of a number that was not quoted.
    Path("w.yaml").write_text("name: t\ndimensions: {treaties: 1e6}\n")
    code, out = run("score", "--weights", "w.yaml")
    assert code == 1 and "unquoted 1e6" in out and "1.0e+6" in out and "in quotes" not in out
    Path("w.yaml").write_text('name: t\ndimensions: {treaties: "2"}\n')
    assert "a number in quotes is text" in run("score", "--weights", "w.yaml")[1]


# --- numbers that stay numbers -----------------------------------------------------------------


def weights_file(path: str, factor: str) -> None:
    Path(path).write_text(
        "name: scaled\n"
        f"dimensions: {{criminalization: {factor}, specialization: 2.0{factor[3:]}, regional: 3.0{factor[3:]}, "
        f"treaties: 4.0{factor[3:]}}}\n"
    )


def test_weights_scale_cannot_change_a_result(here: Path) -> None:
    # 0.1.0: weights of 5e-324 (equal) gave another index than equal weights.
    weights_file("small.yaml", "1.0e-300")
    weights_file("unit.yaml", "1.0e+0")
    weights_file("large.yaml", "1.0e+5")
    outs = []
    for name in ("small", "unit", "large"):
        code, out = run("score", "--year", "2011", "--weights", f"{name}.yaml", "--format", "csv", "--aggregation", "geometric")
        assert code == 0, out
        # Every row ends with the weights it was scored with (their file and hash): the numbers before.
        outs.append([line.rsplit(",", 1)[0] for line in out.splitlines()])
    assert outs[0] == outs[1] == outs[2]


@pytest.mark.parametrize("weight, words", [("5.0e-324", "too small"), (".nan", "finite"), (".inf", "finite"),
                                           ("1.0e+300", "less than or equal")])
def test_weights_that_cannot_be_computed_with_are_refused(here: Path, weight: str, words: str) -> None:
    Path("w.yaml").write_text(f"name: t\ndimensions: {{treaties: {weight}}}\n")
    code, out = run("score", "--weights", "w.yaml")
    assert code == 1 and "w.yaml:2: dimensions.treaties" in out and words in out


# --- encodings ---------------------------------------------------------------------------------

ENCODED = """
import io, sys
from harmon.cli import main
commands = [["status"], ["diff", "2004", "2015"], ["trend"], ["indicators"], ["status", "--format", "csv"],
            ["codebook"], ["timeline"], ["explain", "THA"], ["sources"], ["validate"]]
for encoding in ("ascii", "cp1252"):
    for command in commands:
        sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
        sys.stderr = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
        sys.argv = ["harmon", *command]
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        sys.stdout.flush()
        text = sys.stdout.buffer.getvalue().decode(encoding)
        sys.__stdout__.write(f"{encoding} {command[0]} {code} {'yes' in text} {len(text)}\\n")
"""


def test_every_command_writes_in_the_streams_encoding() -> None:
    # 0.1.0: status, diff, trend and indicators crashed on a cp1252 or ascii stream.
    proc = subprocess.run([sys.executable, "-c", ENCODED], capture_output=True, text=True, timeout=300)
    lines = proc.stdout.splitlines()
    assert len(lines) == 20, proc.stderr
    for line in lines:
        encoding, command, code, _, length = line.split()
        assert code in ("0", "None") and int(length) > 0, line
    assert "ascii status 0 True" in proc.stdout or "ascii status None True" in proc.stdout  # ✓ written as "yes"


# --- bounds ------------------------------------------------------------------------------------


def test_suggestions_rank_few_candidates_of_a_large_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    # 0.1.0 ran difflib over every key for each unknown reference: quadratic.
    import difflib

    from harmon import suggest

    keys = [f"ref-{k:05d}-section-{k % 97}" for k in range(5000)]
    sizes = []
    real = difflib.get_close_matches

    def counting(word, pool, **kwargs):
        sizes.append(len(pool))
        return real(word, pool, **kwargs)

    monkeypatch.setattr(suggest.difflib, "get_close_matches", counting)
    finder = suggest.Suggester(keys)
    assert finder.closest("ref-01234-sectoin-70") == ["ref-01234-section-70"]
    assert finder.closest("ref-01234-section-7O") == ["ref-01234-section-70"]
    assert finder.closest("zzzzzzzz") == []
    assert max(sizes) <= suggest.MAX_CANDIDATES
    assert suggest.Suggester(["alpha", "beta"]).closest("alpah") == ["alpha"]  # small pools: all of it


def test_chunked_sobol_means_equal_the_whole_array_means() -> None:
    import numpy as np

    from harmon.core import sensitivity

    rng = np.random.default_rng(3)
    n = 3 * sensitivity._CHUNK_ROWS + 17
    y_a, y_b, y_ab = (rng.integers(1, 6, size=(n, 4)).astype(float) for _ in range(3))
    y_a[5, 1] = np.nan
    both = np.vstack([y_a, y_b])
    var, centre = np.nanvar(both, axis=0), np.nanmean(both, axis=0)
    expected_first = np.nanmean((y_b - centre) * (y_ab - y_a), axis=0) / var
    expected_total = np.nanmean((y_a - y_ab) ** 2, axis=0) / (2 * var)
    first, total = sensitivity.sobol_indices(y_a, y_b, iter([("w", y_ab)]))
    np.testing.assert_allclose(first["w"], expected_first, rtol=1e-9)
    np.testing.assert_allclose(total["w"], expected_total, rtol=1e-9)


# --- the property: any text in any text field ----------------------------------------------------

import csv  # noqa: E402

from hypothesis import HealthCheck, Phase, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# HARMON_FUZZ_EXAMPLES raises the count for a long run, as in tests/test_fuzz.py; by default only
# the fixed example with every spoil runs (each example runs every command and format: seconds).
EXAMPLES = int(os.environ.get("HARMON_FUZZ_EXAMPLES", "0") or 0) or 1
PHASES = tuple(Phase) if os.environ.get("HARMON_FUZZ_EXAMPLES") else (Phase.explicit,)
SPOILS = ["=1+1", "+1", "-2", "@SUM(A1)", "\t=1", "[/x]", "[link=https://evil.invalid]x[/link]", "[bold]", "$\\frac$",
          "$x$", "\u202eevil", "\u2066", "\x1b[31m", "\x07", "a\nb", "\n=1+1", "\\input{/etc/passwd}", "\\write18{ls}",
          "-->", "<!--", "<script>", "|", "%", "&", "#", "_", "~", "^", "{", "}", ":smile:", "\\", "'", '"', "é", "✓",
          "Ω", "😀", "\u0301"]
PRINTABLE_SPOILS = [t for t in SPOILS if t.isprintable() or t in ("a\nb", "\n=1+1", "\t=1")]
field_text = st.lists(st.one_of(st.sampled_from(SPOILS), st.text(max_size=8)), min_size=1, max_size=4).map("".join)
# Text that validation accepts (no control or invisible formatting characters), so that most
# examples get as far as the views and exports.
printable_text = st.lists(
    st.one_of(st.sampled_from(PRINTABLE_SPOILS),
              st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp")), max_size=8)),
    min_size=1, max_size=4,
).map("".join)
FIELDS = ("region", "title", "milestone", "author", "document", "locator", "model", "dimension", "indicator",
          "country", "fact_title", "fact_note")
field_texts = st.one_of(
    st.fixed_dictionaries({name: printable_text for name in FIELDS}),
    st.fixed_dictionaries({name: printable_text for name in FIELDS}),
    st.fixed_dictionaries({name: field_text for name in FIELDS}),
)
# One example always runs: every kind of printable spoil at once, which the data accept.
EVERY_SPOIL = {name: PRINTABLE_SPOILS[k % len(PRINTABLE_SPOILS)] + " x " + PRINTABLE_SPOILS[(k + 7) % len(PRINTABLE_SPOILS)]
               for k, name in enumerate(FIELDS)}

PROPERTY_VIEWS = [
    ("validate",), ("score",), ("score", "--by", "indicator", "--format", "csv"), ("score", "--format", "markdown"),
    ("status",), ("status", "--format", "csv"), ("diff", "2004", "2015"), ("diff", "2004", "2015", "--format", "csv"),
    ("trend",), ("indicators",), ("explain", "THA", "--year", "2011"), ("timeline",), ("sources",),
    ("sensitivity", "--draws", "10", "--seed", "1", "--format", "csv"),
    ("codebook",), ("adoption",), ("adoption", "--format", "csv"),
]


def spoil_fields(root: Path, texts: dict[str, str]) -> None:
    def region(d):
        d.update(name=texts["region"], title=texts["title"])
        d["milestones"][0]["title"] = texts["milestone"]

    def references(d):
        d["documents"]["lau2016"].update(author=texts["author"], title=texts["document"])
        d["references"]["lau2016-table1"].update(locator=texts["locator"])

    def model(d):
        d["name"] = texts["model"]
        d["dimensions"][0]["label"] = texts["dimension"]
        d["dimensions"][0]["indicators"][0]["label"] = texts["indicator"]

    def country(d):
        d["country"] = texts["country"]
        d["facts"]["trafficking_law"].update(title=texts["fact_title"], note=texts["fact_note"])

    rewrite(root, "region.yaml", region)
    rewrite(root, "references.yaml", references)
    rewrite(root, "indicators/model.yaml", model)
    rewrite(root, "countries/thailand.yaml", country)


def csv_cells(text: str, sep: str) -> list[str]:
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
    cells = [cell for row in csv.reader(lines, delimiter=sep) for cell in row]
    return text_cells(pd.DataFrame({"c": cells}))[1:]


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("HARMON_FUZZ_EXAMPLES"),
          suppress_health_check=list(HealthCheck), phases=PHASES)
@given(field_texts)
@example(EVERY_SPOIL)
def test_any_text_in_any_field_is_shown_safely(texts: dict[str, str]) -> None:
    base = Path(tempfile.mkdtemp())
    cwd = os.getcwd()
    os.chdir(base)
    try:
        data = copy_dataset(base / "d")
        spoil_fields(data, texts)
        valid = None
        for command in PROPERTY_VIEWS:
            result = CliRunner().invoke(app, [*command, "--data", "d"])
            out = result.output
            assert result.exit_code in (0, 1, 2), (command, out, result.exception)
            assert "MarkupError" not in out and "internal error" not in out and "Traceback" not in out, (command, out)
            if command == ("score",):  # validate also checks names against ISO 3166; scoring does not
                valid = result.exit_code == 0
            if valid and "csv" in command and result.exit_code == 0:
                assert unneutralised(csv_cells(out, ",")) == [], command
        if not valid:
            assert texts is not EVERY_SPOIL, "the data refused printable text"
            return
        for fmt in ("csv", "tsv", "json", "xlsx", "dta", "parquet", "tex", "md"):
            for shape in ("wide", "long", "region") if fmt == "xlsx" else ("wide",):
                path = base / f"{shape}.{fmt}"
                code, out = run("export", "--data", "d", "--shape", shape, "-o", str(path))
                assert code == 0, (fmt, shape, out)
                if fmt == "xlsx":
                    assert xlsx_problems(path.read_bytes()) == [], shape
                elif fmt in ("csv", "tsv"):
                    cells = csv_cells(path.read_text(encoding="utf-8"), "," if fmt == "csv" else "\t")
                    assert unneutralised(cells) == [], (fmt, shape)
                elif fmt in ("tex", "md"):
                    lines = path.read_text(encoding="utf-8").splitlines()
                    assert not any(line.startswith(("=", "\\input", "\\write", "-->")) for line in lines), fmt
        assert run("export", "--data", "d", "--format", "datapackage", "-o", "pkg")[0] == 0
        for kind in ("trend",):
            code, out = run("plot", "--data", "d", "--kind", kind, "-o", f"{kind}.svg")
            assert code == 0, (kind, out)
    finally:
        os.chdir(cwd)
        shutil.rmtree(base, ignore_errors=True)


def test_progress_bars_on_a_terminal_only(here: Path) -> None:
    # A long export or a million draws show their progress on a terminal's stderr, never in captured output.
    import pty

    for command in (["export", "-o", "p.json", "--shape", "long"], ["sensitivity", "--draws", "300", "--seed", "1"]):
        leader, follower = pty.openpty()
        try:
            proc = subprocess.Popen([*HARMON, *command], cwd=here, stdout=subprocess.PIPE, stderr=follower)
            os.close(follower)
            seen = b""
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the writer closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
            out = proc.communicate(timeout=120)[0]
        finally:
            os.close(leader)
        assert proc.returncode == 0 and (b"writing json" in seen or b"scoring draws" in seen), seen[-300:]
        assert b"writing" not in out and b"scoring draws" not in out
    assert "writing" not in run("export", "-o", "q.json", "--shape", "long")[1].replace("wrote", "")


# --- a file and its descriptor, written by two runs at once ------------------------------------

import threading  # noqa: E402


@pytest.mark.skipif(not hasattr(os, "O_DIRECTORY") or sys.platform == "win32", reason="folder locks are POSIX")
def test_two_runs_writing_the_same_pair_leave_one_runs_pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Run A puts its first file in place, then is held up before its second; run B writes its
    # pair meanwhile. Unlocked, B's two files would land between A's (A's data file with B's
    # descriptor, or the reverse: trial item 3). Locked, B waits until A's pair is in place, then
    # puts its own: the folder holds B's pair, whole.
    target, descriptor = tmp_path / "out.csv", tmp_path / "out.csv.resource.json"
    put = files._put
    a_between = threading.Event()

    def slow_put(temp: Path, path: Path, *args, **kwargs) -> None:
        put(temp, path, *args, **kwargs)
        if threading.current_thread().name == "A" and path == target:
            a_between.set()
            time.sleep(0.5)  # B tries to put its pair now

    monkeypatch.setattr(files, "_put", slow_put)

    def run(name: str) -> None:
        files.atomic_write_all([(target, lambda s: s.write(name.encode())), (descriptor, lambda s: s.write(name.encode()))],
                               force=True)

    a = threading.Thread(target=run, args=("A",), name="A")
    a.start()
    assert a_between.wait(5)
    b = threading.Thread(target=run, args=("B",), name="B")
    b.start()
    a.join(5)
    b.join(5)
    assert (target.read_text(), descriptor.read_text()) == ("B", "B")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.csv.resource.json"]  # no temporaries left


def test_a_pair_is_put_in_place_whole_or_not_at_all(tmp_path: Path) -> None:
    # The descriptor appears (another program's) while the data file is written: without
    # --force neither file is put in place, not the new data file beside the other descriptor.
    data, descriptor = tmp_path / "x.csv", tmp_path / "x.csv.resource.json"

    def write_data(stream) -> None:
        stream.write(b"a,b\n1,2\n")
        descriptor.write_text("{}\n")

    with pytest.raises(OutputExists):
        files.atomic_write_all([(data, write_data), (descriptor, lambda s: s.write(b'{"new": 1}\n'))])
    assert not data.exists() and descriptor.read_text() == "{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv.resource.json"]  # no temporaries left
