"""The regional figures and each state's index over a run of years."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from harmon.core.diff import diff
from harmon.core.region import dimension_means
from harmon.core.scoring import Panel, score_panel
from harmon.data.loading import Dataset


@dataclass(frozen=True)
class Trend:
    """Scores per year: `region` (one row per year: members, mean, dispersion,
    dyadic_harmonization), `index` (one row per state, index: iso3, with `country` and one column
    per year), `member` (like `index`, whether the state was a member that year),
    `dimensions` (regional mean of each dimension score per year, members only) and `panel`, the
    scores they come from."""

    first: int
    last: int
    missing: str
    region: pd.DataFrame
    index: pd.DataFrame
    dimensions: pd.DataFrame
    panel: Panel
    member: pd.DataFrame | None = None
    # The change from the first to the last year that changes of law make, per state (by iso3)
    # and for the regional mean: `harmon.core.diff` (docs/method.md §13).
    real_change: pd.Series | None = None
    region_real_change: float = float("nan")
    # The part of the regional mean's change that states joining or leaving make.
    region_membership_change: float = 0.0


def trend(dataset: Dataset, first: int | None = None, last: int | None = None, missing: str = "reweight") -> Trend:
    """The regional figures and each state's index for each year from `first` to `last`
    (default: the data's period); return a `Trend`."""
    first, last = dataset.check_period(first, last)
    panel = score_panel(dataset, range(first, last + 1), missing)
    frame = panel.countries
    index = frame["index"].unstack("year")
    names = {c.iso3: c.country for c in dataset.countries}
    index.insert(0, "country", [names[i] for i in index.index])
    order = [c.iso3 for c in dataset.countries]
    index = index.loc[order]
    member = frame["member"].unstack("year").loc[order]
    member.insert(0, "country", index["country"])
    change = diff(dataset, first, last, missing=missing, panel=panel)  # the real change, from this panel
    real = change.states.set_index("iso3")["real_change"].reindex(order)
    mean = change.region.set_index("measure").loc["mean"]
    return Trend(first, last, missing, panel.region.copy(), index, dimension_means(panel), panel, member, real,
                 float(mean["real_change"]), float(mean["membership_change"]))
