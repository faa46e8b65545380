"""How each recorded fact is scored over the years, as data (docs/method.md, "Indicator score"):
the presenting layer words it."""

from __future__ import annotations

from dataclasses import dataclass

from harmon.data.loading import Dataset
from harmon.data.schema import Fact, Indicator



@dataclass(frozen=True)
class Rule:
    """The rule by which one state's fact on one indicator is scored.

    `recorded` False: no fact (unknown in every year). `level`: the score of the recorded
    status (None: a status that scores as unknown). `event`: the indicator is an event (scored
    from its year on, 0 before). `year`: the year the status began, if known; `known_from`: the
    year it holds from (its `year`, else the year it was observed); `absent_before`: the year
    before which the provision is known not to exist.
    """

    recorded: bool
    status: str | None = None
    level: float | None = None
    event: bool = False
    year: int | None = None
    known_from: int | None = None
    absent_before: int | None = None


def scoring_rule(dataset: Dataset, indicator: Indicator, fact: Fact | None) -> Rule:
    """The `Rule` by which `fact` (None: not recorded) is scored on `indicator`."""
    if fact is None:
        return Rule(recorded=False)
    return Rule(
        recorded=True,
        status=fact.status,
        level=dataset.model.level_scores(indicator)[fact.status],
        event=indicator.kind == "event",
        year=fact.year,
        known_from=fact.known_from,
        absent_before=fact.absent_before,
    )
