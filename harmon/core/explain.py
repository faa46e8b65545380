"""One state's index in one year, taken apart into the contribution of each indicator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from harmon.choices import check_missing_policy
from harmon.core.histories import entry_in
from harmon.core.rules import scoring_rule
from harmon.core.scoring import Panel, score_panel
from harmon.core.states import find_state
from harmon.data.loading import Dataset


@dataclass(frozen=True)
class Explanation:
    """One state's index in one year, taken apart.

    `indicators`: one row per indicator in model order with `dimension`, `indicator`, `label`,
    `status` (as recorded, None when not recorded), `rule`, `score` (s, 0-1, NaN = unknown),
    `scored` (the value the policy uses: NaN becomes 0 under `zero`, the level known later under
    `backfill`), `weight` (within the
    dimension), `effective_weight` (the model's share of the index), `share` (the share of the
    index it actually carries in this year: 0 when unknown under `reweight`), `contribution`
    (points of the index: `scored` x `share` x 100; they sum to `index`), `lower` and `upper`
    (the bounds of s, docs/method.md §13) and `sources` (reference keys).
    `index_lo`, `index_hi`: the index's bounds; `rank_best`, `rank_worst`: the rank range
    (None for a non-member).
    `dimensions`: one row per dimension with `label`, `weight`, `score` (0-100), `share`,
    `contribution`.
    """

    iso3: str
    country: str
    year: int
    missing: str
    member: bool
    index: float
    coverage: float
    rank: int | None
    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    index_lo: float = float("nan")
    index_hi: float = float("nan")
    rank_best: int | None = None
    rank_worst: int | None = None


def explain(
    dataset: Dataset, state: str, year: int, missing: str = "reweight", panel: Panel | None = None
) -> Explanation:
    """Take the index of `state` (an ISO code or a name, as `find_state` takes it) in `year`
    apart into the contribution of each indicator; return an `Explanation`. `panel`: the scores
    of `score_panel(dataset, years, missing)` for years that include `year`, to explain many
    state-years without scoring each again (None: scored here)."""
    check_missing_policy(missing)
    dataset.check_year(year)
    country = find_state(dataset, state)
    if panel is None or year not in panel.years or panel.missing != missing or panel.aggregation != "arithmetic":
        panel = score_panel(dataset, [year], missing)
    row = panel.countries.loc[(country.iso3, year)]
    model = dataset.model
    effective = model.effective_weights()

    dim_scores = np.array([row[d.id] for d in model.dimensions], dtype=float)
    dim_weights = np.array([d.weight for d in model.dimensions], dtype=float)
    dim_observed = ~np.isnan(dim_scores)
    dim_total = (dim_weights * dim_observed).sum()
    dim_share = np.where(dim_observed, dim_weights / dim_total if dim_total > 0 else np.nan, 0.0)

    rows: list[dict[str, Any]] = []
    dims: list[dict[str, Any]] = []
    policy_row = panel.scored.loc[(country.iso3, year)]
    lower, upper = panel.lower.loc[(country.iso3, year)], panel.upper.loc[(country.iso3, year)]
    for k, d in enumerate(model.dimensions):
        s = np.array([row[i.id] for i in d.indicators], dtype=float)
        w = np.array([i.weight for i in d.indicators], dtype=float)
        scored = np.array([policy_row[i.id] for i in d.indicators], dtype=float)
        counted = ~np.isnan(scored)
        within_total = (w * counted).sum()
        within = np.where(counted, w / within_total if within_total > 0 else 0.0, 0.0)
        share = within * dim_share[k]
        contribution = np.where(counted, np.nan_to_num(scored) * share * 100, 0.0)
        for j, indicator in enumerate(d.indicators):
            history = country.history(indicator.id)
            fact = entry_in(history, year)
            sources = list(fact.source) if fact else []
            rows.append(
                {
                    "dimension": d.id,
                    "indicator": indicator.id,
                    "label": indicator.label,
                    "status": fact.status if fact else None,
                    "rule": scoring_rule(dataset, indicator, history, year),
                    "score": s[j],
                    "scored": scored[j],
                    "weight": indicator.weight,
                    "effective_weight": effective[indicator.id],
                    "share": float(share[j]),
                    "contribution": float(contribution[j]),
                    "lower": float(lower[indicator.id]),
                    "upper": float(upper[indicator.id]),
                    "sources": sources,
                }
            )
        dims.append(
            {
                "dimension": d.id,
                "label": d.label,
                "short": d.short or d.label,
                "weight": d.weight,
                "score": dim_scores[k],
                "share": float(dim_share[k]),
                "contribution": float(dim_scores[k] * dim_share[k]) if dim_observed[k] else 0.0,
            }
        )
    indicators = pd.DataFrame(rows)
    if not dim_observed.any():  # nothing known: no index, nothing contributes
        indicators["contribution"] = np.nan
    rank = row["rank"]
    return Explanation(
        iso3=country.iso3,
        country=country.country,
        year=year,
        missing=missing,
        member=bool(row["member"]),
        index=float(row["index"]),
        coverage=float(row["coverage"]),
        rank=None if pd.isna(rank) else int(rank),
        indicators=indicators,
        dimensions=pd.DataFrame(dims),
        index_lo=float(row["index_lo"]),
        index_hi=float(row["index_hi"]),
        rank_best=None if pd.isna(row["rank_best"]) else int(row["rank_best"]),
        rank_worst=None if pd.isna(row["rank_worst"]) else int(row["rank_worst"]),
    )
