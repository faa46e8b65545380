"""The codebook of the wide panel as Markdown: every variable with its meaning, scoring rule,
values, source, the years it has data for and its share of missing values.

Nothing here prints; `codebook_markdown` returns the text. The same data and options give the
same bytes (no date, no path).
"""

from __future__ import annotations

import pandas as pd

from harmon.core.scoring import Panel
from harmon.data.loading import Dataset
from harmon.report.citations import cite_document
from harmon.report.provenance import provenance_line
from harmon.report.shapes import Column, build_export
from harmon.report.text import markdown_comment, markdown_escape, markdown_inline


# What one row of each shape is, for the codebook's opening line.
ROWS = {
    "wide": "One row per state and year",
    "long": "One row per state, year and indicator",
    "region": "One row per year",
    "events": "One row per member state, indicator and year at risk of adoption (event history: from the later of "
              "the period's start and the state's joining, up to and including the year it adopts)",
}


def codebook_markdown(
    dataset: Dataset, first: int | None = None, last: int | None = None, missing: str = "reweight",
    panel: Panel | None = None, aggregation: str = "arithmetic", shape: str = "wide",
) -> str:
    """The codebook of the `shape` panel (default: wide) for `first`-`last` (default: the data's period)."""
    export = build_export(dataset, shape, first, last, missing, panel=panel, aggregation=aggregation)
    frame, meta = export.frame, export.provenance
    region = dataset.region
    states = f"{frame['iso3'].nunique()} states, " if "iso3" in frame else ""
    lines = [
        f"# Codebook: {markdown_inline(region.title or region.name)}, legal-harmonization panel {meta['from']}-{meta['to']}"
        + ("" if shape == "wide" else f" ({shape})"),
        "",
        markdown_comment(provenance_line(meta)),
        "",
        f"{ROWS[shape]} (`harmon export --shape {shape}`): {len(frame)} rows, "
        f"{states}{meta['from']}-{meta['to']}. Produced by harmon "
        f"{meta['harmon_version']} from dataset version `{meta['dataset_version']}` (scoring model "
        f"\"{markdown_inline(meta['model'])}\", version {meta['model_version']}); missing data: `{meta['missing']}`; "
        f"aggregation: `{meta['aggregation']}`; weights: {markdown_inline(meta['weights'])}. "
        "The formulas, with worked examples: `harmon docs method`.",
        "",
        "Missing values are empty cells (CSV, TSV, Markdown, LaTeX), null (JSON), NaN (parquet) or `.` (Stata). "
        "A missing indicator score means the sources do not say: it is never the same as 0. "
        "Booleans (`member`) are 1 and 0 in CSV, TSV and Stata, true and false in JSON and parquet. "
        "A CSV or TSV file starts with its header row and reads with no options: "
        "`pandas.read_csv(\"panel.csv\")`, DuckDB `SELECT * FROM 'panel.csv'`, R `read.csv(\"panel.csv\")` and "
        "Stata `import delimited panel.csv` all read an empty number as missing (NaN, NULL, NA, `.`) and `member` "
        "as the numbers 1 and 0. Its provenance and these descriptions are in `panel.csv.resource.json` "
        "beside it (a Frictionless Tabular Data Resource)."
        + (" The events shape uses the scores as recorded: the missing-data policy does not apply; its unknown "
           "years are marked (`unknown` = 1), not dropped." if shape == "events" else ""),
        "",
        "## Variables",
        "",
        "| variable | type | label | years with data | missing |",
        "|---|---|---|---|---:|",
    ]
    details = []
    for column in export.columns:
        years, share = _coverage(frame, column.name)
        lines.append(f"| `{column.name}` | {column.type} | {markdown_escape(column.label)} | {years} | {share:.1%} |")
        details += _detail(column, years, share, "state-years" if shape == "wide" else "rows")
    lines += ["", "## Details", "", *details]
    lines += ["## Sources", "", "The dataset is coded from these documents (references.yaml):", ""]
    lines += [f"- {markdown_inline(cite_document(dataset, key))}" for key in dataset.references.documents]
    lines += ["", "Cite the software with its CITATION.cff and give the dataset version above.", ""]
    return "\n".join(lines)


def _coverage(frame: pd.DataFrame, name: str) -> tuple[str, float]:
    """The years in which the variable has at least one value, as ranges, and its missing share."""
    column = frame[name]
    share = float(column.isna().mean()) if len(column) else 0.0
    years = sorted(set(frame.loc[column.notna(), "year"].astype(int)))
    return _ranges(years) or "none", share


def _ranges(years: list[int]) -> str:
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)


def _detail(column: Column, years: str, share: float, unit: str) -> list[str]:
    return [
        f"### `{column.name}`",
        "",
        markdown_inline(column.description),
        "",
        f"- Type: {column.type}",
        f"- Values: {markdown_inline(column.values)}",
        f"- Scoring rule: {markdown_inline(column.rule)}",
        f"- Source: {markdown_inline(column.source)}",
        f"- Years with data: {years}",
        f"- Missing: {share:.1%} of {unit}",
        "",
    ]
