"""What changed between two years: each state's index, the facts whose score changed, and the
regional figures."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from harmon.choices import check_missing_policy
from harmon.core.histories import entry_in
from harmon.core.rules import scoring_rule
from harmon.core.scoring import score_panel
from harmon.core.states import find_state
from harmon.data.loading import Dataset


@dataclass(frozen=True)
class Diff:
    """What changed between two years.

    `states`: one row per state (sorted by change, largest rise first; unknown changes last) with
    `iso3`, `country`, `member_1`, `member_2`, `index_1`, `index_2`, `change` and `facts` (how many
    indicator scores changed).
    `facts`: one row per indicator whose score changed, with `iso3`, `country`, `indicator`,
    `label`, `status`, `score_1`, `score_2`, `when` (the year in the interval the score last
    changed), `rule` (a `Rule`), `title` and `sources` (reference keys).
    `region`: one row per regional measure with `value_1`, `value_2`, `change`.
    """

    year_1: int
    year_2: int
    missing: str
    states: pd.DataFrame
    facts: pd.DataFrame
    region: pd.DataFrame

    @property
    def changed(self) -> bool:
        """Whether anything changed: a fact's score, an index or a regional figure."""
        moved = self.states["change"].fillna(0).ne(0).any() or self.states["index_1"].isna().ne(
            self.states["index_2"].isna()
        ).any()
        return bool(len(self.facts) or moved or self.region["change"].fillna(0).ne(0).any())


_REGION_MEASURES = ("members", "mean", "dispersion", "dyadic_harmonization")


def _same(a: float, b: float) -> bool:
    return (np.isnan(a) and np.isnan(b)) or a == b


def diff(dataset: Dataset, year_1: int, year_2: int, country: str | None = None, missing: str = "reweight") -> Diff:
    """Compare `year_1` with `year_2` (either order): each state's index, the facts whose score
    changed between them, and the regional figures; return a `Diff`. `country` (an ISO code or a
    name) narrows the states and
    facts to one state; the regional figures stay those of the whole region."""
    check_missing_policy(missing)
    dataset.check_year(year_1)
    dataset.check_year(year_2)
    lo, hi = sorted((year_1, year_2))
    panel = score_panel(dataset, range(lo, hi + 1), missing)
    frame = panel.countries
    model = dataset.model
    dimension_of = model.dimension_of()
    chosen = [find_state(dataset, country)] if country else list(dataset.countries)

    states, facts = [], []
    for c in chosen:
        a, b = frame.loc[(c.iso3, year_1)], frame.loc[(c.iso3, year_2)]
        n_changed = 0
        for indicator in model.indicators.values():
            s1, s2 = float(a[indicator.id]), float(b[indicator.id])
            if _same(s1, s2):
                continue
            n_changed += 1
            series = frame.loc[c.iso3][indicator.id].to_numpy(dtype=float)  # years lo..hi
            steps = [lo + k for k in range(1, len(series)) if not _same(series[k - 1], series[k])]
            when = steps[-1] if steps else hi
            history = c.history(indicator.id)
            fact = entry_in(history, when)  # the entry that brought the change
            sources = list(fact.source) if fact else []
            facts.append(
                {
                    "iso3": c.iso3,
                    "country": c.country,
                    "dimension": dimension_of[indicator.id],
                    "indicator": indicator.id,
                    "label": indicator.label,
                    "status": fact.status if fact else None,
                    "score_1": s1,
                    "score_2": s2,
                    "when": when,
                    "rule": scoring_rule(dataset, indicator, history, when),
                    "title": fact.title if fact else None,
                    "sources": sources,
                }
            )
        i1, i2 = float(a["index"]), float(b["index"])
        states.append(
            {
                "iso3": c.iso3,
                "country": c.country,
                "member_1": bool(a["member"]),
                "member_2": bool(b["member"]),
                "index_1": i1,
                "index_2": i2,
                "change": i2 - i1,
                "facts": n_changed,
            }
        )
    states_frame = pd.DataFrame(states)
    states_frame = states_frame.assign(_unknown=states_frame["change"].isna(), _down=-states_frame["change"]).sort_values(
        ["_unknown", "_down", "country"], kind="stable"
    ).drop(columns=["_unknown", "_down"]).reset_index(drop=True)
    fact_columns = ["iso3", "country", "dimension", "indicator", "label", "status", "score_1", "score_2",
                    "when", "rule", "title", "sources"]
    facts_frame = pd.DataFrame(facts, columns=fact_columns)
    if len(facts_frame):
        order = {iso: k for k, iso in enumerate(states_frame["iso3"])}
        indicator_order = {i: k for k, i in enumerate(model.indicators)}
        facts_frame = facts_frame.assign(
            _s=facts_frame["iso3"].map(order), _i=facts_frame["indicator"].map(indicator_order)
        ).sort_values(["_s", "when", "_i"], kind="stable").drop(columns=["_s", "_i"]).reset_index(drop=True)
    region = pd.DataFrame(
        [
            {
                "measure": m,
                "value_1": float(panel.region.loc[year_1, m]),
                "value_2": float(panel.region.loc[year_2, m]),
            }
            for m in _REGION_MEASURES
        ]
    )
    region["change"] = region["value_2"] - region["value_1"]
    return Diff(year_1, year_2, missing, states_frame, facts_frame, region)
