"""Renderers of `adoption`: the cumulative adoption curves with the region's milestones, and the
adoptions in windows around milestones, as a terminal table, CSV, JSON or Markdown. Nothing here
prints; shares are rounded to four places in machine-readable output.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich import box
from rich.table import Table
from rich.text import Text

from harmon.core.adoption import AdoptionReport
from harmon.data.loading import Dataset
from harmon.report.render import renderer
from harmon.report.terminal import sparkline
from harmon.report.text import csv_text, is_missing, json_number, json_text, json_value, markdown_rows, number

MILESTONE_MARK, NO_MARK = "▲", " "


def threshold_text(adopted_at: float | None) -> str:
    """The adoption threshold in words (docs/method.md, "Adoption")."""
    return "any level above 0" if adopted_at is None else f"a score of at least {number(adopted_at)}"


def _count(adopted: int, known: int) -> str:
    return f"{adopted}/{known}" if known else "unknown"


def _windows_shown(result: AdoptionReport, per_indicator: bool) -> pd.DataFrame:
    frame = result.windows
    return frame if per_indicator else frame[frame["indicator"].isna()]


def _per_indicator(result: AdoptionReport) -> bool:
    # Per indicator when few milestones are asked for; otherwise the totals fit a screen.
    return len(result.chosen) == 1


@renderer("adoption", "csv")
def adoption_csv(result: AdoptionReport, dataset: Dataset) -> str:
    """The curves: one row per indicator and year (the windows are in json and markdown)."""
    return csv_text(result.curves)


@renderer("adoption", "json")
def adoption_json(result: AdoptionReport, dataset: Dataset) -> str:
    curves = [
        {"indicator": r["indicator"], "year": int(r["year"]), "members": int(r["members"]), "known": int(r["known"]),
         "adopted": int(r["adopted"]), "share": json_number(r["share"])}
        for r in result.curves.to_dict("records")
    ]
    windows = [{k: json_value(v) for k, v in r.items()} for r in result.windows.to_dict("records")]
    return json_text({
        "from": result.years[0], "to": result.years[-1], "adopted_at": result.adopted_at, "window": result.window,
        "milestones": [{"id": m.id, "year": m.year, "date": m.date, "kind": m.kind, "title": m.title,
                        "sources": list(m.source)} for m in result.milestones],
        "curves": curves, "windows": windows,
    })


@renderer("adoption", "markdown")
def adoption_markdown(result: AdoptionReport, dataset: Dataset) -> str:
    last = result.years[-1]
    curves = result.curves
    rows = []
    for indicator, curve in curves.groupby("indicator", sort=False):
        end = curve.iloc[-1]
        rows.append([indicator, sparkline(list(curve["share"]), 0.0, 1.0), _count(end["adopted"], end["known"])])
    lines = [f"### Adoption, {result.years[0]}-{last} (adopted: {threshold_text(result.adopted_at)})", "",
             markdown_rows(["indicator", f"{result.years[0]}-{last}", str(last)], rows, ["---", "---", "---:"]), ""]
    lines += [f"### Adoptions within {result.window} years of each milestone", "",
              markdown_rows(["milestone", "year", "indicator", "before", "same year", "after", "undated"],
                            [[r["milestone"], str(r["year"]), "all" if is_missing(r["indicator"]) else r["indicator"],
                              str(r["before"]), str(r["same_year"]), str(r["after"]), str(r["undated"])]
                             for r in _windows_shown(result, _per_indicator(result)).to_dict("records")],
                            ["---", "---:", "---", "---:", "---:", "---:", "---:"]), ""]
    return "\n".join(lines)


def milestone_marks(result: AdoptionReport) -> str:
    """One character per year: a mark under each year with a milestone."""
    years = {m.year for m in result.milestones}
    return "".join(MILESTONE_MARK if y in years else NO_MARK for y in result.years)


@renderer("adoption", "table")
def adoption_tables(result: AdoptionReport, dataset: Dataset) -> list[Any]:
    first, last = result.years[0], result.years[-1]
    curves = Table(title=f"Adoption by year, {first}-{last}", header_style="bold", box=box.SIMPLE_HEAD)
    curves.add_column("Indicator", min_width=12)
    curves.add_column(f"{first}-{last}", no_wrap=True)
    curves.add_column(str(last), justify="right", no_wrap=True)
    curves.add_column("Share", justify="right", no_wrap=True)
    for indicator, curve in result.curves.groupby("indicator", sort=False):
        end = curve.iloc[-1]
        share = "" if is_missing(end["share"]) else f"{end['share'] * 100:.0f}%"
        curves.add_row(indicator, sparkline(list(curve["share"]), 0.0, 1.0), _count(end["adopted"], end["known"]), share)
    curves.add_row(Text("milestones", style="dim"), Text(milestone_marks(result), style="dim"), "", "")
    caption = Text(
        f"Share of the member states whose adoption is known that had adopted by each year (adopted: "
        f"{threshold_text(result.adopted_at)}); · unknown. {MILESTONE_MARK} a year with a regional milestone.",
        style="dim",
    )
    per_indicator = _per_indicator(result)
    windows = Table(title=f"Adoptions within {result.window} years of each milestone", header_style="bold",
                    box=box.SIMPLE_HEAD)
    windows.add_column("Milestone" if not per_indicator else "Indicator", min_width=12)
    windows.add_column("Year", justify="right", no_wrap=True)
    windows.add_column("Before", justify="right", no_wrap=True)
    windows.add_column("Same year", justify="right", no_wrap=True)
    windows.add_column("After", justify="right", no_wrap=True)
    windows.add_column("Undated", justify="right", no_wrap=True)
    shown = _windows_shown(result, per_indicator).to_dict("records")
    for k, r in enumerate(shown):
        total = is_missing(r["indicator"])
        name = r["milestone"] if not per_indicator else ("all" if total else r["indicator"])
        windows.add_row(Text(name, style="bold") if per_indicator and total else name, str(r["year"]),
                        str(r["before"]), str(r["same_year"]), str(r["after"]), str(r["undated"]),
                        end_section=per_indicator and k == len(shown) - 2)
    note = Text(
        f"Adoptions dated in the {result.window} years before, the year of, and the {result.window} years after "
        "each milestone. Undated: adoptions whose year is not known (the state was unknown the year before).",
        style="dim",
    )
    title = [Text(f"{result.chosen[0].id}: {result.chosen[0].title}")] if per_indicator else []
    return [curves, caption, *title, windows, note]
