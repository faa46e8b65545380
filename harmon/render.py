"""Turning engine results into text: rich tables for a terminal, CSV, JSON and Markdown.

Nothing here prints: each function returns a string or a rich renderable for the CLI to show.
Floats in machine-readable output are rounded to `DECIMALS` places, so that the same data always
gives the same bytes.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from harmon.errors import Problem
from harmon.loading import Dataset
from harmon.scoring import YearScore

DECIMALS = 4
UNKNOWN = "unknown"


def score_frame(result: YearScore, by_indicator: bool = False) -> pd.DataFrame:
    """One row per state, in rank order: rank, iso3, country, member, the dimension scores,
    index, coverage and, with `by_indicator`, each indicator score. Missing values are NA."""
    frame = result.countries.reset_index()
    columns = ["rank", "iso3", "country", "member", *result.dimensions, "index", "coverage"]
    if by_indicator:
        columns += list(result.indicators)
    return frame[columns]


def score_csv(result: YearScore, by_indicator: bool = False) -> str:
    """The score table as CSV: empty cells for missing values, floats to `DECIMALS` places."""
    frame = score_frame(result, by_indicator)
    return frame.to_csv(index=False, float_format=f"%.{DECIMALS}f", lineterminator="\n")


def score_json(result: YearScore) -> str:
    """The result as the JSON document described in the README."""
    return json_text(result.to_dict(DECIMALS))


def score_markdown(result: YearScore, by_indicator: bool = False) -> str:
    """The score table and the regional figures as Markdown tables, missing values as 'unknown'."""
    frame = score_frame(result, by_indicator)
    shown = pd.DataFrame(
        {
            column: [_cell(value, column) for value in frame[column]]
            for column in frame.columns
        }
    )
    lines = [f"### Legal-harmonization index, {result.year}", "", markdown_table(shown), ""]
    lines += [f"### Region, {result.year}", "", markdown_table(pd.DataFrame(_region_rows(result), columns=["measure", "value"])), ""]
    return "\n".join(lines)


def score_tables(result: YearScore, dataset: Dataset, by_indicator: bool = False) -> Group:
    """Rich tables for a terminal: one row per state, then the regional figures."""
    dimensions = {d.id: d for d in dataset.model.dimensions}
    legend = "; ".join(f"{d.short} = {d.label}" for d in dimensions.values() if d.short)
    table = Table(
        title=f"{dataset.region.name}: legal-harmonization index, {result.year}",
        caption=f"{legend}. Coverage: share of the index's weight observed. Missing data: {result.missing}."
        + ("" if result.aggregation == "arithmetic" else f" Aggregation: {result.aggregation}.")
        + ("" if dataset.weights is None else f" Weights: {dataset.weights['name']} ({dataset.weights['file']})."),
        header_style="bold",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("Rank", justify="right")
    table.add_column("State", min_width=11)
    for d in result.dimensions:
        table.add_column(dimensions[d].short or dimensions[d].label, justify="right")
    table.add_column("Index", justify="right", style="bold")
    table.add_column("Coverage", justify="right")
    if by_indicator:
        for i in result.indicators:
            table.add_column(i, justify="right")
    for _, row in score_frame(result, by_indicator).iterrows():
        cells = [
            styled("–" if pd.isna(row["rank"]) else str(int(row["rank"]))),
            styled(row["country"] + ("" if row["member"] else " (not a member)"), "dim" if not row["member"] else ""),
            *(styled(fmt(row[d], 1)) for d in result.dimensions),
            styled(fmt(row["index"], 1)),
            styled(fmt(row["coverage"] * 100, 1, "%")),
        ]
        if by_indicator:
            cells += [styled(fmt(row[i], 2)) for i in result.indicators]
        table.add_row(*cells)

    region = Table(title=f"Region, {result.year}", header_style="bold", box=box.SIMPLE_HEAD)
    region.add_column("Measure")
    region.add_column("Value", justify="right")
    for measure, value in _region_rows(result):
        region.add_row(measure, styled(value))
    return Group(table, region)


def indicators_table(dataset: Dataset) -> Group:
    """The scoring model as tables: each indicator with its dimension, kind, levels and weights;
    then each set of levels with the score of every status."""
    model = dataset.model
    effective = model.effective_weights()
    table = Table(title=f"Scoring model: {model.name} (version {model.version})", header_style="bold",
                  caption="Weight: relative, among the dimensions or within a dimension. "
                          "Effective: the indicator's share of the index.",
                  box=box.SIMPLE_HEAD)
    table.add_column("Dimension / indicator", min_width=max(len(i) for i in model.indicators), overflow="fold")
    for name in ("Kind", "Levels", "Weight", "Effective"):
        table.add_column(name, justify="right" if name in ("Weight", "Effective") else "left")
    for dimension in model.dimensions:
        table.add_row(Text(f"{dimension.label} ({dimension.id})", style="bold"), "", "", _number(dimension.weight), "")
        for k, indicator in enumerate(dimension.indicators):
            table.add_row(
                Text.assemble("  ", indicator.id, "\n  ", (indicator.label, "dim")),
                indicator.kind,
                indicator.levels,
                _number(indicator.weight),
                f"{effective[indicator.id]:.3f}",
                end_section=k == len(dimension.indicators) - 1,
            )
    levels = Table(title="Levels → scores", header_style="bold", caption="missing: not observed, never scored as 0",
                   box=box.SIMPLE_HEAD)
    levels.add_column("Levels")
    levels.add_column("Status → score")
    for name, scores in model.levels.items():
        levels.add_row(name, ", ".join(f"{status} → {'missing' if v is None else _number(v)}" for status, v in scores.items()))
    return Group(table, levels)


def problems_text(problems: list[Problem], relative_to: Any = None) -> str:
    """Every problem on its own line, `file:line: message`."""
    return "".join(p.format(relative_to) + "\n" for p in problems)


# --- helpers -----------------------------------------------------------------------------------


def _region_rows(result: YearScore) -> list[tuple[str, str]]:
    region = result.region
    rows = [
        ("member states", str(region["members"])),
        ("mean index", fmt(region["mean"], 1)),
        ("dispersion (population s.d.)", fmt(region["dispersion"], 1)),
        ("dyadic harmonization", fmt(region["dyadic_harmonization"], 1, "%")),
    ]
    rows += [(f"dyadic: {i}", fmt(share, 1, "%")) for i, share in result.dyadic_by_indicator.items()]
    return rows


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA: a value that was not observed."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def json_number(value: Any) -> Any:
    """A JSON-ready number: None for unknown, floats rounded to DECIMALS; other values as they are."""
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    try:
        return round(float(value), DECIMALS)
    except (TypeError, ValueError):
        return value


def json_text(value: Any) -> str:
    """`value` as indented JSON text, non-ASCII kept, with a final newline."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def fmt(value: Any, decimals: int = 1, suffix: str = "") -> str:
    """`value` with `decimals` places and `suffix`, or 'unknown' when it is missing."""
    return UNKNOWN if is_missing(value) else f"{value:.{decimals}f}{suffix}"


def _number(value: float) -> str:
    return f"{value:g}"


def _cell(value: Any, column: str) -> str:
    if is_missing(value):
        return "–" if column == "rank" else UNKNOWN
    if isinstance(value, float):
        return f"{value:.{DECIMALS}f}"
    if isinstance(value, (bool,)) or column == "member":
        return "yes" if value else "no"
    return str(value)


def styled(text: str, style: str = "") -> Text:
    """`text` as a table cell: dim italic when it is 'unknown', else in `style`."""
    return Text(text, style="dim italic" if text == UNKNOWN else style)


def markdown_table(frame: pd.DataFrame) -> str:
    """`frame` as a Markdown table: missing cells 'unknown', floats to `DECIMALS` places, lists
    joined with '; ', and '|' and newlines escaped so that a cell cannot break the table."""
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(_markdown_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def _markdown_cell(value: Any) -> str:
    if is_missing(value):
        return UNKNOWN
    if isinstance(value, float):
        return f"{value:.{DECIMALS}f}"
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    return str(value).replace("|", "\\|").replace("\n", " ")
