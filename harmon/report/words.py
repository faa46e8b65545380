"""The words and symbols for what the engine returns as data: scoring rules, the paper's status
symbols and cells, timeline event titles."""

from __future__ import annotations

from typing import Any

import pandas as pd

from harmon.core.rules import Rule
from harmon.core.scoring import ABSENT
from harmon.core.status import ABSENT_YET, NOT_KNOWN



def rule_text(rule: Rule) -> str:
    """The rule by which a fact is scored, in words, as in docs/method.md ("Indicator score")."""
    if not rule.recorded:
        return "not recorded: unknown in every year"
    level = rule.level
    if level is None:
        return f"{rule.status}: unknown in every year"
    start = rule.known_from
    assert start is not None  # validated: a scored status has a year
    if rule.event and (rule.year is not None or level == ABSENT):
        if rule.year is not None:
            return f"event in {rule.year}: {level:g} from {rule.year}, 0 before"
        return f"not by {start} (observed): 0 in every year"
    how = f"since {rule.year}" if rule.year is not None else f"observed {start}"
    before = f"0 before {rule.absent_before}, unknown {rule.absent_before}-{start - 1}" if (
        rule.absent_before is not None and rule.absent_before < start
    ) else "unknown before"
    if rule.absent_before is not None and rule.absent_before == start:
        before = "0 before"
    return f"{how}: {level:g} from {start}, {before}"


# The paper's symbols for each status (Lau, Tables 1-4); a status not here is shown by its score.
SYMBOLS = {
    "yes": "✓",
    "yes-but-limited": "✓ (but limited)",
    "no": "✗",
    "unavailable": "Information unavailable",
    "unknown": "unknown",
}


def symbol(status: str, level: float | None) -> str:
    """The paper's symbol for a status (by its score where the status has no symbol)."""
    if status in SYMBOLS:
        return SYMBOLS[status]
    if level is None:
        return "unknown"
    return "✓" if level >= 1 else "✗" if level <= 0 else "✓ (but limited)"


def status_symbol_and_cell(row: dict[str, Any]) -> tuple[str, str]:
    """A cell of the status matrix (a row of `status_cells`) as the paper prints it: its symbol,
    and the cell ("✓ (2013)", "title (2008)", "✗", "unknown")."""
    if row["standing"] == NOT_KNOWN:
        return "unknown", "unknown"
    if row["standing"] == ABSENT_YET:
        return SYMBOLS["no"], SYMBOLS["no"]
    level = None if pd.isna(row["level"]) else float(row["level"])  # a frame holds None as NaN
    sym = symbol(row["status"], level)
    year, title = row["year"], None if pd.isna(row["title"]) else row["title"]
    if not pd.isna(year) and level is not None and level > 0:
        return sym, f"{title} ({year})" if title else f"{sym} ({year})"
    return sym, sym


def event_title(label: str, detail: str | None, status: str | None) -> str:
    """A timeline event's title: a milestone's title, or an indicator's label with the recorded
    title and, when not plain "yes", the status."""
    detail = None if pd.isna(detail) else detail  # a frame holds None as NaN
    status = None if pd.isna(status) else status
    what = label if not detail else f"{label}: {detail}"
    if status is not None and status != "yes":
        what += f" ({status})"
    return what
