"""Renderers of one year's scores (`harmon score`) and of the scoring model (`harmon indicators`):
rich tables for a terminal, CSV, JSON and Markdown. Nothing here prints.
"""

from __future__ import annotations

from typing import Any, Mapping

import pandas as pd
from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from harmon.core.scoring import YearScore
from harmon.data.loading import Dataset
from harmon.report.paper import (
    DEFAULT_DECIMALS, PaperColumn, PaperTable, dimension_header, indicator_codes, indicator_legend, number_cell,
    paper_latex, paper_markdown, table_label, with_unknown_note,
)
from harmon.report.provenance import provenance, provenance_line
from harmon.report.render import renderer
from harmon.report.terminal import styled
from harmon.report.text import csv_text, fmt, is_missing, json_number, json_text, number, range_text, rank_range_text


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
def score_csv(result: YearScore, dataset: Dataset, by_indicator: bool = False, decimals: int | None = None) -> str:
    """The score table as CSV: empty cells for missing values, floats to `DECIMALS` places, and
    the choices that shaped it in the last columns (year, missing, aggregation, weights), so that
    every row says how it was scored and tables of several runs can be stacked."""
    frame = score_frame(result, by_indicator).assign(
        year=result.year, missing=result.missing, aggregation=result.aggregation, weights=dataset.weights_label,
    )
    return csv_text(frame)


def score_dict(result: YearScore, dataset: Dataset) -> dict[str, Any]:
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
            "weights": dataset.weights_label, "countries": countries, "region": region,
            "provenance": provenance(dataset, {"year": result.year, "missing": result.missing,
                                               "aggregation": result.aggregation, "weights": dataset.weights_label})}


@renderer("score", "json")
def score_json(result: YearScore, dataset: Dataset, by_indicator: bool = False, decimals: int | None = None) -> str:
    """The result as the JSON document described in the README."""
    return json_text(score_dict(result, dataset))


def score_paper(result: YearScore, dataset: Dataset, by_indicator: bool = False, decimals: int = DEFAULT_DECIMALS) -> PaperTable:
    """The score table for a paper: rank, state, the dimension scores (or, `by_indicator`, the
    indicator scores grouped under their dimension), index and coverage; the region in the notes."""
    model = dataset.model
    dims = {d.id: d for d in model.dimensions}
    codes = indicator_codes(model)
    columns = [PaperColumn("Rank"), PaperColumn("State", numeric=False)]
    if by_indicator:
        columns += [PaperColumn(codes[i], dimension_header(dims[model.dimension_of()[i]])) for i in result.indicators]
    else:
        columns += [PaperColumn(dimension_header(dims[d])) for d in result.dimensions]
    columns += [PaperColumn("Index"), PaperColumn("Range"), PaperColumn("Coverage")]
    rows = []
    for row in score_frame(result, by_indicator).to_dict("records"):
        cells = ["" if pd.isna(row["rank_best"]) else rank_text(row),
                 row["country"] + ("" if row["member"] else " (not a member)")]
        if by_indicator:
            cells += [number_cell(row[i], decimals + 1) for i in result.indicators]
        else:
            cells += [number_cell(row[d], decimals) for d in result.dimensions]
        cells += [number_cell(row["index"], decimals), range_text(row["index_lo"], row["index_hi"], decimals),
                  number_cell(row["coverage"] * 100, decimals, "%")]
        rows.append(cells)
    region = result.region
    notes = [
        ("Indicator scores 0-1: " + indicator_legend(model)) if by_indicator else
        "Dimension scores and index 0-100. " + "; ".join(f"{dimension_header(d)} = {d.label}" for d in model.dimensions if d.short) + ".",
        RANGE_CAPTION + f" Coverage: {coverage_words(result.missing)}. Missing data: "
        f"{result.missing}; aggregation: {result.aggregation}; weights: {dataset.weights_label}.",
        f"Region: {int(region['members'])} member states; mean index {number_cell(region['mean'], decimals)} "
        f"(range {range_text(region['mean_lo'], region['mean_hi'], decimals)}); "
        f"dispersion (s.d.) {number_cell(region['dispersion'], decimals)}; dyadic harmonization "
        f"{number_cell(region['dyadic_harmonization'], decimals, '%')}.",
    ]
    table = PaperTable(
        caption=f"{dataset.region.name}: legal-harmonization index, {result.year}",
        label=table_label(dataset.region.name, "score", result.year, "indicators" if by_indicator else ""),
        columns=columns, rows=rows, notes=notes, keys=2,
        preamble=[provenance_line(provenance(dataset, {"year": result.year, "missing": result.missing,
                                                      "aggregation": result.aggregation, "weights": dataset.weights_label}))],
    )
    return with_unknown_note(table)


@renderer("score", "markdown")
def score_markdown(result: YearScore, dataset: Dataset, by_indicator: bool = False, decimals: int = DEFAULT_DECIMALS) -> str:
    """The score table for a paper draft in Markdown (`score_paper`)."""
    return paper_markdown(score_paper(result, dataset, by_indicator, decimals))


@renderer("score", "latex")
def score_latex(result: YearScore, dataset: Dataset, by_indicator: bool = False, decimals: int = DEFAULT_DECIMALS) -> str:
    """The score table as a LaTeX booktabs table with caption and label (`score_paper`)."""
    return paper_latex(score_paper(result, dataset, by_indicator, decimals))


@renderer("score", "table")
def score_tables(result: YearScore, dataset: Dataset, by_indicator: bool = False, decimals: int = DEFAULT_DECIMALS) -> Group:
    """Rich tables for a terminal: one row per state, then the regional figures."""
    dimensions = {d.id: d for d in dataset.model.dimensions}
    legend = "; ".join(f"{d.short} = {d.label}" for d in dimensions.values() if d.short)
    table = Table(
        title=f"{dataset.region.name}: legal-harmonization index, {result.year}",
        caption=f"{legend}. ? unknown. {RANGE_CAPTION} Each state's coverage ({coverage_words(result.missing)}) "
        f"is in --format csv and json. Missing data: {result.missing}."
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
    if by_indicator:
        for i in result.indicators:
            table.add_column(i, justify="right")
    for row in score_frame(result, by_indicator).to_dict("records"):
        cells = [
            styled(rank_text(row)),
            styled(row["country"] + ("" if row["member"] else " (not a member)"), "dim" if not row["member"] else ""),
            *(styled(score_cell(row[d])) for d in result.dimensions),
            styled(fmt(row["index"], 1)),
            styled(range_text(row["index_lo"], row["index_hi"])),
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
                 "or highest level (= where the facts fix it); Rank: the ranks those ranges allow.")


def coverage_words(missing: str) -> str:
    """What coverage is the share of under missing-data policy `missing` (docs/method.md §5)."""
    return "the share of the index's weight observed" + (
        " or carried back from a later observation" if missing == "backfill" else "")


def rank_text(row: Mapping[str, Any]) -> str:
    """A state's rank (a row of `score_frame`, as a Series or a dict) as a table shows it: "3", or
    "1–7" where the data allow several (a member with nothing known too: it has no point rank,
    but its range allows some); "–" for a non-member."""
    if pd.isna(row["rank_best"]):
        return "–"
    return rank_range_text(int(row["rank_best"]), int(row["rank_worst"]))


def score_cell(value: float) -> str:
    """A dimension score in a terminal table: one decimal, "?" when unknown (the caption says so)."""
    return "?" if is_missing(value) else fmt(value, 1)


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
