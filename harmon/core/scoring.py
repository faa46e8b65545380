"""The scoring engine: indicator, dimension and country scores and ranks, per state-year (the
regional figures over the member states are in `harmon.core.region`).

Every name here follows docs/method.md, which gives each formula and a worked example:
s(c,i,t) `indicator_scores`, D(c,d,t) `dimension_scores`, `index`, `coverage` and `rank`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from harmon.choices import check_aggregation, check_missing_policy
from harmon.core.bounds import determined, mean_kept_within, rank_range
from harmon.core.histories import FactScores, fact_scores
from harmon.core.means import weighted_mean
from harmon.core.membership import member_matrix
from harmon.core.region import dyadic_harmonization, dyadic_shares, region_figures
from harmon.data.loading import Dataset
from harmon.errors import BadValue

# The geometric mean of dimension scores is 0 as soon as one is 0, whatever the others: below this
# many points (of 100) a dimension counts as this many (docs/method.md, "Aggregation").
GEOMETRIC_FLOOR = 1.0
# Index values that differ by less than this are the same number computed along different paths
# (62.5 and 62.49999999999999): they tie in rank.
RANK_DECIMALS = 9


@dataclass(frozen=True)
class Panel:
    """Scores for a run of years.

    `countries`: one row per state-year, indexed by (iso3, year), with columns `country`,
    `member`, one per indicator score s (0-1, NaN = missing), one per dimension score D (0-100),
    `index` (0-100), `coverage` (0-1), `rank` (nullable integer, members only), and the bounds
    the data allow (docs/method.md §13): `index_lo`, `index_hi`, `determined` (the two
    coincide), `rank_best`, `rank_worst` (members only).
    `region`: one row per year with `members`, `mean`, `dispersion`, `dyadic_harmonization`,
    and the bounds `mean_lo`, `mean_hi`, `dyadic_harmonization_lo`, `dyadic_harmonization_hi`.
    `dyadic_by_indicator`: one row per year, one column per indicator, shares in 0-100.
    `scored`: the indicator scores the dimension scores and the index count (`counted_scores`:
    the missing-data policy's, kept within their bounds), indexed like `countries`; NaN = not
    counted. `lower`, `upper`: the bounds of each indicator score,
    indexed like `countries`. `recorded_before`: s(c,i,t) of the year before the first year,
    shape (states, indicators), with which `harmon.core.adoption` tells an adoption in the first
    year from one before it.
    """

    years: tuple[int, ...]
    missing: str
    indicators: tuple[str, ...]
    dimensions: tuple[str, ...]
    countries: pd.DataFrame
    region: pd.DataFrame
    dyadic_by_indicator: pd.DataFrame
    scored: pd.DataFrame
    aggregation: str = "arithmetic"
    lower: pd.DataFrame | None = None
    upper: pd.DataFrame | None = None
    recorded_before: np.ndarray | None = None
    # The missing-data policy's scores (`policy_scores`) before `counted_scores` keeps any
    # within its bounds, indexed like `countries`; NaN = not observed (adoption counts these).
    observed: pd.DataFrame | None = None


@dataclass(frozen=True)
class YearScore:
    """Scores for one year: `countries` indexed by iso3 in rank order, `region` figures, and the
    dyadic share of each indicator."""

    year: int
    missing: str
    indicators: tuple[str, ...]
    dimensions: tuple[str, ...]
    countries: pd.DataFrame
    region: dict[str, Any]
    dyadic_by_indicator: dict[str, float | None]
    aggregation: str = "arithmetic"


def score_year(dataset: Dataset, year: int, missing: str = "reweight", aggregation: str = "arithmetic") -> YearScore:
    """Score every state in `year` (which must lie in the dataset's period); return a `YearScore`."""
    dataset.check_year(year)
    panel = score_panel(dataset, [year], missing, aggregation)
    countries = in_rank_order(panel.countries.xs(year, level="year"), "rank")
    region = {**panel.region.loc[year].to_dict(), "members": int(panel.region.loc[year, "members"])}
    dyadic = {i: (None if pd.isna(v) else float(v)) for i, v in panel.dyadic_by_indicator.loc[year].items()}
    return YearScore(year, missing, panel.indicators, panel.dimensions, countries, region, dyadic, aggregation)


def score_panel(
    dataset: Dataset, years: Iterable[int], missing: str = "reweight", aggregation: str = "arithmetic"
) -> Panel:
    """Score every state in each of `years` (each in the dataset's period); return a `Panel`."""
    check_missing_policy(missing)
    check_aggregation(aggregation)
    years = tuple(sorted({dataset.check_year(y, "years") for y in years}))
    if not years:
        raise BadValue("years", "must hold at least one year", "none")
    model = dataset.model
    indicators = tuple(model.indicators)
    dimensions = tuple(d.id for d in model.dimensions)

    # The year before too (for adoption), in the same pass: the facts' segments are the cost.
    facts, recorded_before = _without_first_year(fact_scores(dataset, (years[0] - 1, *years)), len(years) + 1)
    s = facts.recorded  # rows: (iso3, year) in dataset order; columns: indicators
    observed = policy_scores(facts, missing)
    scored = counted_scores(observed, facts, model, aggregation)
    membership = membership_matrix(model)
    dims = dimension_scores(scored, indicator_weights(model), membership)
    index = aggregate(dims, dimension_weights(model), aggregation)
    e = np.array(list(model.effective_weights().values()))
    known = s if missing == "zero" else observed  # zero scores the unknown without knowing it
    coverage = (~np.isnan(known) * e).sum(axis=1) / e.sum()

    isos = [c.iso3 for c in dataset.countries]
    rows = pd.MultiIndex.from_product([isos, years], names=["iso3", "year"])
    year_of_row = rows.get_level_values("year").to_numpy()
    member = member_matrix(dataset, years).reshape(-1)

    frame = pd.DataFrame(
        {
            "country": np.repeat([c.country for c in dataset.countries], len(years)),
            "member": member,
            **{i: s[:, k] for k, i in enumerate(indicators)},  # as recorded: the policy only aggregates
            **{d: dims[:, k] for k, d in enumerate(dimensions)},
            "index": index,
            "coverage": coverage,
        },
        index=rows,
    )
    frame["rank"] = rank(frame["index"], member)
    # The bounds (docs/method.md §13): every unknown at its lowest, then its highest, score, all
    # weight counted.
    index_lo, index_hi = (
        aggregate(dimension_scores(b, indicator_weights(model), membership), dimension_weights(model), aggregation)
        for b in (facts.lower, facts.upper)
    )
    frame["index_lo"], frame["index_hi"] = index_lo, index_hi
    frame["determined"] = determined(index_lo, index_hi)
    best = pd.array(np.full(len(frame), pd.NA), dtype="Int64")
    worst = best.copy()

    shares_by_year, figures_by_year = [], []
    for y in years:
        in_region = member & (year_of_row == y)
        shares, shares_lo, shares_hi = dyadic_shares(observed[in_region], facts.lower[in_region], facts.upper[in_region])
        shares_by_year.append(shares)
        figures = region_figures(index[in_region], shares, e, shares_lo, shares_hi)
        best[in_region], worst[in_region] = rank_range(index_lo[in_region], index_hi[in_region])
        for bound, values, bound_shares in (("lo", index_lo, shares_lo), ("hi", index_hi, shares_hi)):
            figures[f"mean_{bound}"] = float(values[in_region].mean()) if in_region.any() else float("nan")
            figures[f"dyadic_harmonization_{bound}"] = float(dyadic_harmonization(bound_shares, e))
        figures_by_year.append(figures)
    frame["rank_best"], frame["rank_worst"] = best, worst
    year_index = pd.Index(years, name="year")
    dyadic = pd.DataFrame(shares_by_year, index=year_index, columns=list(indicators))
    region = pd.DataFrame(figures_by_year, index=year_index).astype({"members": "int64"})
    scored_frame = pd.DataFrame(scored, index=rows, columns=list(indicators))
    lower, upper = (pd.DataFrame(b, index=rows, columns=list(indicators)) for b in (facts.lower, facts.upper))
    return Panel(years, missing, indicators, dimensions, frame, region, dyadic, scored_frame, aggregation, lower, upper,
                 recorded_before, pd.DataFrame(observed, index=rows, columns=list(indicators)))


def _without_first_year(facts: FactScores, n_years: int) -> tuple[FactScores, np.ndarray]:
    """`facts` of `n_years` years without the first, and the recorded scores of that first year
    (states, indicators)."""
    def split(values: np.ndarray) -> np.ndarray:
        return values.reshape(-1, n_years, values.shape[1])

    rest = FactScores(*(split(v)[:, 1:].reshape(-1, v.shape[1]) for v in
                        (facts.recorded, facts.lower, facts.upper, facts.backfilled)))
    return rest, split(facts.recorded)[:, 0].copy()


def indicator_scores(dataset: Dataset, years: tuple[int, ...], backfill: bool = False) -> np.ndarray:
    """s(c,i,t) for every state c (dataset order), year t and indicator i (model order).

    Returns an array of shape (states x years, indicators), rows ordered state-major; NaN is a
    missing score. The rules are docs/method.md, "Indicator score" (`harmon.core.histories`).
    With `backfill`, the missing years before a later entry score that entry's level instead.
    """
    facts = fact_scores(dataset, years)
    return facts.backfilled if backfill else facts.recorded


def policy_scores(facts: FactScores, missing: str) -> np.ndarray:
    """s*: the indicator scores that missing-data policy `missing` gives, from `facts`
    (`fact_scores(dataset, years)`); NaN = left out of the averages.

    `reweight` leaves the missing out; `zero` scores each at the lowest level the data allow for
    it (0 unless a history brackets it higher), and so an indicator that requires it at 0 where
    that is 0: the lower bounds; `backfill` carries each entry's level back to the unknown years
    before it (not past a year the sources imply it was absent) and leaves out what is still
    missing. `counted_scores` then keeps what is left out within its bounds.
    """
    if missing == "zero":
        return facts.lower
    if missing == "backfill":
        return facts.backfilled
    return facts.recorded


def counted_scores(observed: np.ndarray, facts: FactScores, model: Any, aggregation: str = "arithmetic") -> np.ndarray:
    """The scores the dimension scores and the index count (NaN = left out): `observed`
    (`policy_scores`) with each left-out score that leaving out would give a value outside its
    bounds (`facts.lower`, `facts.upper`) given one within them (docs/method.md §13): the mean of
    the known scores of its dimension, kept within the score's bounds, for every left-out score
    of that dimension; in the dimensions with none known, the index of the others, kept within
    its bounds, for every score of all of them (`harmon.core.bounds.mean_kept_within`). Where
    nothing would leave its bounds, as whenever every unknown spans its whole scale, this is
    `observed` itself."""
    if not np.isnan(observed).any():
        return observed
    weights, membership = indicator_weights(model), membership_matrix(model)
    group = membership.argmax(axis=1)  # each indicator's dimension
    means = dimension_scores(observed, weights, membership)[:, group] / 100
    scored = mean_kept_within(observed, means, facts.lower, facts.upper, group)
    dims = dimension_scores(scored, weights, membership)
    others = aggregate(dims, dimension_weights(model), aggregation) / 100
    empty = np.isnan(dims)[:, group]
    # The dimensions with nothing known are one group: once one of them counts, leaving out
    # another gives it a new mean, so all of them count, each score kept within its bounds.
    one_group = np.zeros(len(group), dtype=int)
    return mean_kept_within(scored, np.where(empty, others[:, None], np.nan), facts.lower, facts.upper, one_group)


def membership_matrix(model: Any) -> np.ndarray:
    """M(i,d): 1 where indicator i (model order) belongs to dimension d (model order), else 0."""
    dimension_of = model.dimension_of()
    dimensions = [d.id for d in model.dimensions]
    return np.array([[float(dimension_of[i] == d) for d in dimensions] for i in model.indicators])


def indicator_weights(model: Any) -> np.ndarray:
    """Each indicator's weight within its dimension, in model order."""
    return np.array([i.weight for i in model.indicators.values()], dtype=float)


def dimension_weights(model: Any) -> np.ndarray:
    """Each dimension's weight, in model order."""
    return np.array([d.weight for d in model.dimensions], dtype=float)


def dimension_scores(scored: np.ndarray, weights: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """D(c,d) = 100 x the weighted mean of the scores of d's indicators that are not NaN; NaN
    where none is.

    `scored` (..., rows, indicators), `weights` (..., indicators) and `membership` (indicators,
    dimensions) broadcast: a leading axis of draws gives one set of dimension scores per draw.
    Returns (..., rows, dimensions).
    """
    w = ~np.isnan(scored) * weights[..., None, :]
    total = w @ membership
    sums = (np.nan_to_num(scored) * w) @ membership
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 100 * sums / np.where(total > 0, total, 1), np.nan)


def aggregate(dims: np.ndarray, weights: np.ndarray, aggregation: str = "arithmetic") -> np.ndarray:
    """The index (0-100) from dimension scores `dims` (..., rows, dimensions) and their weights
    (..., dimensions): the weighted arithmetic or geometric mean of the dimensions with a score
    (a geometric mean floors each at `GEOMETRIC_FLOOR`); NaN where no dimension has one."""
    if aggregation == "arithmetic":
        return weighted_mean(dims, ~np.isnan(dims), weights[..., None, :])
    logs = np.log(np.maximum(dims, GEOMETRIC_FLOOR) / 100)  # NaN stays NaN: left out below
    return 100 * np.exp(weighted_mean(logs, ~np.isnan(dims), weights[..., None, :]))


def in_rank_order(frame: pd.DataFrame, rank_column: str) -> pd.DataFrame:
    """`frame` sorted by `rank_column` (those without a rank last), ties by `country`."""
    unranked = frame[rank_column].isna()
    return frame.assign(_unranked=unranked).sort_values(["_unranked", rank_column, "country"], kind="stable").drop(
        columns="_unranked"
    )


def rank(index: pd.Series, member: np.ndarray) -> pd.Series:
    """Competition rank (1 = highest index, ties share the lower number) among members, per year.

    Non-members and members with no index get no rank.
    """
    eligible = index.where(member).round(RANK_DECIMALS)
    ranks = eligible.groupby(level="year").rank(method="min", ascending=False)
    return ranks.astype("Int64")
