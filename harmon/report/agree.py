"""Renderers of `agree`: agreement between coders as a terminal table, CSV, JSON or Markdown.
Nothing here prints. Alphas and shares in machine-readable output are rounded to four places; an undefined alpha is empty (CSV), null (JSON) or '-' (table, Markdown).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
from rich import box
from rich.table import Table
from rich.text import Text

from harmon.core.agree import Agreement, Coding
from harmon.data.loading import Dataset
from harmon.report.render import renderer
from harmon.report.text import csv_text, is_missing, json_number, json_text, json_value, markdown_rows

UNDEFINED = "-"
NOT_RECORDED = "not recorded"


def _alpha(value: Any) -> str:
    return UNDEFINED if is_missing(value) else f"{value:.3f}"


def _share(value: Any) -> str:
    return UNDEFINED if is_missing(value) else f"{value * 100:.0f}%"


def _where(coding: Coding, root: str | None = None) -> str:
    """`file:line`: relative to the coder's folder `root` when given, else to the working folder
    where it lies below it."""
    if coding.path is None:
        return ""
    path = Path(coding.path)
    if root is not None and path.is_relative_to(Path(root)):
        path_text = str(path.relative_to(Path(root)))
        return f"{path_text}:{coding.line}" if coding.line is not None else path_text
    try:
        shown = os.path.relpath(path)
        path_text = shown if not shown.startswith("..") else str(path)
    except ValueError:  # another drive (Windows)
        path_text = str(path)
    return f"{path_text}:{coding.line}" if coding.line is not None else path_text


def _status(coding: Coding) -> str:
    return coding.status if coding.recorded else NOT_RECORDED


def _year(coding: Coding) -> str:
    if coding.year is not None:
        return str(coding.year)
    return f"obs. {coding.observed}" if coding.observed is not None else ""


def agreement_frame(result: Agreement) -> pd.DataFrame:
    """One row per indicator and an `overall` row: what the CSV shows."""
    frame = result.indicators.copy()
    frame["indicator"] = frame["indicator"].fillna("overall")
    return frame.rename(columns={f"unknown_{k}": f"unknown_{k + 1}" for k in range(len(result.coders))})


@renderer("agree", "csv")
def agree_csv(result: Agreement, dataset: Dataset) -> str:
    """The agreement per indicator and overall (the disagreements are in json and markdown)."""
    return csv_text(agreement_frame(result))


@renderer("agree", "json")
def agree_json(result: Agreement, dataset: Dataset) -> str:
    def coding(c: Coding, label: str) -> dict[str, Any]:
        return {"coder": label, "recorded": c.recorded, "status": c.status, "year": c.year, "observed": c.observed,
                "score": json_number(c.score), "file": None if c.path is None else str(c.path), "line": c.line,
                "sources": list(c.sources)}

    indicators = [
        {"indicator": json_value(r["indicator"]), "kind": json_value(r["kind"]), "units": int(r["units"]),
         "alpha_level": json_number(r["alpha_level"]), "alpha_year": json_number(r["alpha_year"]),
         "agreement": json_number(r["agreement"]),
         "unknown": {label: int(r[f"unknown_{k}"]) for k, label in enumerate(result.coders)}}
        for r in result.indicators.to_dict("records")
    ]
    overall = indicators.pop()
    overall.pop("indicator")
    overall.pop("kind")
    return json_text({
        "coders": list(result.coders),
        "overall": overall,
        "indicators": indicators,
        "disagreements": [
            {"iso3": d.iso3, "country": d.country, "indicator": d.indicator,
             "codings": [coding(c, label) for c, label in zip(d.codings, result.coders)]}
            for d in result.disagreements
        ],
        "missing_states": [{"iso3": iso, "missing_from": list(who)} for iso, who in result.missing_states],
        "missing_indicators": [{"indicator": i, "missing_from": list(who)} for i, who in result.missing_indicators],
    })


def _coders_line(result: Agreement) -> str:
    return "Coders: " + "; ".join(f"{k + 1} = {label}" for k, label in enumerate(result.coders))


@renderer("agree", "markdown")
def agree_markdown(result: Agreement, dataset: Dataset) -> str:
    n = len(result.coders)
    header = ["indicator", "alpha (level)", "alpha (year)", "agreement", *(f"unknown ({k + 1})" for k in range(n))]
    rows = [
        ["**overall**" if is_missing(r["indicator"]) else r["indicator"], _alpha(r["alpha_level"]), _alpha(r["alpha_year"]), _share(r["agreement"]),
         *(str(r[f"unknown_{k}"]) for k in range(n))]
        for r in result.indicators.to_dict("records")
    ]
    lines = [f"### Agreement between {n} coders", "", _coders_line(result), "",
             markdown_rows(header, rows, ["---"] + ["---:"] * (len(header) - 1)), ""]
    lines += [f"### Disagreements ({len(result.disagreements)})", ""]
    if result.disagreements:
        lines.append(markdown_rows(
            ["state", "indicator", "coder", "status", "year", "where", "sources"],
            [[d.country, d.indicator, str(k + 1), _status(c), _year(c), _where(c), "; ".join(c.sources)]
             for d in result.disagreements for k, c in enumerate(d.codings)],
        ))
        lines.append("")
    lines += [f"- {line}" for line in _missing_lines(result)]
    return "\n".join(lines) + ("\n" if lines[-1] else "")


def _missing_lines(result: Agreement) -> list[str]:
    lines = [f"state {iso} is not in the data of {', '.join(who)}: not compared" for iso, who in result.missing_states]
    lines += [
        f"indicator {i}: the coders' models score it differently: not compared" if len(who) == len(result.coders)
        else f"indicator {i} is not in the model of {', '.join(who)}: not compared"
        for i, who in result.missing_indicators
    ]
    return lines


@renderer("agree", "table")
def agree_tables(result: Agreement, dataset: Dataset) -> list[Any]:
    n = len(result.coders)
    table = Table(title=f"Agreement between {n} coders", header_style="bold", box=box.SIMPLE_HEAD)
    table.add_column("Indicator", min_width=12)
    table.add_column("α level", justify="right", no_wrap=True)
    table.add_column("α year", justify="right", no_wrap=True)
    table.add_column("Agree", justify="right", no_wrap=True)
    table.add_column("Unknown " + "/".join(str(k + 1) for k in range(n)), justify="right", no_wrap=True)
    records = result.indicators.to_dict("records")
    for k, r in enumerate(records):
        last = k == len(records) - 1
        table.add_row(
            Text("overall", style="bold") if last else r["indicator"],
            _alpha(r["alpha_level"]), _alpha(r["alpha_year"]), _share(r["agreement"]),
            "/".join(str(r[f"unknown_{j}"]) for j in range(n)),
            end_section=k == len(records) - 2,
        )
    parts: list[Any] = [table, Text(_coders_line(result))]  # wrapped: the folders' paths can be long
    caption = Text(
        "α level: Krippendorff's alpha on the recorded levels (ordinal); α year: on events' years "
        "(interval); - where undefined (fewer than two values). Agree: units recorded identically.",
        style="dim",
    )
    parts.append(caption)
    if result.disagreements:
        listing = Table(title=f"Disagreements ({len(result.disagreements)})", header_style="bold", box=box.SIMPLE_HEAD)
        listing.add_column("State / indicator", min_width=14)
        listing.add_column("#", justify="right", no_wrap=True)
        listing.add_column("Recorded", min_width=8)
        listing.add_column("Where / sources", ratio=1, min_width=16, overflow="fold")
        for d in result.disagreements:
            for k, c in enumerate(d.codings):
                listing.add_row(
                    Text.assemble(d.country, "\n", (" " + d.indicator, "dim")) if k == 0 else "",
                    str(k + 1), Text.assemble(_status(c), ("\n" + _year(c), "dim") if _year(c) else ""),
                    Text.assemble(_where(c, result.coders[k]), ("\n" + "; ".join(c.sources), "dim") if c.sources else ""),
                    end_section=k == len(d.codings) - 1,
                )
        parts.append(listing)
    else:
        parts.append("No disagreements.")
    parts += [Text(line) for line in _missing_lines(result)]
    return parts

