"""The words and symbols for what the engine returns as data: scoring rules, status symbols and
cells in the model's own symbols, timeline event titles."""

from __future__ import annotations

from typing import Any

import pandas as pd

from harmon.core.rules import Rule
from harmon.core.histories import ABSENT
from harmon.core.status import ABSENT_YET, NOT_KNOWN
from harmon.report.text import UNKNOWN



def rule_text(rule: Rule) -> str:
    """The rule by which a fact (or the entry of a history that holds) is scored, in words, as in
    docs/method.md ("Indicator score")."""
    requires = f"; 0 while {rule.requires} is 0" if rule.requires else ""
    if not rule.recorded:
        return "not recorded: unknown in every year" + requires
    if rule.entry > 1:
        text = _later_entry_text(rule)
    else:
        text = _first_entry_text(rule)
    if rule.next_status is not None:
        text += f"; then {rule.next_status} from {rule.next_from}"
        if not rule.next_dated and rule.level != rule.next_level:
            text += _gap_text(rule.until, rule.next_from)
    return text + requires


def _gap_text(until: int | None, next_from: int | None) -> str:
    """" (2009-2012 between the two)": the years after an entry was last known to hold and
    before the next, observed only, was: either level may hold in them. Empty when there are none."""
    if until is None or next_from is None or until + 1 >= next_from:
        return ""
    gap = f"{until + 1}-{next_from - 1}" if until + 1 < next_from - 1 else str(until + 1)
    return f" ({gap} between the two)"


def _first_entry_text(rule: Rule) -> str:
    level = rule.level
    if level is None:
        return f"{rule.status}: unknown" + (" in every year" if rule.next_status is None else "")
    start = rule.known_from
    assert start is not None  # validated: a scored status has a year
    if rule.event and (rule.year is not None or level == ABSENT):
        if rule.year is not None:
            return f"event in {rule.year}: {level:g} from {rule.year}, 0 before"
        return f"not by {start} (observed): 0 in every year" if rule.next_status is None else (
            f"not by {start} (observed): 0 up to {start}"
        )
    how = f"since {rule.year}" if rule.year is not None else f"observed {start}"
    before = f"0 before {rule.absent_before}, unknown {rule.absent_before}-{start - 1}" if (
        rule.absent_before is not None and rule.absent_before < start
    ) else "unknown before"
    if rule.absent_before is not None and rule.absent_before == start:
        before = "0 before"
    return f"{how}: {level:g} from {start}, {before}"


def _later_entry_text(rule: Rule) -> str:
    # An entry after the first: it follows the previous one at its year, or, observed only, at
    # some unknown time after the previous one was last known.
    start = rule.known_from
    level = "unknown" if rule.level is None else f"{rule.level:g}"
    previous = "unknown" if rule.previous_level is None else f"{rule.previous_level:g}"
    how = f"since {rule.year}" if rule.year is not None else f"observed {start}"
    text = f"{how}: {level} from {start}, after {rule.previous_status} ({previous})"
    unsure = rule.previous_until is not None and rule.previous_until + 1 < start
    if rule.year is None and unsure and previous != level:
        gap = f"{rule.previous_until + 1}-{start - 1}" if rule.previous_until + 1 < start - 1 else str(start - 1)
        text += f" in {rule.previous_until}; {gap} between the two"
    return text


def symbol(model: Any, scale: str, status: str) -> str:
    """How a status table shows `status` of levels `scale`: the model's symbol for it, else the
    status itself."""
    shown = model.symbols.get(scale, {}).get(status)
    return shown.symbol if shown is not None and shown.symbol else status


def absent_symbol(model: Any, scale: str) -> str:
    """The symbol of a known absence on `scale`: that of its level that scores 0 ("absent" when
    none does)."""
    zero = next((status for status, v in model.levels[scale].items() if v == ABSENT), None)
    return "absent" if zero is None else symbol(model, scale, zero)


def status_symbol_and_cell(row: dict[str, Any], model: Any) -> tuple[str, str]:
    """A cell of the status matrix (a row of `status_cells`) in the model's symbols: its symbol,
    and the cell ("✓ (2013)", "✓ title (2008)", "✗", "unknown")."""
    if row["standing"] == NOT_KNOWN:
        return UNKNOWN, UNKNOWN
    if row["standing"] == ABSENT_YET:
        sym = absent_symbol(model, row["scale"])
        return sym, sym
    level = None if pd.isna(row["level"]) else float(row["level"])  # a frame holds None as NaN
    sym = symbol(model, row["scale"], row["status"])
    year, title = row["year"], None if pd.isna(row["title"]) else row["title"]
    if not pd.isna(year) and level is not None and level > 0:
        return sym, f"{sym} {title} ({year})" if title else f"{sym} ({year})"
    return sym, sym


def status_legend(model: Any, scales: list[str]) -> str:
    """What the symbols of `scales` mean ("✓ yes; ✗ no"), once each, in the model's order; ""
    when the model gives none."""
    entries: dict[str, str] = {}
    for scale in scales:
        for status, shown in model.symbols.get(scale, {}).items():
            sym = shown.symbol or status
            entries.setdefault(sym, shown.label or status)
    return "; ".join(f"{sym} {label}" if sym != label else sym for sym, label in entries.items())


def event_title(label: str, detail: str | None, status: str | None) -> str:
    """A timeline event's title: a milestone's title, or an indicator's label with the recorded
    title and, when not plain "yes", the status."""
    detail = None if pd.isna(detail) else detail  # a frame holds None as NaN
    status = None if pd.isna(status) else status
    what = label if not detail else f"{label}: {detail}"
    if status is not None and status != "yes":
        what += f" ({status})"
    return what
