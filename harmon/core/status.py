"""The state x indicator matrix of recorded facts as known in one year: the data of the paper's
status tables."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from harmon.core.histories import ABSENT, entry_in, fact_scores
from harmon.data.loading import Dataset
from harmon.errors import InvalidOption
from harmon.suggest import did_you_mean

# What a cell of the matrix stands on in the year asked (`standing`).
RECORDED = "recorded"  # the recorded fact holds (or its status scores as unknown in every year)
ABSENT_YET = "absent"  # not yet known, but known absent: an event that has not happened, or a
# provision whose required provision is absent
NOT_KNOWN = "unknown"  # not recorded, not yet known in that year, or between two observations


@dataclass(frozen=True)
class StatusMatrix:
    """The status matrix as known in `year`: `cells` as `status_cells` returns them."""

    year: int
    cells: pd.DataFrame


def status_cells(dataset: Dataset, year: int | None = None, dimension: str | None = None) -> pd.DataFrame:
    """The cells of `status(dataset, year, dimension)`."""
    return status(dataset, year, dimension).cells


def status(dataset: Dataset, year: int | None = None, dimension: str | None = None) -> StatusMatrix:
    """The state x indicator matrix of recorded facts in long form, as known in `year` (default:
    the data's last year), as a `StatusMatrix`; `dimension` (an id) keeps that dimension's
    indicators only.

    One row per state and indicator (dataset and model order) with `iso3`, `country`, `member`
    (in `year`), `dimension`, `indicator`, `label`, `scale` (the id of the indicator's levels),
    `status` (the entry that holds in `year`, as `harmon.core.histories.entry_in` picks it;
    None when not recorded), `level` (the status's score; None when it scores as unknown),
    `year` (the entry's start year, if any), `title` and `standing`: "recorded" (the entry holds
    in `year`), "absent" (known absent: an event not yet happened, or a required provision
    absent) or "unknown" (not recorded, not yet known, or between two observations).
    """
    year = dataset.last_year if year is None else dataset.check_year(year)
    model = dataset.model
    dims = [d for d in model.dimensions if dimension is None or d.id == dimension]
    if not dims:
        ids = [d.id for d in model.dimensions]
        hint = did_you_mean(str(dimension), ids, prefix=True)
        raise InvalidOption(f"unknown dimension {dimension!r}{hint}; expected one of: {', '.join(ids)}")
    s = fact_scores(dataset, [year]).recorded  # rows: states; columns: indicators in model order
    column = {i: k for k, i in enumerate(model.indicators)}
    rows = []
    for c, country in enumerate(dataset.countries):
        for d in dims:
            for indicator in d.indicators:
                fact = entry_in(country.history(indicator.id), year)
                level = None if fact is None else model.level_scores(indicator)[fact.status]
                score = float(s[c, column[indicator.id]])
                started = fact is not None and fact.known_from is not None and year >= fact.known_from
                if fact is None:
                    standing = NOT_KNOWN
                elif score == ABSENT and not (started and level == ABSENT):
                    standing = ABSENT_YET
                elif level is None or (started and not math.isnan(score)):
                    standing = RECORDED
                else:
                    standing = NOT_KNOWN
                rows.append(
                    {
                        "iso3": country.iso3,
                        "country": country.country,
                        "member": country.is_member(year),
                        "dimension": d.id,
                        "indicator": indicator.id,
                        "label": indicator.label,
                        "scale": indicator.levels,
                        "status": fact.status if fact else None,
                        "level": level,
                        "year": fact.year if fact else None,
                        "title": fact.title if fact else None,
                        "standing": standing,
                    }
                )
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    return StatusMatrix(year, frame)
