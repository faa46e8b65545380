"""Renderers of the views (explain, diff, status, trend, timeline): rich tables for a terminal
(80 columns and up), CSV, JSON and Markdown. Nothing here prints. Floats in machine-readable output
are rounded to `DECIMALS` places; unknown values are empty (CSV), null (JSON) or 'unknown'.
"""

from __future__ import annotations

import pandas as pd
from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from harmon.core.diff import Diff
from harmon.core.explain import Explanation
from harmon.core.status import StatusMatrix
from harmon.core.trend import Trend
from harmon.data.loading import Dataset
from harmon.report.citations import reference_rows, reference_text
from harmon.report.render import renderer
from harmon.report.terminal import Footnotes, change, change_plain, policy_score, score_text, sparkline, styled
from harmon.report.text import DECIMALS, UNKNOWN, csv_text, fmt, lists_joined, is_missing, json_number, json_text, markdown_table
from harmon.report.words import event_title, rule_text, status_symbol_and_cell


def _csv(frame: pd.DataFrame) -> str:
    return csv_text(lists_joined(frame))


def _worded(frame: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """`frame` with its `rule` column (`Rule`s) in words and a `reference` line for its `sources`."""
    out = frame.copy()
    out["rule"] = [rule_text(r) for r in out["rule"]]
    out["reference"] = [reference_text(dataset, keys) for keys in out["sources"]]
    return out


# --- explain -----------------------------------------------------------------------------------


def explain_frame(result: Explanation, dataset: Dataset) -> pd.DataFrame:
    """One row per indicator: what the CSV and Markdown show."""
    frame = _worded(result.indicators, dataset).rename(columns={"reference": "references"})
    frame.insert(0, "iso3", result.iso3)
    frame.insert(1, "year", result.year)
    return frame


@renderer("explain", "csv")
def explain_csv(result: Explanation, dataset: Dataset) -> str:
    return _csv(explain_frame(result, dataset))


@renderer("explain", "json")
def explain_json(result: Explanation, dataset: Dataset) -> str:
    indicators = [
        {
            "dimension": r["dimension"],
            "indicator": r["indicator"],
            "label": r["label"],
            "status": r["status"],
            "rule": rule_text(r["rule"]),
            "score": json_number(r["score"]),
            "scored": json_number(r["scored"]),
            "weight": json_number(r["weight"]),
            "effective_weight": json_number(r["effective_weight"]),
            "share": json_number(r["share"]),
            "contribution": json_number(r["contribution"]),
            "references": reference_rows(dataset, r["sources"]),
        }
        for _, r in result.indicators.iterrows()
    ]
    dimensions = [
        {"dimension": r["dimension"], "label": r["label"], "weight": json_number(r["weight"]), "score": json_number(r["score"]),
         "share": json_number(r["share"]), "contribution": json_number(r["contribution"])}
        for _, r in result.dimensions.iterrows()
    ]
    return json_text(
        {"iso3": result.iso3, "country": result.country, "year": result.year, "missing": result.missing,
         "member": result.member, "rank": result.rank, "index": json_number(result.index),
         "coverage": json_number(result.coverage), "dimensions": dimensions, "indicators": indicators}
    )


@renderer("explain", "markdown")
def explain_markdown(result: Explanation, dataset: Dataset) -> str:
    frame = explain_frame(result, dataset)[
        ["dimension", "indicator", "status", "rule", "score", "scored", "share", "contribution", "references"]
    ]
    title = f"### {result.country} ({result.iso3}), {result.year}: index {fmt(result.index, DECIMALS)}"
    total = f"Contributions sum to the index. Coverage {fmt(result.coverage * 100, 1, '%')}; missing data: {result.missing}."
    return "\n".join([title, "", markdown_table(frame), "", total, ""])


@renderer("explain", "table")
def explain_tables(result: Explanation, dataset: Dataset) -> Group:
    """The index taken apart: a section per dimension, a row per indicator, then the references."""
    notes = Footnotes(dataset)
    rank = f"rank {result.rank}" if result.rank is not None else "no rank" + ("" if result.member else " (not a member)")
    table = Table(
        title=f"{result.country} ({result.iso3}), {result.year}: index {fmt(result.index)}, {rank}",
        header_style="bold",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("Indicator / status", min_width=20)
    table.add_column("Rule", ratio=1, min_width=16)
    table.add_column("s", justify="right", no_wrap=True)
    table.add_column("Share", justify="right", no_wrap=True)
    table.add_column("Points", justify="right", no_wrap=True)
    table.add_column("Ref.", no_wrap=True)
    indicators = result.indicators
    for _, d in result.dimensions.iterrows():
        table.add_row(
            Text(d["label"], style="bold"), Text(f"D = {fmt(d['score'])}", style="dim"), "",
            fmt(d["share"] * 100, 1, "%"), Text(fmt(d["contribution"], 2), style="bold"), "",
        )
        rows = indicators[indicators["dimension"] == d["dimension"]]
        for k, (_, r) in enumerate(rows.iterrows()):
            status = r["status"] or "not recorded"
            table.add_row(
                Text.assemble(" " + r["indicator"], "\n", ("  " + status, "dim italic" if status in (UNKNOWN, "unavailable", "not recorded") else "dim")),
                rule_text(r["rule"]),
                styled(policy_score(r["score"], r["scored"])),
                fmt(r["share"] * 100, 1, "%"),
                fmt(r["contribution"], 2),
                notes.mark(r["sources"]),
                end_section=k == len(rows) - 1,
            )
    table.add_row(Text("Index", style="bold"), "", "", fmt(100 * result.indicators["share"].sum(), 0, "%"),
                  Text(fmt(result.index, 2), style="bold"), "")
    caption = Text(
        f"s: the indicator's score (? unknown; * filled in by the missing-data policy). Share: the part of the index "
        f"it carries this year. "
        f"Points = s x share x 100; they add up to the index. Coverage "
        f"{fmt(result.coverage * 100, 0, '%')}; missing data: {result.missing}.",
        style="dim",
    )
    return Group(table, caption, notes.renderable())


# --- diff --------------------------------------------------------------------------------------


def _state_label(row: pd.Series, which: str) -> str:
    return "" if row[f"member_{which}"] else " (not a member)"


@renderer("diff", "json")
def diff_json(result: Diff, dataset: Dataset) -> str:
    facts_all = _worded(result.facts, dataset)
    states = []
    for _, s in result.states.iterrows():
        facts = facts_all[facts_all["iso3"] == s["iso3"]]
        states.append(
            {
                "iso3": s["iso3"], "country": s["country"],
                "member": {str(result.year_1): bool(s["member_1"]), str(result.year_2): bool(s["member_2"])},
                "index": {str(result.year_1): json_number(s["index_1"]), str(result.year_2): json_number(s["index_2"])},
                "change": json_number(s["change"]),
                "facts": [
                    {"indicator": f["indicator"], "label": f["label"], "status": f["status"],
                     "score": {str(result.year_1): json_number(f["score_1"]), str(result.year_2): json_number(f["score_2"])},
                     "year": int(f["when"]), "rule": f["rule"], "title": f["title"], "sources": f["sources"],
                     "reference": f["reference"]}
                    for _, f in facts.iterrows()
                ],
            }
        )
    region = {
        r["measure"]: {str(result.year_1): json_number(r["value_1"]), str(result.year_2): json_number(r["value_2"]),
                       "change": json_number(r["change"])}
        for _, r in result.region.iterrows()
    }
    return json_text({"from": result.year_1, "to": result.year_2, "missing": result.missing,
                  "changed": result.changed, "states": states, "region": region})


@renderer("diff", "csv")
def diff_csv(result: Diff, dataset: Dataset) -> str:
    """One row per changed fact (and one per state with no changed fact), with the state's index
    in both years and its change."""
    y1, y2 = result.year_1, result.year_2
    facts_all = _worded(result.facts, dataset)
    rows = []
    for _, s in result.states.iterrows():
        base = {"iso3": s["iso3"], "country": s["country"], f"index_{y1}": s["index_1"],
                f"index_{y2}": s["index_2"], "change": s["change"]}
        facts = facts_all[facts_all["iso3"] == s["iso3"]]
        if facts.empty:
            rows.append({**base, "indicator": None, f"score_{y1}": None, f"score_{y2}": None, "year": None,
                         "rule": None, "sources": None, "reference": None})
        for _, f in facts.iterrows():
            rows.append({**base, "indicator": f["indicator"], f"score_{y1}": f["score_1"],
                         f"score_{y2}": f["score_2"], "year": f["when"], "rule": f["rule"],
                         "sources": f["sources"], "reference": f["reference"]})
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    return _csv(frame)


@renderer("diff", "markdown")
def diff_markdown(result: Diff, dataset: Dataset) -> str:
    y1, y2 = result.year_1, result.year_2
    facts_all = _worded(result.facts, dataset)
    rows = []
    for _, s in result.states.iterrows():
        facts = facts_all[facts_all["iso3"] == s["iso3"]]
        what = "; ".join(
            f"{f['when']} {f['indicator']} {score_text(f['score_1'])}→{score_text(f['score_2'])} ({f['reference']})"
            for _, f in facts.iterrows()
        )
        rows.append({"State": s["country"], str(y1): fmt(s["index_1"]), str(y2): fmt(s["index_2"]),
                     "Change": change_plain(s["change"]), "What changed": what or "nothing"})
    region = pd.DataFrame(
        [{"Measure": r["measure"], str(y1): fmt(r["value_1"]), str(y2): fmt(r["value_2"]),
          "Change": change_plain(r["change"])} for _, r in result.region.iterrows()]
    )
    return "\n".join([
        f"### Legal-harmonization index, {y1} → {y2}", "", markdown_table(pd.DataFrame(rows)), "",
        f"### Region, {y1} → {y2}", "", markdown_table(region), "",
    ])


@renderer("diff", "table")
def diff_tables(result: Diff, dataset: Dataset) -> Group:
    y1, y2 = result.year_1, result.year_2
    notes = Footnotes(dataset)
    table = Table(
        title=f"{dataset.region.name}: what changed, {y1} → {y2}",
        header_style="bold",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("State", min_width=9)
    table.add_column(str(y1), justify="right", no_wrap=True)
    table.add_column(str(y2), justify="right", no_wrap=True)
    table.add_column("Change", justify="right", no_wrap=True)
    table.add_column("What changed", ratio=1, min_width=20)
    for _, s in result.states.iterrows():
        facts = result.facts[result.facts["iso3"] == s["iso3"]]
        what = Text()
        for k, (_, f) in enumerate(facts.iterrows()):
            if k:
                what.append("\n")
            what.append(f"{f['when']} ", style="bold")
            what.append(f"{f['indicator']} {score_text(f['score_1'])}→{score_text(f['score_2'])} ")
            what.append(notes.mark(f["sources"]), style="dim")
        if not len(facts):
            what = Text("nothing", style="dim")
        table.add_row(
            s["country"] + _state_label(s, "2"),
            styled(fmt(s["index_1"])),
            styled(fmt(s["index_2"])),
            change(s["change"]),
            what,
            end_section=True,
        )
    region = Table(title=f"Region, {y1} → {y2}", header_style="bold", box=box.SIMPLE_HEAD)
    region.add_column("Measure")
    region.add_column(str(y1), justify="right")
    region.add_column(str(y2), justify="right")
    region.add_column("Change", justify="right")
    labels = {"members": "member states", "mean": "mean index", "dispersion": "dispersion (s.d.)",
              "dyadic_harmonization": "dyadic harmonization"}
    for _, r in result.region.iterrows():
        decimals = 0 if r["measure"] == "members" else 1
        region.add_row(labels.get(r["measure"], r["measure"]), styled(fmt(r["value_1"], decimals)),
                       styled(fmt(r["value_2"], decimals)), change(r["change"], decimals))
    caption = Text(f"What changed: the year, the indicator, its score s in {y1} → {y2} (? unknown), "
                   f"its references. Missing data: {result.missing}.", style="dim")
    return Group(table, caption, notes.renderable(), Text(""), region)


# --- status ------------------------------------------------------------------------------------


def status_frame(result: StatusMatrix) -> pd.DataFrame:
    """The status cells with the paper's `symbol` and the `cell` as the paper prints it."""
    cells = result.cells
    shown = [status_symbol_and_cell(row) for row in cells.to_dict(orient="records")]
    frame = cells.drop(columns=["level", "standing"])
    frame.insert(frame.columns.get_loc("status") + 1, "symbol", [sym for sym, _ in shown])
    frame["cell"] = [cell for _, cell in shown]
    return frame


@renderer("status", "csv")
def status_csv(result: StatusMatrix, dataset: Dataset) -> str:
    cells = status_frame(result)
    matrix = cells.pivot(index="iso3", columns="indicator", values="cell")
    matrix = matrix.loc[list(dict.fromkeys(cells["iso3"])), list(dict.fromkeys(cells["indicator"]))]
    names = dict(zip(cells["iso3"], cells["country"]))
    matrix.insert(0, "country", [names[i] for i in matrix.index])
    return csv_text(matrix.reset_index())


@renderer("status", "json")
def status_json(result: StatusMatrix, dataset: Dataset) -> str:
    records = [
        {k: (None if is_missing(v) else int(v) if k == "year" else v) for k, v in row.items()}
        for row in status_frame(result).to_dict(orient="records")
    ]
    return json_text({"year": result.year, "cells": records})


def _status_groups(cells: pd.DataFrame, dataset: Dataset) -> list[tuple[int, str, pd.DataFrame]]:
    """(table number, dimension label, matrix) for each dimension present, in model order."""
    groups = []
    for number, d in enumerate(dataset.model.dimensions, 1):
        part = cells[cells["dimension"] == d.id]
        if part.empty:
            continue
        matrix = part.pivot(index="country", columns="label", values="cell")
        matrix = matrix.loc[list(dict.fromkeys(part["country"])), list(dict.fromkeys(part["label"]))]
        groups.append((number, d.label, matrix))
    return groups


@renderer("status", "markdown")
def status_markdown(result: StatusMatrix, dataset: Dataset) -> str:
    year = result.year
    lines = []
    for number, label, matrix in _status_groups(status_frame(result), dataset):
        lines += [f"### Table {number}. {label} ({year})", "", markdown_table(matrix.reset_index().rename(columns={"country": "State"})), ""]
    return "\n".join(lines)


@renderer("status", "table")
def status_tables(result: StatusMatrix, dataset: Dataset) -> Group:
    year = result.year
    styles = {"✓": "green", "✗": "red", "✓ (but limited)": "yellow"}
    tables = []
    for number, label, matrix in _status_groups(status_frame(result), dataset):
        table = Table(title=f"Table {number}. {label} ({year})", header_style="bold", box=box.SIMPLE_HEAD)
        table.add_column("State", no_wrap=True)
        for column in matrix.columns:
            table.add_column(column, ratio=1)
        for country, row in matrix.iterrows():
            table.add_row(country, *(Text(v, style="dim italic" if v in (UNKNOWN, "Information unavailable")
                                          else styles.get(v.split(" (")[0] if v.startswith("✓ (2") else v, "")) for v in row))
        tables.append(table)
    caption = Text(
        "✓ yes, ✓ (but limited), ✗ no, Information unavailable (as in the paper); (year) when it began; "
        "unknown: not yet known in that year, or not recorded.",
        style="dim",
    )
    return Group(*tables, caption)


# --- trend -------------------------------------------------------------------------------------


def trend_frame(result: Trend) -> pd.DataFrame:
    frame = result.region.reset_index()
    return frame[["year", "members", "mean", "dispersion", "dyadic_harmonization"]]


@renderer("trend", "csv")
def trend_csv(result: Trend, dataset: Dataset) -> str:
    """Regional figures per year, then each state's index per year as columns `index_<ISO3>`."""
    frame = trend_frame(result)
    for iso3, row in result.index.iterrows():
        frame[f"index_{iso3}"] = [row[y] for y in frame["year"]]
    return _csv(frame)


@renderer("trend", "json")
def trend_json(result: Trend, dataset: Dataset) -> str:
    years = list(range(result.first, result.last + 1))
    return json_text(
        {
            "from": result.first, "to": result.last, "missing": result.missing,
            "region": [{k: (int(v) if k in ("year", "members") else json_number(v)) for k, v in row.items()}
                       for row in trend_frame(result).to_dict(orient="records")],
            "states": [{"iso3": iso3, "country": row["country"], "index": {str(y): json_number(row[y]) for y in years}}
                       for iso3, row in result.index.iterrows()],
        }
    )


@renderer("trend", "markdown")
def trend_markdown(result: Trend, dataset: Dataset) -> str:
    frame = trend_frame(result).rename(columns={"dyadic_harmonization": "dyadic"})
    frame["members"] = frame["members"].astype(str)
    frame["year"] = frame["year"].astype(str)
    years = list(range(result.first, result.last + 1))
    spark = pd.DataFrame(
        [{"State": row["country"], f"{result.first}-{result.last}": "`" + sparkline([row[y] for y in years]) + "`",
          str(result.first): fmt(row[result.first]), str(result.last): fmt(row[result.last])}
         for _, row in result.index.iterrows()]
    )
    return "\n".join([f"### Region, {result.first}-{result.last}", "", markdown_table(frame), "",
                      "### Index per state", "", markdown_table(spark), ""])


@renderer("trend", "table")
def trend_tables(result: Trend, dataset: Dataset) -> Group:
    years = list(range(result.first, result.last + 1))
    region = Table(
        title=f"{dataset.region.name}: regional figures, {result.first}-{result.last}",
        header_style="bold",
        box=box.SIMPLE_HEAD,
    )
    for name in ("Year", "Members", "Mean", "Dispersion", "Dyadic"):
        region.add_column(name, justify="right", no_wrap=True)
    region.add_column("Mean, 0-100", no_wrap=True)
    means = result.region["mean"].tolist()
    for year, row in result.region.iterrows():
        bar = "" if is_missing(row["mean"]) else "█" * int(round(row["mean"] / 5))
        region.add_row(str(year), str(int(row["members"])), styled(fmt(row["mean"])), styled(fmt(row["dispersion"])),
                       styled(fmt(row["dyadic_harmonization"], 1, "%")), Text(bar, style="cyan"))
    states = Table(
        title=f"Index per state, {result.first}-{result.last}",
        header_style="bold",
        box=box.SIMPLE_HEAD,
    )
    states.add_column("State", no_wrap=True)
    states.add_column(f"{result.first}-{result.last}", no_wrap=True)
    states.add_column(str(result.first), justify="right", no_wrap=True)
    states.add_column(str(result.last), justify="right", no_wrap=True)
    states.add_column("Change", justify="right", no_wrap=True)
    for _, row in result.index.iterrows():
        values = [row[y] for y in years]
        states.add_row(row["country"], Text(sparkline(values), style="cyan"), styled(fmt(values[0])),
                       styled(fmt(values[-1])), change(values[-1] - values[0]))
    states.add_row(Text("Region (mean)", style="bold"), Text(sparkline(means), style="bold cyan"),
                   styled(fmt(means[0])), styled(fmt(means[-1])), change(means[-1] - means[0]), end_section=True)
    note = Text(f"Mean and dispersion (population s.d.) of the member states' indices; dyadic "
                f"harmonization in %. Sparklines: one character per year on a 0-100 scale, · unknown. "
                f"Missing data: {result.missing}.", style="dim")
    return Group(region, states, note)


# --- timeline ----------------------------------------------------------------------------------


def timeline_frame(events: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """The timeline's events with each `title` in words and a `reference` line for its sources."""
    frame = events.copy()
    frame["title"] = [event_title(t, d, s) for t, d, s in zip(frame["title"], frame["detail"], frame["status"])]
    frame["reference"] = [reference_text(dataset, keys) for keys in frame["sources"]]
    return frame.drop(columns=["detail", "status"])


@renderer("timeline", "csv")
def timeline_csv(events: pd.DataFrame, dataset: Dataset) -> str:
    return _csv(timeline_frame(events, dataset))


@renderer("timeline", "json")
def timeline_json(events: pd.DataFrame, dataset: Dataset) -> str:
    frame = timeline_frame(events, dataset)
    records = [{k: (None if is_missing(v) else v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    for r in records:
        r["year"] = int(r["year"])
    return json_text({"events": records})


@renderer("timeline", "markdown")
def timeline_markdown(events: pd.DataFrame, dataset: Dataset) -> str:
    shown = timeline_frame(events, dataset)[["date", "country", "kind", "title", "reference"]].rename(
        columns={"date": "Date", "country": "Where", "kind": "Kind", "title": "Event", "reference": "Reference"})
    return "\n".join(["### Timeline", "", markdown_table(shown), ""])


@renderer("timeline", "table")
def timeline_table(events: pd.DataFrame, dataset: Dataset) -> Group:
    frame = timeline_frame(events, dataset)
    notes = Footnotes(dataset)
    table = Table(
        title=f"{dataset.region.name}: timeline",
        header_style="bold",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("Date", no_wrap=True)
    table.add_column("Where", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Event", ratio=1, min_width=20)
    for _, r in frame.iterrows():
        region = r["scope"] == "region"
        table.add_row(
            r["date"],
            Text(dataset.region.name if region else r["iso3"], style="bold" if region else ""),
            r["kind"],
            Text.assemble((r["title"], "bold" if region else ""), " ", (notes.mark(r["sources"]), "dim")),
        )
    if frame.empty:
        return Group(Text("No events match.", style="dim"))
    note = Text("Where: the region or a state's ISO code. Kind: a milestone's kind, or the indicator.", style="dim")
    return Group(table, note, notes.renderable())
