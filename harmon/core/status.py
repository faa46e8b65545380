"""The state x indicator matrix of recorded facts as known in one year: the data of the paper's
status tables."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from harmon.core.scoring import ABSENT, score_panel
from harmon.data.loading import Dataset
from harmon.errors import InvalidOption
from harmon.suggest import did_you_mean

# What a cell of the matrix stands on in the year asked (`standing`).
RECORDED = "recorded"  # the recorded fact holds (or its status scores as unknown in every year)
ABSENT_YET = "absent"  # not yet known, but known absent: an event that has not happened
NOT_KNOWN = "unknown"  # not recorded, or not yet known in that year


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

    One row per state and indicator (dataset and model order) with `iso3`, `country`,
    `dimension`, `indicator`, `label`, `status` (as recorded; None when not recorded), `level`
    (the status's score; None when it scores as unknown), `year` (the fact's start year, if any),
    `title` and `standing`: "recorded" (the fact holds in `year`), "absent" (not yet known, but
    known absent: an event not yet happened) or "unknown" (not recorded, or not yet known).
    """
    year = dataset.last_year if year is None else dataset.check_year(year)
    model = dataset.model
    dims = [d for d in model.dimensions if dimension is None or d.id == dimension]
    if not dims:
        ids = [d.id for d in model.dimensions]
        hint = did_you_mean(str(dimension), ids, prefix=True)
        raise InvalidOption(f"unknown dimension {dimension!r}{hint}; expected one of: {', '.join(ids)}")
    panel = score_panel(dataset, [year], "reweight")
    rows = []
    for c in dataset.countries:
        for d in dims:
            for indicator in d.indicators:
                fact = c.facts.get(indicator.id)
                level = None if fact is None else model.level_scores(indicator)[fact.status]
                if fact is None:
                    standing = NOT_KNOWN
                elif level is None or (fact.known_from is not None and year >= fact.known_from):
                    standing = RECORDED
                elif float(panel.countries.loc[(c.iso3, year), indicator.id]) == ABSENT:
                    standing = ABSENT_YET
                else:
                    standing = NOT_KNOWN
                rows.append(
                    {
                        "iso3": c.iso3,
                        "country": c.country,
                        "dimension": d.id,
                        "indicator": indicator.id,
                        "label": indicator.label,
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
