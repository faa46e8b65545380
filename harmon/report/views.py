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
from harmon.core.status import NOT_KNOWN, RECORDED, StatusMatrix
from harmon.core.trend import Trend
from harmon.data.loading import Dataset
from harmon.report.citations import reference_rows, reference_text
from harmon.report.render import renderer
from harmon.report.terminal import Footnotes, change, policy_score, score_text, sparkline, styled
from harmon.report.paper import (
    DEFAULT_DECIMALS, UNKNOWN_MARK, PaperColumn, PaperTable, number_cell, paper_latex, paper_markdown, signed_cell,
    table_label, with_unknown_note,
)
from harmon.report.provenance import provenance, provenance_line
from harmon.report.text import (
    DECIMALS, UNKNOWN, csv_text, fmt, is_missing, json_number, json_text, lists_joined, markdown_table, range_text,
    rank_range_text,
)
from harmon.report.words import event_title, rule_text, status_legend, status_symbol_and_cell


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
            "score_range": [json_number(r["lower"]), json_number(r["upper"])],
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
         "member": result.member, "rank": result.rank,
         "rank_range": None if result.rank_best is None else [result.rank_best, result.rank_worst],
         "index": json_number(result.index), "index_range": [json_number(result.index_lo), json_number(result.index_hi)],
         "coverage": json_number(result.coverage), "dimensions": dimensions, "indicators": indicators}
    )


@renderer("explain", "markdown")
def explain_markdown(result: Explanation, dataset: Dataset) -> str:
    frame = explain_frame(result, dataset)[
        ["dimension", "indicator", "status", "rule", "score", "scored", "share", "contribution", "references"]
    ]
    title = (f"### {result.country} ({result.iso3}), {result.year}: index {fmt(result.index, DECIMALS)} "
             f"(range {range_text(result.index_lo, result.index_hi)})")
    total = f"Contributions sum to the index. Coverage {fmt(result.coverage * 100, 1, '%')}; missing data: {result.missing}."
    return "\n".join([title, "", markdown_table(frame), "", total, ""])


@renderer("explain", "table")
def explain_tables(result: Explanation, dataset: Dataset) -> Group:
    """The index taken apart: a section per dimension, a row per indicator, then the references."""
    notes = Footnotes(dataset)
    if result.rank_best is None:
        rank = "no rank (not a member)"
    else:  # a member with nothing known has no point rank, but the ranks its range allows
        rank = f"rank {rank_range_text(result.rank_best, result.rank_worst)}"
    table = Table(
        title=f"{result.country} ({result.iso3}), {result.year}: index {fmt(result.index)} "
              f"(range {range_text(result.index_lo, result.index_hi)}), {rank}",
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
            if r["status"] and r["rule"].known_from is not None and r["rule"].known_from > result.year:
                status += f" (from {r['rule'].known_from})"  # the entry does not hold yet this year
            table.add_row(
                Text.assemble(" " + r["indicator"], "\n", ("  " + status, "dim italic" if status in (UNKNOWN, "unavailable", "not recorded") else "dim")),
                rule_text(r["rule"]),
                Text.assemble(styled(policy_score(r["score"], r["scored"])), *(
                    () if r["lower"] == r["upper"] else ("\n", (f"{r['lower']:g}-{r['upper']:g}", "dim"))
                )),
                fmt(r["share"] * 100, 1, "%"),
                fmt(r["contribution"], 2),
                notes.mark(r["sources"]),
                end_section=k == len(rows) - 1,
            )
    table.add_row(Text("Index", style="bold"), "", "", fmt(100 * result.indicators["share"].sum(), 0, "%"),
                  Text(fmt(result.index, 2), style="bold"), "")
    caption = Text(
        f"s: the indicator's score (? unknown; * an unknown counted at the value the missing-data policy "
        f"gives it, within its range), under it the range an unknown score lies in. Share: the part of the index "
        f"it carries this year. "
        f"Points = s x share x 100; they add up to the index. Coverage "
        f"{fmt(result.coverage * 100, 0, '%')}; missing data: {result.missing}.",
        style="dim",
    )
    return Group(table, caption, notes.renderable())


# --- diff --------------------------------------------------------------------------------------


def _state_label(row: pd.Series) -> str:
    """" (joined)", " (left)" or " (not a member)" after a state's name when it was not a member
    in both years of a diff."""
    first, second = bool(row["member_1"]), bool(row["member_2"])
    if first and second:
        return ""
    if first != second:
        return " (joined)" if second else " (left)"
    return " (not a member)"


@renderer("diff", "json")
def diff_json(result: Diff, dataset: Dataset, decimals: int | None = None) -> str:
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
                "real_change": json_number(s["real_change"]),
                "observed_change": json_number(s["observed_change"]),
                "index_range": {str(result.year_1): [json_number(s["index_lo_1"]), json_number(s["index_hi_1"])],
                                str(result.year_2): [json_number(s["index_lo_2"]), json_number(s["index_hi_2"])]},
                "facts": [
                    {"indicator": f["indicator"], "label": f["label"], "status": f["status"], "kind": f["kind"],
                     "score": {str(result.year_1): json_number(f["score_1"]), str(result.year_2): json_number(f["score_2"])},
                     "year": int(f["when"]), "rule": f["rule"], "title": f["title"], "sources": f["sources"],
                     "reference": f["reference"]}
                    for _, f in facts.iterrows()
                ],
            }
        )
    region = {
        r["measure"]: {str(result.year_1): json_number(r["value_1"]), str(result.year_2): json_number(r["value_2"]),
                       "change": json_number(r["change"]), "real_change": json_number(r["real_change"]),
                       "membership_change": json_number(r["membership_change"]),
                       **({} if is_missing(r["lo_1"]) else {"range": {
                           str(result.year_1): [json_number(r["lo_1"]), json_number(r["hi_1"])],
                           str(result.year_2): [json_number(r["lo_2"]), json_number(r["hi_2"])]}})}
        for _, r in result.region.iterrows()
    }
    return json_text({"from": result.year_1, "to": result.year_2, "missing": result.missing,
                  "changed": result.changed, "states": states, "region": region})


@renderer("diff", "csv")
def diff_csv(result: Diff, dataset: Dataset, decimals: int | None = None) -> str:
    """One row per changed fact (and one per state with no changed fact), with the state's index
    in both years and its change."""
    y1, y2 = result.year_1, result.year_2
    facts_all = _worded(result.facts, dataset)
    rows = []
    for _, s in result.states.iterrows():
        base = {"iso3": s["iso3"], "country": s["country"], f"member_{y1}": bool(s["member_1"]),
                f"member_{y2}": bool(s["member_2"]), f"index_{y1}": s["index_1"],
                f"index_{y2}": s["index_2"], "change": s["change"], "real_change": s["real_change"],
                f"index_lo_{y1}": s["index_lo_1"], f"index_hi_{y1}": s["index_hi_1"],
                f"index_lo_{y2}": s["index_lo_2"], f"index_hi_{y2}": s["index_hi_2"]}
        facts = facts_all[facts_all["iso3"] == s["iso3"]]
        if facts.empty:
            rows.append({**base, "indicator": None, f"score_{y1}": None, f"score_{y2}": None, "kind": None,
                         "year": None, "rule": None, "sources": None, "reference": None})
        for _, f in facts.iterrows():
            rows.append({**base, "indicator": f["indicator"], f"score_{y1}": f["score_1"],
                         f"score_{y2}": f["score_2"], "kind": f["kind"], "year": f["when"], "rule": f["rule"],
                         "sources": f["sources"], "reference": f["reference"]})
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    return _csv(frame)


def diff_paper(result: Diff, dataset: Dataset, decimals: int = DEFAULT_DECIMALS) -> PaperTable:
    """What changed, for a paper: each state's index in both years, the change, and the facts
    behind it (year, indicator label, score before -> after); the region in the notes."""
    y1, y2 = result.year_1, result.year_2
    facts_all = _worded(result.facts, dataset)
    rows = []
    for _, s in result.states.iterrows():
        facts = facts_all[facts_all["iso3"] == s["iso3"]]
        what = [f"{f['when']} {f['label']} {score_text(f['score_1'])}→{score_text(f['score_2'])}{_KIND_NOTE[f['kind']]}"
                for _, f in facts.iterrows()]
        # One fact a row, the state's figures on its first.
        rows.append([s["country"] + _state_label(s), number_cell(s["index_1"], decimals),
                     number_cell(s["index_2"], decimals), signed_cell(s["real_change"], decimals),
                     signed_cell(s["observed_change"], decimals), what[0] if what else "nothing"])
        rows += [["", "", "", "", "", fact] for fact in what[1:]]
    names = {"members": "member states", "mean": "mean index", "dispersion": "dispersion (s.d.)",
             "dyadic_harmonization": "dyadic harmonization"}
    region = "; ".join(
        f"{names.get(r['measure'], r['measure'])} {number_cell(r['value_1'], 0 if r['measure'] == 'members' else decimals)}"
        f" → {number_cell(r['value_2'], 0 if r['measure'] == 'members' else decimals)}"
        f" (real change {signed_cell(r['real_change'], 0 if r['measure'] == 'members' else decimals)}"
        f"{_membership_note(r['membership_change'], 0 if r['measure'] == 'members' else decimals)})"
        for _, r in result.region.iterrows()
    )
    table = PaperTable(
        caption=f"{dataset.region.name}: what changed, {y1} to {y2}",
        label=table_label(dataset.region.name, "diff", y1, y2),
        columns=[PaperColumn("State", numeric=False), PaperColumn(str(y1), "Index"), PaperColumn(str(y2), "Index"),
                 PaperColumn("Real change"), PaperColumn("Observed"), PaperColumn("What changed", numeric=False, wide=True)],
        rows=rows,
        notes=[f"Index 0-100. What changed: the year, the indicator, its score in {y1} → {y2} (? unknown). "
               f"Missing data: {result.missing}.", DIFF_NOTE, f"Region: {region}."],
        preamble=[provenance_line(provenance(dataset, {"from": y1, "to": y2, "missing": result.missing}))],
    )
    return with_unknown_note(table)


@renderer("diff", "markdown")
def diff_markdown(result: Diff, dataset: Dataset, decimals: int = DEFAULT_DECIMALS) -> str:
    """What changed as a Markdown table for a paper draft (`diff_paper`)."""
    return paper_markdown(diff_paper(result, dataset, decimals))


@renderer("diff", "latex")
def diff_latex(result: Diff, dataset: Dataset, decimals: int = DEFAULT_DECIMALS) -> str:
    """What changed as a LaTeX booktabs table (`diff_paper`)."""
    return paper_latex(diff_paper(result, dataset, decimals))


# How a fact's change reads after its scores: nothing for a real change.
_KIND_NOTE = {"change": "", "observed": " newly observed", "unobserved": " no longer known"}
DIFF_NOTE = ("Real change: the change in the index that changes of law make (a status changed, an event "
             "happened); Observed: the rest, from facts newly observed or no longer known, which narrow or "
             "widen what the data allow but are not change.")


@renderer("diff", "table")
def diff_tables(result: Diff, dataset: Dataset, decimals: int = DEFAULT_DECIMALS) -> Group:
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
            what.append(f"{f['indicator']} {score_text(f['score_1'])}→{score_text(f['score_2'])}")
            what.append(_KIND_NOTE[f["kind"]], style="dim italic")
            what.append(" ")
            what.append(notes.mark(f["sources"]), style="dim")
        if not len(facts):
            what = Text("nothing", style="dim")
        table.add_row(
            s["country"] + _state_label(s),
            styled(fmt(s["index_1"])),
            styled(fmt(s["index_2"])),
            _real_change(s["real_change"], s["change"]),
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
                       styled(fmt(r["value_2"], decimals)),
                       _real_change(r["real_change"], r["change"], decimals, r["membership_change"]))
    caption = Text(f"What changed: the year, the indicator, its score s in {y1} → {y2} (? unknown), "
                   f"its references. Change: real change only, the change of the index that changes of law "
                   f"make; (members ±x) the part of a regional figure that states joining or leaving make; "
                   f"(obs. ±x) the rest, from facts newly observed or no longer known, which is not "
                   f"change. Missing data: {result.missing}.", style="dim")
    return Group(table, caption, notes.renderable(), Text(""), region)


def _membership_note(part: float, decimals: int) -> str:
    """"; members +2.1" after a regional figure's real change in a paper table's notes, when
    states joining or leaving moved it."""
    return "" if is_missing(part) or round(part, decimals) == 0 else f"; members {signed_cell(part, decimals)}"


def _real_change(real: float, total: float, decimals: int = 1, membership: float = 0.0) -> Text:
    """A diff's Change cell: the real change with its arrow, and under it the part that states
    joining or leaving make ("(members -4.2)", the region only) and the part from new
    observations ("(obs. -4.2)"), each when there is one."""
    cell = change(real, decimals)
    observed = total - real - membership
    for name, part in (("members", membership), ("obs.", observed)):
        if not (is_missing(part) or round(part, decimals) == 0):
            cell.append(f"\n({name} {part:+.{decimals}f})", style="dim")
    return cell


# --- status ------------------------------------------------------------------------------------


def status_frame(result: StatusMatrix, dataset: Dataset) -> pd.DataFrame:
    """The status cells with the model's `symbol` for each and the `cell` as a table shows it."""
    cells = result.cells
    shown = [status_symbol_and_cell(row, dataset.model) for row in cells.to_dict(orient="records")]
    frame = cells.drop(columns=["scale", "standing"])
    frame.insert(frame.columns.get_loc("status") + 1, "symbol", [sym for sym, _ in shown])
    frame["cell"] = [cell for _, cell in shown]
    return frame


@renderer("status", "csv")
def status_csv(result: StatusMatrix, dataset: Dataset, title: str | None = None) -> str:
    cells = status_frame(result, dataset)
    matrix = cells.pivot(index="iso3", columns="indicator", values="cell")
    matrix = matrix.loc[list(dict.fromkeys(cells["iso3"])), list(dict.fromkeys(cells["indicator"]))]
    names = dict(zip(cells["iso3"], cells["country"]))
    members = dict(zip(cells["iso3"], cells["member"]))
    matrix.insert(0, "country", [names[i] for i in matrix.index])
    matrix.insert(1, "member", [bool(members[i]) for i in matrix.index])
    return csv_text(matrix.reset_index())


@renderer("status", "json")
def status_json(result: StatusMatrix, dataset: Dataset, title: str | None = None) -> str:
    records = [
        {k: (None if is_missing(v) else int(v) if k == "year" else v) for k, v in row.items()}
        for row in status_frame(result, dataset).drop(columns=["level"]).to_dict(orient="records")
    ]
    return json_text({"year": result.year, "cells": records})


STATUS_TITLE = "{dimension} ({year})"  # `harmon status --title`: {number}, {dimension}, {year}


def _status_groups(result: StatusMatrix, dataset: Dataset, title: str | None) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """(title, cells, levels) for each dimension present, in model order: `cells` the text of
    each cell (states x indicator labels), `levels` its score for styling (NaN: unknown)."""
    cells = status_frame(result, dataset)
    standing = result.cells["standing"]
    # The score a cell shows, for its colour: 0 where known absent, NaN where unknown.
    cells["shown"] = pd.to_numeric(cells["level"], errors="coerce").where(standing.eq(RECORDED), 0.0).where(
        standing.ne(NOT_KNOWN)
    )
    cells["state"] = cells["country"].where(cells["member"], cells["country"] + " (not a member)")
    template = title or STATUS_TITLE
    groups = []
    for number, d in enumerate(dataset.model.dimensions, 1):
        part = cells[cells["dimension"] == d.id]
        if part.empty:
            continue
        order = (list(dict.fromkeys(part["state"])), list(dict.fromkeys(part["label"])))
        matrix = part.pivot(index="state", columns="label", values="cell").loc[order[0], order[1]]
        levels = part.pivot(index="state", columns="label", values="shown").loc[order[0], order[1]]
        # Replaced one by one, not str.format: a title may hold any other braces.
        heading = template.replace("{number}", str(number)).replace("{dimension}", d.label).replace("{year}", str(result.year))
        groups.append((heading, matrix, levels))
    return groups


def _status_caption(result: StatusMatrix, dataset: Dataset) -> str:
    scales = list(dict.fromkeys(result.cells["scale"]))
    legend = status_legend(dataset.model, scales)
    return (f"{legend + '; ' if legend else ''}(year) when it began; unknown: not yet known in that year, "
            "between two observations, or not recorded.")


def status_papers(result: StatusMatrix, dataset: Dataset, title: str | None = None) -> list[PaperTable]:
    """The matrix for a paper: one table per dimension, a state per row, the levels' symbols and
    years in the cells; unknown as the unknown mark, explained in the notes."""
    tables = []
    for number, (heading, matrix, _) in enumerate(_status_groups(result, dataset, title), 1):
        rows = [[state, *(UNKNOWN_MARK if v == UNKNOWN else v for v in row)] for state, row in matrix.iterrows()]
        tables.append(with_unknown_note(PaperTable(
            caption=heading,
            label=table_label(dataset.region.name, "status", number, result.year),
            columns=[PaperColumn("State", numeric=False),
                     *(PaperColumn(str(c), numeric=False, wide=matrix[c].astype(str).str.len().max() > 24)
                       for c in matrix.columns)],
            rows=rows,
            notes=[_status_caption(result, dataset)],
            preamble=[provenance_line(provenance(dataset, {"year": result.year}))],
        )))
    return tables


@renderer("status", "markdown")
def status_markdown(result: StatusMatrix, dataset: Dataset, title: str | None = None) -> str:
    """The matrix in Markdown for a paper draft (`status_papers`)."""
    return "\n".join(paper_markdown(t) for t in status_papers(result, dataset, title))


@renderer("status", "latex")
def status_latex(result: StatusMatrix, dataset: Dataset, title: str | None = None) -> str:
    """The matrix in LaTeX, booktabs (`status_papers`)."""
    return "\n".join(paper_latex(t) for t in status_papers(result, dataset, title))


@renderer("status", "table")
def status_tables(result: StatusMatrix, dataset: Dataset, title: str | None = None) -> Group:
    tables = []
    for heading, matrix, levels in _status_groups(result, dataset, title):
        table = Table(title=heading, header_style="bold", box=box.SIMPLE_HEAD)
        table.add_column("State", no_wrap=True)
        for column in matrix.columns:
            table.add_column(column, ratio=1)
        for state, row in matrix.iterrows():
            table.add_row(state, *(Text(v, style=_level_style(levels.loc[state, c], v)) for c, v in row.items()))
        tables.append(table)
    return Group(*tables, Text(_status_caption(result, dataset), style="dim"))


def _level_style(level: float, cell: str) -> str:
    # Full provision green, none red, anything between yellow; unknown and unscored dim.
    if cell == UNKNOWN or pd.isna(level):
        return "dim italic"
    return "green" if level >= 1 else "red" if level <= 0 else "yellow"


# --- trend -------------------------------------------------------------------------------------


def trend_frame(result: Trend) -> pd.DataFrame:
    frame = result.region.reset_index()
    return frame[["year", "members", "mean", "mean_lo", "mean_hi", "dispersion", "dyadic_harmonization",
                  "dyadic_harmonization_lo", "dyadic_harmonization_hi"]]


@renderer("trend", "csv")
def trend_csv(result: Trend, dataset: Dataset) -> str:
    """Regional figures per year, then each state's index per year as columns `index_<ISO3>`,
    empty in the years it was not a member."""
    frame = trend_frame(result)
    for iso3, row in _member_index(result).iterrows():
        frame[f"index_{iso3}"] = [row[y] for y in frame["year"]]
    return _csv(frame)


def _band(row: pd.Series, width: int = 12) -> str:
    """The regional mean as a bar of `width` characters for 0-100: █ up to the mean, ░ on to its
    upper bound (what the data allow beyond the point value)."""
    if is_missing(row["mean"]):
        return ""
    full = int(round(row["mean"] / 100 * width))
    upper = full if is_missing(row["mean_hi"]) else max(full, int(round(row["mean_hi"] / 100 * width)))
    return "█" * full + "░" * (upper - full)


def _member_value(row: pd.Series, member: pd.DataFrame, iso3: str, year: int) -> str:
    """A state's index in `year` as a trend table shows it: "-" when it was not a member."""
    return fmt(row[year]) if member.loc[iso3, year] else "-"


def _member_index(result: Trend) -> pd.DataFrame:
    """The states' indices with the years they were not members left out (NaN)."""
    years = list(range(result.first, result.last + 1))
    out = result.index.copy()
    out[years] = out[years].where(result.member[years].astype(bool))
    return out


@renderer("trend", "json")
def trend_json(result: Trend, dataset: Dataset) -> str:
    years = list(range(result.first, result.last + 1))
    return json_text(
        {
            "from": result.first, "to": result.last, "missing": result.missing,
            "region": [{k: (int(v) if k in ("year", "members") else json_number(v)) for k, v in row.items()}
                       for row in trend_frame(result).to_dict(orient="records")],
            "states_range": [{"iso3": iso3, "index_lo": {str(y): json_number(result.panel.countries.loc[(iso3, y), "index_lo"]) for y in years},
                              "index_hi": {str(y): json_number(result.panel.countries.loc[(iso3, y), "index_hi"]) for y in years}}
                             for iso3 in result.index.index],
            "region_real_change": json_number(result.region_real_change),
            "region_membership_change": json_number(result.region_membership_change),
            "states": [{"iso3": iso3, "country": row["country"],
                        "real_change": json_number(result.real_change[iso3]),
                        "member": {str(y): bool(result.member.loc[iso3, y]) for y in years},
                        "index": {str(y): json_number(row[y]) for y in years}}
                       for iso3, row in result.index.iterrows()],
        }
    )


@renderer("trend", "markdown")
def trend_markdown(result: Trend, dataset: Dataset) -> str:
    frame = trend_frame(result)
    frame.insert(3, "mean range", [range_text(lo, hi) for lo, hi in zip(frame["mean_lo"], frame["mean_hi"])])
    frame.insert(list(frame.columns).index("dyadic_harmonization") + 1, "dyadic range", [
        range_text(lo, hi) for lo, hi in zip(frame["dyadic_harmonization_lo"], frame["dyadic_harmonization_hi"])])
    frame = frame.drop(columns=["mean_lo", "mean_hi", "dyadic_harmonization_lo", "dyadic_harmonization_hi"]).rename(
        columns={"dyadic_harmonization": "dyadic"})
    frame["members"] = frame["members"].astype(str)
    frame["year"] = frame["year"].astype(str)
    years = list(range(result.first, result.last + 1))
    member = result.member
    spark = pd.DataFrame(
        [{"State": row["country"],
          f"{result.first}-{result.last}": "`" + sparkline([row[y] for y in years], shown=member.loc[iso3, years].tolist()) + "`",
          str(result.first): _member_value(row, member, iso3, result.first),
          str(result.last): _member_value(row, member, iso3, result.last)}
         for iso3, row in result.index.iterrows()]
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
    for name in ("Year", "Members", "Mean", "Range", "Dispersion", "Dyadic"):
        region.add_column(name, justify="right", no_wrap=True)
    region.add_column("Mean, 0-100", no_wrap=True)
    means = result.region["mean"].tolist()
    for year, row in result.region.iterrows():
        region.add_row(str(year), str(int(row["members"])), styled(fmt(row["mean"])),
                       styled(range_text(row["mean_lo"], row["mean_hi"])), styled(fmt(row["dispersion"])),
                       styled(fmt(row["dyadic_harmonization"], 1, "%")), Text(_band(row), style="cyan"))
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
    member = result.member
    for iso3, row in _member_index(result).iterrows():
        values = [row[y] for y in years]
        shown = member.loc[iso3, years].tolist()
        states.add_row(row["country"], Text(sparkline(values, shown=shown), style="cyan"),
                       styled(_member_value(row, member, iso3, result.first)),
                       styled(_member_value(row, member, iso3, result.last)),
                       _real_change(result.real_change[iso3], values[-1] - values[0]))
    states.add_row(Text("Region (mean)", style="bold"), Text(sparkline(means), style="bold cyan"),
                   styled(fmt(means[0])), styled(fmt(means[-1])),
                   _real_change(result.region_real_change, means[-1] - means[0], 1, result.region_membership_change),
                   end_section=True)
    note = Text(f"Mean and dispersion (population s.d.) of the member states' indices; Range: the lowest and "
                f"highest mean the recorded facts allow (░ in the bar); dyadic "
                f"harmonization in %. Sparklines: one character per year on a 0-100 scale, · unknown, "
                f"blank (and -) not a member. Change: the real change, first to last year, that changes of "
                f"law make; (members ±x) the part of the mean that states joining or leaving make; (obs. ±x) "
                f"the rest, from facts newly observed. "
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
