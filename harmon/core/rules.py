"""How each recorded fact is scored over the years, as data (docs/method.md, "Indicator score"):
the presenting layer words it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from harmon.core.histories import entry_in
from harmon.data.loading import Dataset
from harmon.data.schema import Fact, Indicator


@dataclass(frozen=True)
class Rule:
    """The rule by which one state's fact on one indicator is scored: the entry of its history
    that holds in the year asked.

    `recorded` False: no fact (unknown in every year). `level`: the score of the recorded
    status (None: a status that scores as unknown). `event`: the indicator is an event (scored
    from its year on, 0 before). `year`: the year the status began, if known; `known_from`: the
    year it holds from (its `year`, else the year it was observed); `absent_before`: the year
    before which the provision is known not to exist.
    In a history (`entries` > 1), `entry` is this entry's place (1 = oldest); `previous_status`,
    `previous_level` and `previous_until` describe the entry before it (`previous_until`: the
    last year that one is known to hold); `next_status`, `next_level` and `next_from` the entry
    after it, `next_dated` whether that one has a start year (else the change happened some time
    after `until`, the last year this entry is known to hold).
    `requires`: the indicator this one requires (absent in the years that one is known absent).
    """

    recorded: bool
    status: str | None = None
    level: float | None = None
    event: bool = False
    year: int | None = None
    known_from: int | None = None
    absent_before: int | None = None
    entry: int = 1
    entries: int = 1
    previous_status: str | None = None
    previous_level: float | None = None
    previous_until: int | None = None
    next_status: str | None = None
    next_from: int | None = None
    requires: str | None = None
    next_level: float | None = None
    next_dated: bool = True
    until: int | None = None


def scoring_rule(dataset: Dataset, indicator: Indicator, history: Sequence[Fact], year: int) -> Rule:
    """The `Rule` by which the entry of `history` (empty: nothing recorded) that holds in `year`
    is scored on `indicator`."""
    fact = entry_in(history, year)
    if fact is None:
        return Rule(recorded=False, requires=indicator.requires)
    levels = dataset.model.level_scores(indicator)
    k = list(history).index(fact)
    before = history[k - 1] if k > 0 else None
    after = history[k + 1] if k + 1 < len(history) else None
    return Rule(
        recorded=True,
        status=fact.status,
        level=levels[fact.status],
        event=indicator.kind == "event",
        year=fact.year,
        known_from=fact.known_from,
        absent_before=fact.absent_before,
        entry=k + 1,
        entries=len(history),
        previous_status=before.status if before else None,
        previous_level=levels[before.status] if before else None,
        previous_until=before.known_until if before else None,
        next_status=after.status if after else None,
        next_from=after.known_from if after else None,
        requires=indicator.requires,
        next_level=levels[after.status] if after else None,
        next_dated=after.year is not None if after else True,
        until=fact.known_until,
    )
