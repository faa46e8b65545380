"""Shared pieces of the terminal tables: styled cells, changes with arrows, numbered reference
footnotes and sparklines. Nothing here prints; each returns a rich renderable or text."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from harmon.data.loading import Dataset
from harmon.report.citations import reference_rows, year_text
from harmon.report.text import UNKNOWN, is_missing

SPARKS = "▁▂▃▄▅▆▇█"
UP, DOWN, SAME = "▲", "▼", "="


def styled(text: str, style: str = "") -> Text:
    """`text` as a table cell: dim italic when it is 'unknown', else in `style`."""
    return Text(text, style="dim italic" if text == UNKNOWN else style)


def score_text(value: Any) -> str:
    """An indicator score s as short text: 1, 0.5, 0 or unknown."""
    return "?" if is_missing(value) else f"{value:g}"


def policy_score(recorded: Any, scored: Any) -> str:
    """The score the policy uses, marked * where it filled in an unknown one (zero, backfill)."""
    if is_missing(recorded) and not is_missing(scored):
        return score_text(scored) + "*"
    return score_text(recorded)


def change(value: Any, decimals: int = 1) -> Text:
    if is_missing(value):
        return Text(UNKNOWN, style="dim italic")
    if round(value, decimals) == 0:
        return Text(f"{SAME} {abs(value):.{decimals}f}", style="dim")
    arrow, style = (UP, "green") if value > 0 else (DOWN, "red")
    return Text(f"{arrow} {abs(value):.{decimals}f}", style=style)


def change_plain(value: Any, decimals: int = 1) -> str:
    return change(value, decimals).plain


class Footnotes:
    """Reference keys numbered in order of first use, for tables that cite them as [n]."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.keys: list[str] = []

    def mark(self, keys: list[str]) -> str:
        numbers = []
        for key in keys:
            if key not in self.keys:
                self.keys.append(key)
            numbers.append(str(self.keys.index(key) + 1))
        return f"[{','.join(numbers)}]" if numbers else ""

    def renderable(self) -> Text:
        """`[n] author, locator` per reference, then each document cited once with its title."""
        refs = self.dataset.references
        text = Text()
        documents: list[str] = []
        for n, row in enumerate(reference_rows(self.dataset, self.keys), 1):
            document = refs.references[row["key"]].document
            if document not in documents:
                documents.append(document)
            text.append(f"[{n}] ", style="bold")
            text.append(f"{row['author']}, {row['locator']}\n")
        for key in documents:
            doc = refs.documents[key]
            text.append(f"{doc.author}" + (f" ({year_text(doc.year)})" if doc.year else "") + ": ")
            text.append(doc.title, style="italic")
            text.append("\n")
        text.rstrip()
        return text


def sparkline(values: list[float], low: float = 0.0, high: float = 100.0, shown: list[bool] | None = None) -> str:
    """One character per value on a fixed scale from `low` to `high`; '·' for unknown; ' ' where
    `shown` is false (a year the state was not a member)."""
    out = []
    for k, v in enumerate(values):
        if shown is not None and not shown[k]:
            out.append(" ")
            continue
        if is_missing(v):
            out.append("·")
            continue
        k = 0 if high <= low else int(round((min(max(v, low), high) - low) / (high - low) * (len(SPARKS) - 1)))
        out.append(SPARKS[k])
    return "".join(out)
