"""Renderers of one year's scores (`harmon score`) and of the scoring model (`harmon indicators`):
rich tables for a terminal, CSV, JSON and Markdown. Nothing here prints.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from harmon.core.scoring import YearScore
from harmon.data.loading import Dataset
from harmon.report.render import renderer
from harmon.report.terminal import styled
from harmon.report.text import DECIMALS, UNKNOWN, csv_text, fmt, is_missing, json_number, json_text, markdown_table, number


def score_frame(result: YearScore, by_indicator: bool = False) -> pd.DataFrame:
    """One row per state, in rank order: rank, the rank range (rank_best, rank_worst), iso3,
    country, member, the dimension scores, index, its bounds (index_lo, index_hi), coverage and,
    with `by_indicator`, each indicator score. Missing values are NA."""
    frame = result.countries.reset_index()
    columns = ["rank", "rank_best", "rank_worst", "iso3", "country", "member", *result.dimensions, "index",
               "index_lo", "index_hi", "coverage"]
    if by_indicator:
        columns += list(result.indicators)
    return frame[columns]


@renderer("score", "csv")
def score_csv(result: YearScore, dataset: Dataset, by_indicator: bool = False) -> str:
    """The score table as CSV: empty cells for missing values, floats to `DECIMALS` places."""
    return csv_text(score_frame(result, by_indicator))


def score_dict(result: YearScore) -> dict[str, Any]:
    """The result as plain JSON-ready values (the JSON document described in the README)."""
    countries = [
        {
            "iso3": iso3,
            "country": row["country"],
            "member": bool(row["member"]),
            "rank": None if pd.isna(row["rank"]) else int(row["rank"]),
            "rank_range": None if pd.isna(row["rank_best"]) else [int(row["rank_best"]), int(row["rank_worst"])],
            "index": json_number(row["index"]),
            "index_range": [json_number(row["index_lo"]), json_number(row["index_hi"])],
            "coverage": json_number(row["coverage"]),
            "dimensions": {d: json_number(row[d]) for d in result.dimensions},
            "indicators": {i: json_number(row[i]) for i in result.indicators},
        }
        for iso3, row in result.countries.iterrows()
    ]
    region = {
        "members": int(result.region["members"]),
        "mean": json_number(result.region["mean"]),
        "dispersion": json_number(result.region["dispersion"]),
        "dyadic_harmonization": json_number(result.region["dyadic_harmonization"]),
        "mean_range": [json_number(result.region["mean_lo"]), json_number(result.region["mean_hi"])],
        "dyadic_harmonization_range": [json_number(result.region["dyadic_harmonization_lo"]),
                                       json_number(result.region["dyadic_harmonization_hi"])],
        "dyadic_by_indicator": {i: json_number(v) for i, v in result.dyadic_by_indicator.items()},
    }
    return {"year": result.year, "missing": result.missing, "aggregation": result.aggregation,
            "countries": countries, "region": region}


@renderer("score", "json")
def score_json(result: YearScore, dataset: Dataset, by_indicator: bool = False) -> str:
    """The result as the JSON document described in the README."""
    return json_text(score_dict(result))


@renderer("score", "markdown")
def score_markdown(result: YearScore, dataset: Dataset, by_indicator: bool = False) -> str:
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


@renderer("score", "table")
def score_tables(result: YearScore, dataset: Dataset, by_indicator: bool = False) -> Group:
    """Rich tables for a terminal: one row per state, then the regional figures."""
    dimensions = {d.id: d for d in dataset.model.dimensions}
    legend = "; ".join(f"{d.short} = {d.label}" for d in dimensions.values() if d.short)
    table = Table(
        title=f"{dataset.region.name}: legal-harmonization index, {result.year}",
        caption=f"{legend}. {RANGE_CAPTION} Coverage: share of the index's weight observed. "
        f"Missing data: {result.missing}."
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
    table.add_column("Range", justify="right")
    table.add_column("Coverage", justify="right")
    if by_indicator:
        for i in result.indicators:
            table.add_column(i, justify="right")
    for _, row in score_frame(result, by_indicator).iterrows():
        cells = [
            styled(rank_text(row)),
            styled(row["country"] + ("" if row["member"] else " (not a member)"), "dim" if not row["member"] else ""),
            *(styled(fmt(row[d], 1)) for d in result.dimensions),
            styled(fmt(row["index"], 1)),
            styled(range_text(row["index_lo"], row["index_hi"])),
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


@renderer("indicators", "table")
def indicators_table(result: Any, dataset: Dataset) -> Group:
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
        table.add_row(Text(f"{dimension.label} ({dimension.id})", style="bold"), "", "", number(dimension.weight), "")
        for k, indicator in enumerate(dimension.indicators):
            table.add_row(
                Text.assemble("  ", indicator.id, "\n  ", (indicator.label, "dim")),
                indicator.kind,
                indicator.levels,
                number(indicator.weight),
                f"{effective[indicator.id]:.3f}",
                end_section=k == len(dimension.indicators) - 1,
            )
    levels = Table(title="Levels → scores", header_style="bold", caption="missing: not observed, never scored as 0",
                   box=box.SIMPLE_HEAD)
    levels.add_column("Levels")
    levels.add_column("Status → score")
    for name, scores in model.levels.items():
        levels.add_row(name, ", ".join(f"{status} → {'missing' if v is None else number(v)}" for status, v in scores.items()))
    return Group(table, levels)


# --- helpers -----------------------------------------------------------------------------------

RANGE_CAPTION = ("Range: the lowest and highest index the recorded facts allow, every unknown at its lowest "
                 "or highest level; Rank: the ranks those ranges allow.")


def rank_text(row: pd.Series) -> str:
    """A state's rank as a table shows it: "3", or "1–7" where the data allow several; "–" for a
    non-member."""
    if pd.isna(row["rank"]):
        return "–"
    best, worst = int(row["rank_best"]), int(row["rank_worst"])
    return str(best) if best == worst else f"{best}–{worst}"


def range_text(low: float, high: float) -> str:
    """The bounds of a value as a table shows them: "62.5–100.0", or "=" where they coincide."""
    if is_missing(low) or is_missing(high):
        return UNKNOWN
    if round(low, 9) == round(high, 9):
        return "="
    return f"{fmt(low, 1)}–{fmt(high, 1)}"


def _region_rows(result: YearScore) -> list[tuple[str, str]]:
    region = result.region
    rows = [
        ("member states", str(region["members"])),
        ("mean index", fmt(region["mean"], 1)),
        ("  range", range_text(region["mean_lo"], region["mean_hi"])),
        ("dispersion (population s.d.)", fmt(region["dispersion"], 1)),
        ("dyadic harmonization", fmt(region["dyadic_harmonization"], 1, "%")),
        ("  range", range_text(region["dyadic_harmonization_lo"], region["dyadic_harmonization_hi"])),
    ]
    rows += [(f"dyadic: {i}", fmt(share, 1, "%")) for i, share in result.dyadic_by_indicator.items()]
    return rows


def _cell(value: Any, column: str) -> str:
    if is_missing(value):
        return "–" if column == "rank" else UNKNOWN
    if isinstance(value, float):
        return f"{value:.{DECIMALS}f}"
    if isinstance(value, (bool,)) or column == "member":
        return "yes" if value else "no"
    return str(value)


