"""What changed between two years: each state's index, the facts whose score changed, and the
regional figures."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from harmon.choices import check_missing_policy
from harmon.core.histories import entry_in
from harmon.core.rules import scoring_rule
from harmon.core.region import dyadic_shares, region_figures
from harmon.core.scoring import (
    Panel, aggregate, dimension_scores, dimension_weights, indicator_weights, membership_matrix, score_panel,
)
from harmon.core.states import find_state
from harmon.data.loading import Dataset


@dataclass(frozen=True)
class Diff:
    """What changed between two years.

    `states`: one row per state (sorted by real change, then change, largest rise first; unknown
    changes last) with `iso3`, `country`, `member_1`, `member_2`, `index_1`, `index_2`, `change`,
    `real_change` (the part of the change that real changes of law make, docs/method.md §13),
    `observed_change` (the rest: facts newly observed, or no longer known), the index bounds
    `index_lo_1`, `index_hi_1`, `index_lo_2`, `index_hi_2`, and `facts` (how many indicator
    scores changed).
    `facts`: one row per indicator whose score changed, with `iso3`, `country`, `indicator`,
    `label`, `status`, `score_1`, `score_2`, `kind` ("change": a status changed or an event
    happened; "observed": the score's range narrowed, an unknown became known; "unobserved":
    its range widened), `when` (the year in the interval the score last changed), `rule` (a
    `Rule`), `title` and `sources` (reference keys).
    `region`: one row per regional measure with `value_1`, `value_2`, `change`, `real_change`
    (over the first year's members: what changes of law make), `membership_change` (what states
    joining or leaving make; the rest of `change` is new observations), and for the mean and
    dyadic harmonization their bounds `lo_1`, `hi_1`, `lo_2`, `hi_2`.
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
_BOUNDED = ("mean", "dyadic_harmonization")  # dispersion is not monotone in the scores: no bounds


CHANGE, OBSERVED, UNOBSERVED = "change", "observed", "unobserved"


def _same(a: float, b: float) -> bool:
    return (np.isnan(a) and np.isnan(b)) or a == b


def change_kinds(lo_1: np.ndarray, hi_1: np.ndarray, lo_2: np.ndarray, hi_2: np.ndarray) -> np.ndarray:
    """How each indicator score's range [lo, hi] moved between two years, element by element:
    "observed" when the second lies within the first (an unknown became known, or better known),
    "unobserved" when the first lies within the second, else "change" (a status changed or an
    event happened)."""
    observed = (lo_1 <= lo_2) & (hi_2 <= hi_1)
    unobserved = (lo_2 <= lo_1) & (hi_1 <= hi_2)
    return np.where(observed, OBSERVED, np.where(unobserved, UNOBSERVED, CHANGE)).astype(object)


def diff(
    dataset: Dataset, year_1: int, year_2: int, country: str | None = None, missing: str = "reweight",
    panel: Panel | None = None,
) -> Diff:
    """Compare `year_1` with `year_2` (either order): each state's index, the facts whose score
    changed between them, and the regional figures; return a `Diff`. `country` (an ISO code or a
    name) narrows the states and facts to one state; the regional figures stay those of the
    whole region. `panel`: `score_panel(dataset, every year from the earlier to the later,
    missing)` when the caller has it (None: scored here)."""
    check_missing_policy(missing)
    year_1, year_2 = dataset.check_year(year_1, "year_1"), dataset.check_year(year_2, "year_2")
    lo, hi = sorted((year_1, year_2))
    years = tuple(range(lo, hi + 1))
    if panel is None or panel.years != years or panel.missing != missing or panel.aggregation != "arithmetic":
        panel = score_panel(dataset, years, missing)
    frame = panel.countries
    model = dataset.model
    dimension_of = model.dimension_of()
    chosen = [find_state(dataset, country)] if country else list(dataset.countries)

    # The year-2 scores with only the real changes made: what the index would be had nothing been
    # newly observed (or lost from view) in between.
    real_scored = panel.scored.xs(year_1, level="year").copy()
    second = panel.scored.xs(year_2, level="year")
    lo_1, hi_1, lo_2, hi_2 = (
        frame_.xs(y, level="year").to_numpy(dtype=float)
        for y in (year_1, year_2) for frame_ in (panel.lower, panel.upper)
    )
    kinds = pd.DataFrame(
        change_kinds(lo_1, hi_1, lo_2, hi_2), index=[c.iso3 for c in dataset.countries], columns=list(model.indicators)
    )
    moved = (kinds == CHANGE).to_numpy()
    real_scored = real_scored.where(~moved, second)
    real_index = pd.Series(
        aggregate(dimension_scores(real_scored.to_numpy(dtype=float), indicator_weights(model), membership_matrix(model)),
                  dimension_weights(model), panel.aggregation),
        index=real_scored.index,
    )

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
                    "kind": kinds.loc[c.iso3, indicator.id],
                    "when": when,
                    "rule": scoring_rule(dataset, indicator, history, when),
                    "title": fact.title if fact else None,
                    "sources": sources,
                }
            )
        i1, i2 = float(a["index"]), float(b["index"])
        real = float(real_index.loc[c.iso3]) - i1
        states.append(
            {
                "iso3": c.iso3,
                "country": c.country,
                "member_1": bool(a["member"]),
                "member_2": bool(b["member"]),
                "index_1": i1,
                "index_2": i2,
                "change": i2 - i1,
                "real_change": real,
                "observed_change": (i2 - i1) - real,
                "index_lo_1": float(a["index_lo"]),
                "index_hi_1": float(a["index_hi"]),
                "index_lo_2": float(b["index_lo"]),
                "index_hi_2": float(b["index_hi"]),
                "facts": n_changed,
            }
        )
    states_frame = pd.DataFrame(states)
    states_frame = states_frame.assign(
        _unknown=states_frame["real_change"].isna(), _down=-states_frame["real_change"].round(9),
        _then=-states_frame["change"].fillna(0).round(9),
    ).sort_values(["_unknown", "_down", "_then", "country"], kind="stable").drop(
        columns=["_unknown", "_down", "_then"]
    ).reset_index(drop=True)
    fact_columns = ["iso3", "country", "dimension", "indicator", "label", "status", "score_1", "score_2",
                    "kind", "when", "rule", "title", "sources"]
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
    # The region had only the real changes happened, over the first year's members, then over the
    # second's: the difference is what joining and leaving make, neither a change of law nor an
    # observation. Its figures are computed as `score_panel` computes them: the real indices, and
    # dyadic harmonization from the policy's observed scores and the bounds, the moved indicators
    # at their second-year values.
    effective = np.array(list(model.effective_weights().values()))
    observed_1, observed_2 = (panel.observed.xs(y, level="year").to_numpy(dtype=float) for y in (year_1, year_2))
    real_observed = np.where(moved, observed_2, observed_1)
    real_lo, real_hi = np.where(moved, lo_2, lo_1), np.where(moved, hi_2, hi_1)
    real_indices = real_index.to_numpy()

    def real_region(members: np.ndarray) -> dict:
        shares, shares_lo, shares_hi = dyadic_shares(real_observed[members], real_lo[members], real_hi[members])
        return region_figures(real_indices[members], shares, effective, shares_lo, shares_hi)

    same, joined = (real_region(frame.xs(y, level="year")["member"].to_numpy(dtype=bool)) for y in (year_1, year_2))
    region["real_change"] = [same[m] - float(panel.region.loc[year_1, m]) for m in _REGION_MEASURES]
    region["membership_change"] = [joined[m] - same[m] for m in _REGION_MEASURES]
    for name, year in (("1", year_1), ("2", year_2)):
        region[f"lo_{name}"] = [float(panel.region.loc[year, f"{m}_lo"]) if m in _BOUNDED else np.nan for m in _REGION_MEASURES]
        region[f"hi_{name}"] = [float(panel.region.loc[year, f"{m}_hi"]) if m in _BOUNDED else np.nan for m in _REGION_MEASURES]
    return Diff(year_1, year_2, missing, states_frame, facts_frame, region)
