"""Every command's output on the shipped data, as golden files that a refactor must keep.

`python -m tests.golden.record` writes them (only when a change of output is intended, and the
diff of the golden files is reviewed like code); tests/test_golden.py checks them.

Each case is one invocation: its exit code, stdout and stderr, and the files it writes. Binary
files are recorded as text: Stata and Parquet by their decoded table and metadata, xlsx by its
cells (its zip stamps the write time), figures only by their kind and size class.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path
from typing import Callable

from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "out"
ENV = {"COLUMNS": "80", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "HARMON_DEBUG": ""}

WEIGHTS = """\
name: treaties double
dimensions:
  treaties: 2
indicators:
  mlat: 1.5
"""

SCHEMES = """\
schemes:
  - name: treaties double
    dimensions: {treaties: 2}
  - name: criminal law heavy
    dimensions: {criminalization: 3}
"""

# One invocation: (name, arguments). `{tmp}` is a scratch folder; `{data}` a copy of the shipped
# dataset (for the broken-data cases, which edit it first); `{shipped}` the shipped dataset;
# `{coder}` a valid copy of it as a second coder would record it (three known edits).
CASES: list[tuple[str, list[str]]] = []


def case(name: str, *args: str) -> None:
    CASES.append((name, list(args)))


# score, every format and option
for fmt in ("table", "csv", "json", "markdown"):
    case(f"score-2011-{fmt}", "score", "--year", "2011", "--format", fmt)
    case(f"score-2011-{fmt}-by-indicator", "score", "--year", "2011", "--format", fmt, "--by", "indicator")
case("score-default-year", "score")
case("score-1997", "score", "--year", "1997")
for missing in ("zero", "backfill"):
    case(f"score-2011-{missing}", "score", "--year", "2011", "--missing", missing)
    case(f"score-2011-{missing}-json", "score", "--year", "2011", "--missing", missing, "-f", "json")
case("score-2011-geometric", "score", "--year", "2011", "--aggregation", "geometric")
case("score-2011-geometric-csv", "score", "--year", "2011", "--aggregation", "geometric", "-f", "csv")
case("score-2011-weights", "score", "--year", "2011", "--weights", "{tmp}/weights.yaml")
case("score-2011-weights-json", "score", "--year", "2011", "--weights", "{tmp}/weights.yaml", "-f", "json")
case("score-error-year", "score", "--year", "1990")
case("score-error-missing", "score", "--year", "2011", "--missing", "bogus")
case("score-error-weights", "score", "--weights", "{tmp}/bad-weights.yaml")
case("score-error-data", "score", "--data", "{tmp}/nowhere")

# validate, indicators
case("validate", "validate")
case("validate-broken", "validate", "--data", "{data}")
case("score-broken", "score", "--data", "{data}")
case("indicators", "indicators")

# export: every shape and format, the data package, options, errors
for shape in ("wide", "long", "region"):
    for ext in ("csv", "tsv", "json", "md", "tex", "xlsx", "dta", "parquet"):
        case(f"export-{shape}-{ext}", "export", "--shape", shape, "-o", f"{{tmp}}/out.{ext}")
case("export-stdout-csv", "export", "-o", "-", "--format", "csv", "--from", "2010", "--to", "2012")
case("export-raw-csv", "export", "-o", "{tmp}/out.csv", "--raw", "--from", "2014")
case("export-backfill-geometric", "export", "-o", "{tmp}/out.csv", "--missing", "backfill", "--aggregation", "geometric")
case("export-weights", "export", "-o", "{tmp}/out.csv", "--weights", "{tmp}/weights.yaml")
case("export-datapackage", "export", "--format", "datapackage", "-o", "{tmp}/package")
case("export-error-exists", "export", "-o", "{tmp}/weights.yaml", "--format", "csv")
case("export-error-format", "export", "-o", "{tmp}/out.xyz")
case("export-error-period", "export", "-o", "{tmp}/out.csv", "--from", "2015", "--to", "2010")
case("export-error-binary-stdout", "export", "-o", "-", "--format", "dta")
case("codebook", "codebook")
case("codebook-file", "codebook", "-o", "{tmp}/codebook.md", "--from", "2004", "--weights", "{tmp}/weights.yaml")

# views
for fmt in ("table", "csv", "json", "markdown"):
    case(f"diff-2004-2015-{fmt}", "diff", "2004", "2015", "--format", fmt)
    case(f"explain-thailand-2011-{fmt}", "explain", "Thailand", "--year", "2011", "--format", fmt)
    case(f"status-2011-{fmt}", "status", "--year", "2011", "--format", fmt)
    case(f"trend-{fmt}", "trend", "--format", fmt)
    case(f"timeline-{fmt}", "timeline", "--format", fmt)
case("diff-2014-2015", "diff", "2014", "2015")
case("diff-2009-2010-nothing", "diff", "2009", "2010", "--exit-code")
case("diff-country", "diff", "2004", "2015", "--country", "sgp")
case("diff-backfill", "diff", "2004", "2015", "--missing", "backfill", "-f", "csv")
case("explain-brunei-2015-zero", "explain", "BRN", "--missing", "zero")
case("explain-lao-backfill", "explain", "Laos", "--year", "2005", "--missing", "backfill", "-f", "json")
case("explain-error-state", "explain", "Thailnd")
case("explain-error-year", "explain", "Thailand", "--year", "2030")
case("status-default", "status")
case("status-dimension", "status", "--dimension", "specialization", "--year", "2015")
case("status-error-dimension", "status", "--dimension", "nope")
case("trend-period", "trend", "--from", "2000", "--to", "2010", "--missing", "zero")
case("trend-error-period", "trend", "--from", "2010", "--to", "2000")
case("timeline-country", "timeline", "--country", "Viet Nam")
case("timeline-region", "timeline", "--scope", "region", "-f", "csv")
case("timeline-kind", "timeline", "--kind", "ratification", "--scope", "national")
case("timeline-error-kind", "timeline", "--kind", "nonsense")
case("plot-heatmap", "plot", "-o", "{tmp}/heatmap.png", "--dpi", "60")
case("plot-trend-svg", "plot", "--kind", "trend", "-o", "{tmp}/trend.svg")
case("plot-dimensions-pdf", "plot", "--kind", "dimensions", "-o", "{tmp}/dims.pdf", "--from", "2000")
case("plot-error-format", "plot", "-o", "{tmp}/x.gif")
case("plot-adoption", "plot", "--kind", "adoption", "-o", "{tmp}/adoption.png", "--dpi", "60")

# agreement between coders (the table is checked in tests/test_agree.py: it wraps the folders'
# paths, whose length depends on where the scratch folder is)
for fmt in ("csv", "json", "markdown"):
    case(f"agree-{fmt}", "agree", "{shipped}", "{coder}", "--format", fmt)
case("agree-min-alpha", "agree", "{shipped}", "{coder}", "--min-alpha", "0.99", "-f", "csv")
case("agree-error-broken", "agree", "{shipped}", "{data}")
case("agree-error-one", "agree", "{shipped}")

# adoption over time
for fmt in ("table", "csv", "json", "markdown"):
    case(f"adoption-{fmt}", "adoption", "--format", fmt)
case("adoption-milestone", "adoption", "--milestone", "declaration-2004", "--window", "3")
case("adoption-full", "adoption", "--adopted-at", "1", "--from", "2004", "-f", "markdown")
case("adoption-error-milestone", "adoption", "--milestone", "declaration-2005")
case("adoption-error-threshold", "adoption", "--adopted-at", "0")
case("export-events-csv", "export", "--shape", "events", "-o", "{tmp}/events.csv")
case("export-events-dta", "export", "--shape", "events", "-o", "{tmp}/events.dta", "--from", "2010")
case("export-region-full-adoption", "export", "--shape", "region", "-o", "-", "--adopted-at", "1", "--from", "2014")
case("codebook-events", "codebook", "--shape", "events")

# sensitivity with a fixed seed
for fmt in ("table", "csv", "json"):
    case(f"sensitivity-{fmt}", "sensitivity", "--year", "2011", "--draws", "200", "--seed", "1", "--format", fmt)
case("sensitivity-all", "sensitivity", "--draws", "120", "--seed", "5", "--missing", "reweight", "--missing",
     "backfill", "--aggregation", "arithmetic", "--aggregation", "geometric", "--drop-one", "-f", "csv")
case("sensitivity-schemes", "sensitivity", "--year", "2011", "--draws", "60", "--seed", "2", "--weights-from",
     "{tmp}/schemes.yaml", "-f", "json")
case("sensitivity-plot", "sensitivity", "--draws", "50", "--seed", "3", "--plot", "{tmp}/ranks.svg")
case("sensitivity-error-draws", "sensitivity", "--draws", "0")

# authoring
case("sources-table", "sources")
case("sources-json", "sources", "--format", "json")
case("schema-country", "schema", "country")
case("schema-output", "schema", "-o", "{tmp}/schemas")
case("init", "init", "{tmp}/west-africa", "--states", "Ghana, Nigeria, Senegal", "--first", "2000", "--last", "2020")
case("init-error-state", "init", "{tmp}/nowhere", "--states", "Ghana, Narnia")

# help of every command
case("help", "--help")
for command in ("score", "validate", "indicators", "init", "schema", "sources", "export", "codebook",
                "sensitivity", "diff", "explain", "status", "trend", "timeline", "plot", "agree", "adoption"):
    case(f"help-{command}", command, "--help")
case("version", "--version")


def prepare(tmp: Path) -> Path:
    """The scratch folder's fixed contents, and a copy of the shipped data with two problems."""
    (tmp / "weights.yaml").write_text(WEIGHTS, encoding="utf-8")
    (tmp / "bad-weights.yaml").write_text("name: bad\ndimensions:\n  treatys: 2\n  regional: -1\n", encoding="utf-8")
    (tmp / "schemes.yaml").write_text(SCHEMES, encoding="utf-8")
    data = tmp / "data"
    for part in ("countries", "indicators"):
        shutil.copytree(REPO / part, data / part)
    for part in ("region.yaml", "references.yaml"):
        shutil.copy2(REPO / part, data / part)
    thailand = data / "countries" / "thailand.yaml"
    text = thailand.read_text(encoding="utf-8")
    text = text.replace("source: lau2016-table1", "source: lau2016-tabel1", 1)
    thailand.write_text(text.replace("year: 2008", "year: 1850", 1), encoding="utf-8")
    _second_coder(tmp / "coder")
    return data


def _second_coder(coder: Path) -> None:
    """A copy of the shipped data with a changed year (Cambodia's UNTOC 2005 -> 2006), a changed
    level (Indonesia's training limited -> yes) and a missing fact (Thailand's MLAT)."""
    for part in ("countries", "indicators"):
        shutil.copytree(REPO / part, coder / part)
    for part in ("region.yaml", "references.yaml"):
        shutil.copy2(REPO / part, coder / part)
    edits = {
        "cambodia.yaml": ('    status: "yes"\n    year: 2005\n', '    status: "yes"\n    year: 2006\n'),
        "indonesia.yaml": ("status: yes-but-limited", 'status: "yes"'),
        "thailand.yaml": ('  mlat:\n    status: "yes"\n    year: 2013\n    source: lau2016-table3\n', ""),
    }
    for name, (old, new) in edits.items():
        path = coder / "countries" / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")


def describe_file(path: Path) -> str:
    """A file's content as stable text: text as is, binary formats decoded."""
    suffix = path.suffix.lower()
    if suffix in {".png", ".pdf", ".svg"}:
        head = path.read_bytes()[:4]
        return f"<figure {suffix} starting {head!r}, {'non-empty' if path.stat().st_size > 1000 else 'tiny'}>\n"
    if suffix == ".dta":
        import pandas as pd

        with pd.io.stata.StataReader(path) as reader:
            frame = reader.read()
            labels = reader.variable_labels()
            note = reader.data_label
        return f"data_label: {note}\nlabels: {labels}\n{frame.to_csv(index=False)}"
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        meta = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items() if k != b"pandas"}
        return f"metadata: {meta}\nschema: {table.schema.to_string(show_schema_metadata=False)}\n" + table.to_pandas().to_csv(index=False)
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        out = io.StringIO()
        for sheet in book.worksheets:
            out.write(f"## sheet {sheet.title}\n")
            for row in sheet.iter_rows(values_only=True):
                out.write("\t".join("" if v is None else repr(v) for v in row) + "\n")
        return out.getvalue()
    return path.read_text(encoding="utf-8")


def run_case(name: str, args: list[str], tmp: Path, data: Path) -> str:
    """Run one case in a fresh scratch folder; return its record (exit code, output, files)."""
    from harmon.cli import app

    work = tmp / name
    work.mkdir()
    for fixture in ("weights.yaml", "bad-weights.yaml", "schemes.yaml"):
        shutil.copy2(tmp / fixture, work / fixture)
    from harmon.data.loading import default_data_dir

    argv = [a.replace("{tmp}", str(work)).replace("{data}", str(data)).replace("{coder}", str(tmp / "coder"))
            .replace("{shipped}", str(default_data_dir())) for a in args]
    before = set(p for p in work.rglob("*"))
    cwd = os.getcwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(app, argv, env=ENV)
    finally:
        os.chdir(cwd)
    record = [f"$ harmon {' '.join(args)}", f"exit {result.exit_code}"]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        record.append(f"EXCEPTION {type(result.exception).__name__}: {result.exception}")
    coder = tmp / "coder"
    record += ["--- stdout", clean(result.stdout, work, data, coder), "--- stderr", clean(result.stderr, work, data, coder)]
    for path in sorted(p for p in work.rglob("*") if p not in before and p.is_file()):
        record += [f"--- file {path.relative_to(work)}", clean(describe_file(path), work, data, coder)]
    return "\n".join(record) + "\n"


def clean(text: str, work: Path, data: Path, coder: Path | None = None) -> str:
    """Paths of the scratch folders and of the shipped dataset (the clone, or the installed
    package) replaced by placeholders, so records do not depend on where they are; a Stata
    file's write time (in its header) masked."""
    from harmon.data.loading import default_data_dir

    text = re.sub(r"<timestamp>[^<]*</timestamp>", "<timestamp>…</timestamp>", text)
    if coder is not None:
        text = text.replace(str(coder), "{coder}")
    return text.replace(str(data), "{data}").replace(str(work), "{tmp}").replace(str(default_data_dir()), "{shipped}")


def run_all(tmp: Path, only: Callable[[str], bool] = lambda name: True) -> dict[str, str]:
    data = prepare(tmp)
    return {name: run_case(name, args, tmp, data) for name, args in CASES if only(name)}
