"""Rendering a `SensitivityResult`: a rich table for a terminal, CSV and JSON for scripts.

Nothing here prints. Floats are rounded to `DECIMALS` places, so that the same data, options and
seed give the same bytes.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from harmon.core.sensitivity import SensitivityResult
from harmon.data.loading import Dataset
from harmon.report.provenance import provenance, provenance_line
from harmon.report.render import renderer
from harmon.report.text import csv_text, fmt, is_missing, json_number, json_text

FACTOR_LABELS = {"weights": "weights", "missing": "missing", "aggregation": "aggregation",
                 "drop_one": "drop one", "interactions": "interact."}


def sensitivity_frame(result: SensitivityResult) -> pd.DataFrame:
    """One row per member state in nominal rank order: iso3, the columns of `result.states`, then
    `first_<factor>` (and `first_interactions`) and `total_<factor>` for each factor that varies."""
    frame = result.states.copy()
    for column in result.first_order.columns:
        frame[f"first_{column}"] = result.first_order[column]
    for column in result.total_effect.columns:
        frame[f"total_{column}"] = result.total_effect[column]
    return frame.reset_index()


def sensitivity_settings(result: SensitivityResult, dataset: Dataset) -> dict[str, Any]:
    """What produced the result: harmon's and the dataset's versions, the weights, then the
    analysis's settings (seed included)."""
    return provenance(dataset, {"weights": dataset.weights_label, **result.settings})


@renderer("sensitivity", "csv")
def sensitivity_csv(result: SensitivityResult, dataset: Dataset) -> str:
    """The per-state results as CSV after a `# ` line with the settings (seed included)."""
    settings = provenance_line({k: v for k, v in sensitivity_settings(result, dataset).items() if k != "nominal"})
    return f"# harmon sensitivity: {settings}\n{csv_text(sensitivity_frame(result))}"


@renderer("sensitivity", "json")
def sensitivity_json(result: SensitivityResult, dataset: Dataset) -> str:
    """The settings, per-state results, regional intervals and pair stability as JSON."""
    states = [{k: json_number(v) for k, v in row.items()} for row in sensitivity_frame(result).to_dict(orient="records")]
    document = {
        "settings": sensitivity_settings(result, dataset),
        "factors": list(result.factors),
        "scorings": result.scorings,
        "states": states,
        "region": {name: {k: json_number(v) for k, v in row.items()} for name, row in result.region.iterrows()},
        "pairs": {"stable": result.stable_pairs, "all": result.pairs, "share_stable": json_number(result.pair_stability)},
    }
    return json_text(document)


@renderer("sensitivity", "table")
def sensitivity_tables(result: SensitivityResult, dataset: Dataset) -> Group:
    """Rich tables: ranks and indices with their intervals and the variance shares per state,
    then the region's intervals and what was drawn."""
    s = result.settings
    states = Table(
        title=f"{dataset.region.name}, {result.year}: how robust are the ranks? {result.draws:,} draws, seed {result.seed}",
        box=box.SIMPLE_HEAD, header_style="bold",
    )
    for header in ("Rank", "State", "Index", "Index 5-95%", "Median rank", "Rank 5-95%"):
        states.add_column(header, justify="left" if header == "State" else "right")
    for _, row in result.states.iterrows():
        states.add_row(
            _rank(row["nominal_rank"]), row["country"], fmt(row["nominal_index"]),
            _interval(row["index_p05"], row["index_p95"], fmt), _rank(row["median_rank"]),
            _interval(row["rank_p05"], row["rank_p95"], _rank),
        )
    states.caption = "Rank and Index: the nominal scoring. Intervals: 5th to 95th percentile of the draws."

    shares = Table(title="Which choice moves the rank?", box=box.SIMPLE_HEAD, header_style="bold")
    shares.add_column("State")
    share_columns = list(result.first_order.columns)
    for factor in share_columns:
        shares.add_column(FACTOR_LABELS[factor], justify="right", style="dim" if factor == "interactions" else "")
    for iso3, row in result.first_order.iterrows():
        shares.add_row(result.states.loc[iso3, "country"], *(_share(row[f]) for f in share_columns))
    if result.draws < s["shares_min_draws"]:
        shares.caption = f"Variance shares need at least {s['shares_min_draws']} draws: rerun with more --draws."
    else:
        shares.caption = (
            "The share of the variance of each state's rank that each choice (missing = missing-data policy) "
            "explains alone (first-order Sobol' index); interact. = the rest; - = the rank never changes. "
            f"Estimates: at {result.draws:,} draws expect some noise (a share may read below 0% or above 100%)."
        )

    region = Table(title="Region", box=box.SIMPLE_HEAD, header_style="bold")
    for header in ("Measure", "Nominal", "Median", "5-95%"):
        region.add_column(header, justify="left" if header == "Measure" else "right")
    for name, row in result.region.iterrows():
        label = {"mean": "mean index", "dyadic_harmonization": "dyadic harmonization"}[name]
        region.add_row(label, fmt(row["nominal"]), fmt(row["median"]), _interval(row["p05"], row["p95"], fmt))

    schemes = f"one of {len(s['schemes'])} weighting schemes" if s["schemes"] else "the weights"
    spread = f" x U(1 +- {s['weight_spread_percent']:g}%)" if s["weight_spread_percent"] else " as given"
    drawn = [
        f"{schemes}{spread}",
        f"missing data: {', '.join(s['missing'])}",
        f"aggregation: {', '.join(s['aggregation'])}",
        *(["one indicator left out (or none)"] if s["drop_one"] else []),
    ]
    notes = Text.assemble(
        ("Pairs of states whose order no draw reverses: ", "bold"),
        f"{result.stable_pairs} of {result.pairs} ({fmt(result.pair_stability * 100 if result.pairs else None, 0, '%')}).\n",
        ("Drawn: ", "bold"), "; ".join(drawn) + ".\n",
        ("Nominal: ", "bold"),
        f"the {'--weights' if dataset.weights is not None else 'model'} weights, {s['nominal']['missing']}, "
        f"{s['nominal']['aggregation']}. {result.scorings:,} scorings. Rerun with --seed {result.seed} for the same numbers.",
        style="",
    )
    if not share_columns:
        return Group(states, region, Text("Nothing was varied: every draw is the nominal scoring."))
    return Group(states, shares, region, notes)


def _rank(value: Any) -> str:
    if is_missing(value):
        return "–"
    return f"{value:g}"


def _interval(low: Any, high: Any, show: Any) -> str:
    if is_missing(low) or is_missing(high):
        return "unknown"
    return show(low) if low == high else f"{show(low)}-{show(high)}"


def _share(value: Any) -> str:
    if is_missing(value):
        return "-"
    return f"{round(value * 100) + 0:.0f}%"  # + 0: no "-0%"
