"""The scoring engine: indicator, dimension and country scores, ranks and regional figures.

Every name here follows docs/method.md, which gives each formula and a worked example:
s(c,i,t) `indicator_scores`, D(c,d,t) `dimension_scores`, `index`, `coverage`, `rank`, and over
the member states `mean`, `dispersion`, `dyadic_by_indicator` and `dyadic_harmonization`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from harmon.errors import InvalidOption
from harmon.loading import Dataset

MISSING_POLICIES = ("reweight", "zero")
ABSENT = 0.0  # the score of a provision known not to exist (before an event, say)
# Index values that differ by less than this are the same number computed along different paths
# (62.5 and 62.49999999999999): they tie in rank.
_RANK_DECIMALS = 9


@dataclass(frozen=True)
class Panel:
    """Scores for a run of years.

    `countries`: one row per state-year, indexed by (iso3, year), with columns `country`,
    `member`, one per indicator score s (0-1, NaN = missing), one per dimension score D (0-100),
    `index` (0-100), `coverage` (0-1) and `rank` (nullable integer, members only).
    `region`: one row per year with `members`, `mean`, `dispersion`, `dyadic_harmonization`.
    `dyadic_by_indicator`: one row per year, one column per indicator, shares in 0-100.
    """

    years: tuple[int, ...]
    missing: str
    indicators: tuple[str, ...]
    dimensions: tuple[str, ...]
    countries: pd.DataFrame
    region: pd.DataFrame
    dyadic_by_indicator: pd.DataFrame


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

    def to_dict(self, decimals: int = 4) -> dict[str, Any]:
        """Return the result as plain JSON-ready values, floats rounded to `decimals`."""

        def num(value: Any) -> Any:
            return None if pd.isna(value) else round(float(value), decimals)

        countries = [
            {
                "iso3": iso3,
                "country": row["country"],
                "member": bool(row["member"]),
                "rank": None if pd.isna(row["rank"]) else int(row["rank"]),
                "index": num(row["index"]),
                "coverage": num(row["coverage"]),
                "dimensions": {d: num(row[d]) for d in self.dimensions},
                "indicators": {i: num(row[i]) for i in self.indicators},
            }
            for iso3, row in self.countries.iterrows()
        ]
        region = {
            "members": int(self.region["members"]),
            "mean": num(self.region["mean"]),
            "dispersion": num(self.region["dispersion"]),
            "dyadic_harmonization": num(self.region["dyadic_harmonization"]),
            "dyadic_by_indicator": {i: num(v) for i, v in self.dyadic_by_indicator.items()},
        }
        return {"year": self.year, "countries": countries, "region": region}


def check_missing_policy(missing: str) -> str:
    """Return `missing` if it is a known missing-data policy, else raise `InvalidOption`."""
    if missing not in MISSING_POLICIES:
        raise InvalidOption(f"unknown missing-data policy {missing!r}; expected one of: {', '.join(MISSING_POLICIES)}")
    return missing


def score_year(dataset: Dataset, year: int, missing: str = "reweight") -> YearScore:
    """Score every state in `year` (which must lie in the dataset's period); return a `YearScore`."""
    dataset.check_year(year)
    panel = score_panel(dataset, [year], missing)
    countries = panel.countries.xs(year, level="year")
    countries = countries.assign(_unranked=countries["rank"].isna()).sort_values(
        ["_unranked", "rank", "country"], kind="stable"
    ).drop(columns="_unranked")
    region = {**panel.region.loc[year].to_dict(), "members": int(panel.region.loc[year, "members"])}
    dyadic = {i: (None if pd.isna(v) else float(v)) for i, v in panel.dyadic_by_indicator.loc[year].items()}
    return YearScore(year, missing, panel.indicators, panel.dimensions, countries, region, dyadic)


def score_panel(dataset: Dataset, years: Iterable[int], missing: str = "reweight") -> Panel:
    """Score every state in each of `years` (each in the dataset's period); return a `Panel`."""
    check_missing_policy(missing)
    years = tuple(sorted({dataset.check_year(int(y)) for y in years}))
    model = dataset.model
    indicators = tuple(model.indicators)
    dimensions = tuple(d.id for d in model.dimensions)

    s = indicator_scores(dataset, years)  # rows: (iso3, year) in dataset order; columns: indicators
    observed = ~np.isnan(s)
    scored = np.nan_to_num(s, nan=ABSENT) if missing == "zero" else s
    counted = np.ones_like(observed) if missing == "zero" else observed

    dimension_columns = []
    for d in model.dimensions:
        cols = [indicators.index(i.id) for i in d.indicators]
        weights = np.array([i.weight for i in d.indicators])
        dimension_columns.append(100 * weighted_mean(scored[:, cols], counted[:, cols], weights))
    dims = np.column_stack(dimension_columns)
    dim_weights = np.array([d.weight for d in model.dimensions])
    index = weighted_mean(dims, ~np.isnan(dims), dim_weights)
    effective = model.effective_weights()
    e = np.array([effective[i] for i in indicators])
    coverage = (observed * e).sum(axis=1) / e.sum()

    isos = [c.iso3 for c in dataset.countries]
    rows = pd.MultiIndex.from_product([isos, years], names=["iso3", "year"])
    year_of_row = rows.get_level_values("year").to_numpy()
    joined = np.repeat([c.member_since for c in dataset.countries], len(years))
    member = year_of_row >= joined

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

    shares_by_year, figures_by_year = [], []
    for y in years:
        in_region = member & (year_of_row == y)
        shares = dyadic_by_indicator(scored[in_region])
        shares_by_year.append(shares)
        figures_by_year.append(region_figures(index[in_region], shares, e))
    year_index = pd.Index(years, name="year")
    dyadic = pd.DataFrame(shares_by_year, index=year_index, columns=list(indicators))
    region = pd.DataFrame(figures_by_year, index=year_index).astype({"members": "int64"})
    return Panel(years, missing, indicators, dimensions, frame, region, dyadic)


def indicator_scores(dataset: Dataset, years: tuple[int, ...]) -> np.ndarray:
    """s(c,i,t) for every state c (dataset order), year t and indicator i (model order).

    Returns an array of shape (states x years, indicators), rows ordered state-major; NaN is a
    missing score. The rules (docs/method.md, "Indicator score"): a fact scores its level from
    the year it is known (`year`, else `observed`) on; before that it is absent (0) where the
    sources imply so (an event before its year, `absent_before`) and missing otherwise.
    """
    model = dataset.model
    indicators = list(model.indicators.values())
    shape = (len(dataset.countries), len(indicators))
    level = np.full(shape, np.nan)
    known_from = np.full(shape, -np.inf)
    absent_until = np.full(shape, -np.inf)  # absent in every year before this one
    for c, country in enumerate(dataset.countries):
        for k, indicator in enumerate(indicators):
            fact = country.facts.get(indicator.id)
            if fact is None:
                continue  # not recorded: missing in every year
            score = model.level_scores(indicator)[fact.status]
            level[c, k] = np.nan if score is None else score
            if fact.known_from is not None:
                known_from[c, k] = fact.known_from
            if indicator.kind == "event" and fact.known_from is not None and (fact.year is not None or score == ABSENT):
                # An event is absent before its year; one not yet happened when observed had not
                # happened in any earlier year either.
                absent_until[c, k] = fact.known_from
            elif fact.absent_before is not None:
                absent_until[c, k] = fact.absent_before
    t = np.asarray(years, dtype=float)[None, :, None]
    s = np.where(t >= known_from[:, None, :], level[:, None, :], np.where(t < absent_until[:, None, :], ABSENT, np.nan))
    return s.reshape(len(dataset.countries) * len(years), len(indicators))


def weighted_mean(values: np.ndarray, counted: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row-wise weighted mean of `values` over the cells where `counted` is true; NaN where none is."""
    w = counted * weights
    total = w.sum(axis=1)
    sums = (np.nan_to_num(values) * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, sums / np.where(total > 0, total, 1), np.nan)


def rank(index: pd.Series, member: np.ndarray) -> pd.Series:
    """Competition rank (1 = highest index, ties share the lower number) among members, per year.

    Non-members and members with no index get no rank.
    """
    eligible = index.where(member).round(_RANK_DECIMALS)
    ranks = eligible.groupby(level="year").rank(method="min", ascending=False)
    return ranks.astype("Int64")


def dyadic_by_indicator(scores: np.ndarray) -> np.ndarray:
    """For each column of `scores` (member states x indicators), the mean over all pairs of states
    observed on it of min(s_a, s_b), x 100; NaN where fewer than two states are observed.

    Uses sum over pairs of min = sum_k x_(k) * (n - k) for the scores sorted ascending
    (x_(1) <= ... <= x_(n)), so the cost is a sort, not a loop over pairs.
    """
    if scores.shape[0] == 0:
        return np.full(scores.shape[1], np.nan)
    ordered = np.sort(scores, axis=0)  # NaN sorts last
    n = (~np.isnan(scores)).sum(axis=0)
    k = np.arange(scores.shape[0])[:, None]  # 0-based position
    times_smaller = np.clip(n[None, :] - 1 - k, 0, None)  # how many later (larger) scores pair with it
    pair_sum = (np.nan_to_num(ordered) * times_smaller).sum(axis=0)
    pairs = n * (n - 1) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(pairs > 0, 100 * pair_sum / np.where(pairs > 0, pairs, 1), np.nan)


def dyadic_harmonization(shares: np.ndarray, effective_weights: np.ndarray) -> float:
    """The mean of the indicators' dyadic shares weighted by their effective weights (those
    with a share only); NaN when no indicator has one."""
    defined = ~np.isnan(shares)
    if not defined.any():
        return float("nan")
    return float((shares[defined] * effective_weights[defined]).sum() / effective_weights[defined].sum())


def region_figures(indices: np.ndarray, shares: np.ndarray, effective_weights: np.ndarray) -> dict[str, Any]:
    """The regional figures of one year from its member states' indices and the indicators'
    dyadic shares: `members`, `mean`, `dispersion` (population standard deviation) and
    `dyadic_harmonization`. Members with no index count as members but not in mean or dispersion."""
    known = indices[~np.isnan(indices)]
    return {
        "members": int(indices.size),
        "mean": float(known.mean()) if known.size else float("nan"),
        "dispersion": float(known.std(ddof=0)) if known.size else float("nan"),
        "dyadic_harmonization": dyadic_harmonization(shares, effective_weights),
    }
