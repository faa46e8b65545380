"""Uncertainty and sensitivity analysis of the index: how far do ranks move under other
reasonable modelling choices, and which choice moves them most (docs/method.md, "Sensitivity").

Each Monte Carlo draw samples four choices ("factors"):

- `weights`: every indicator and dimension weight times a factor drawn uniformly from
  [1 - spread, 1 + spread] (the weights are relative, so this is renormalised), around the
  model's weights or around a scheme drawn from a list of alternative schemes;
- `missing`: a missing-data policy (`harmon.choices.MISSING_POLICIES`);
- `aggregation`: arithmetic or geometric mean of the dimensions;
- `drop_one`: no indicator, or one indicator, left out (only with `drop_one=True`).

The draws are scored all at once (numpy arrays with a leading axis of draws), not by calling
`score_year` once per draw. The variance shares are Sobol' first-order and total-effect indices of
each factor (taken as a group) on each state's rank, estimated with the Saltelli (2010) and Jansen
(1999) estimators from two independent samples A and B and one mixed sample per factor that
varies: `draws` x (2 + factors) scorings in all. Rank and index intervals are from sample A.
"""

from __future__ import annotations

import dataclasses
import secrets
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from harmon.choices import AGGREGATIONS, MISSING_POLICIES, SENSITIVITY_FACTORS, check_aggregation, check_missing_policy
from harmon.core.histories import fact_scores
from harmon.core.region import dyadic_harmonization_within, dyadic_shares
from harmon.core.scoring import (
    RANK_DECIMALS,
    aggregate,
    counted_scores,
    dimension_scores,
    dimension_weights,
    in_rank_order,
    indicator_weights,
    membership_matrix,
    policy_scores,
)
from harmon.data.loading import Dataset
from harmon.data.schema import WeightScheme
from harmon.data.weights import reweighted_model
from harmon.errors import BadValue, InvalidOption

FACTORS = SENSITIVITY_FACTORS
MAX_DRAWS = 1_000_000
# Below this many draws the variance-share estimates are mostly noise (at 1 draw, shares of
# +-300%): they are left undefined rather than shown.
MIN_DRAWS_FOR_SHARES = 50
NO_DROP = -1  # `dropped` when no indicator is left out
_CHUNK_CELLS = 2_000_000  # array cells per chunk of draws: bounds memory, paces the progress bar
_CHUNK_ROWS = 65_536  # draws per chunk where a mean over draws is taken

Progress = Callable[[int, int], None]  # (scorings done, scorings in all)


@dataclass(frozen=True)
class Choices:
    """The modelling choices of a batch of draws, one row per draw: `indicator_weights` (draws x
    indicators; 0 = left out), `dimension_weights` (draws x dimensions), and indices into the
    analysis's policies (`missing`) and aggregations (`aggregation`)."""

    indicator_weights: np.ndarray
    dimension_weights: np.ndarray
    missing: np.ndarray
    aggregation: np.ndarray
    scheme: np.ndarray  # index of the weighting scheme (kept to mix the weights factor whole)
    dropped: np.ndarray  # index of the indicator left out, or NO_DROP

    def __len__(self) -> int:
        return len(self.missing)

    def with_factor_from(self, other: Choices, factor: str) -> Choices:
        """These choices with `factor` taken from `other` (the mixed sample of the estimators)."""
        fields = {
            "weights": ("indicator_weights", "dimension_weights", "scheme"),
            "missing": ("missing",),
            "aggregation": ("aggregation",),
            "drop_one": ("dropped",),
        }[factor]
        return dataclasses.replace(self, **{f: getattr(other, f) for f in fields})


@dataclass(frozen=True)
class SensitivityResult:
    """What `sensitivity` found.

    `states`: one row per member state (indexed by iso3, nominal rank order) with `country`,
    `nominal_index`, `nominal_rank`, `median_rank`, `rank_p05`, `rank_p95` (ranks actually drawn),
    `index_p05`, `index_median`, `index_p95`.
    `first_order` / `total_effect`: per state (same index), one column per varying factor: the
    share of the variance of the state's rank that the factor explains alone / with its
    interactions (NaN where the rank never varies); `first_order` also has `interactions`
    (1 - the sum of the first-order shares).
    `region`: rows `mean` and `dyadic_harmonization`, columns `nominal`, `p05`, `median`, `p95`.
    `stable_pairs` / `pairs`: state pairs whose order no draw reverses / all pairs.
    `index_draws`, `rank_draws`: sample A, one row per draw, one column per state;
    `region_draws`: its `mean` and `dyadic_harmonization`, one row per draw.
    A state with no index in some draws (everything it has left out by drop-one) is summarised over
    the draws where it has one, and is not paired in `stable_pairs`. With fewer than
    `MIN_DRAWS_FOR_SHARES` draws the variance shares are NaN.
    `settings`: the options, the seed actually used, the nominal choices and provenance.
    """

    year: int
    draws: int
    seed: int
    factors: tuple[str, ...]
    scorings: int
    states: pd.DataFrame
    first_order: pd.DataFrame
    total_effect: pd.DataFrame
    region: pd.DataFrame
    stable_pairs: int
    pairs: int
    index_draws: pd.DataFrame
    rank_draws: pd.DataFrame
    region_draws: pd.DataFrame
    settings: dict[str, Any]

    @property
    def pair_stability(self) -> float:
        """The share of state pairs whose order no draw reverses; NaN with fewer than two states."""
        return self.stable_pairs / self.pairs if self.pairs else float("nan")


@dataclass(frozen=True)
class _Tables:
    """What every draw scores from: one year's member states under each policy."""

    scored: np.ndarray  # (policies, aggregations, states, indicators): `counted_scores`
    dyadic: np.ndarray  # (policies, indicators): dyadic share of each indicator, NaN = undefined
    dyadic_lo: np.ndarray  # (indicators,): the shares of the lower and upper score bounds
    dyadic_hi: np.ndarray
    membership: np.ndarray  # (indicators, dimensions)
    aggregations: tuple[str, ...]


def sensitivity(
    dataset: Dataset,
    year: int,
    draws: int = 1000,
    seed: int | None = None,
    weight_spread: float | None = None,
    schemes: Sequence[WeightScheme] | None = None,
    missing: Sequence[str] = MISSING_POLICIES,
    aggregation: Sequence[str] = AGGREGATIONS,
    drop_one: bool = False,
    progress: Progress | None = None,
) -> SensitivityResult:
    """Run the Monte Carlo uncertainty and sensitivity analysis of `year`; return a
    `SensitivityResult`.

    `weight_spread` is a fraction (0.25 = each weight within +-25%); default 0.25, or 0 when
    `schemes` are given (draw among them as they are). The nominal choices, which every draw is
    compared with, are the dataset's weights, the first of `missing` and the first of
    `aggregation`, and no indicator left out. `seed` None draws a fresh one (reported in
    `settings`). `progress` is called with (scorings done, scorings in all).
    """
    dataset.check_year(year)
    draws = _check_draws(draws)
    missing = _check_choices("missing-data policy", missing, check_missing_policy)
    aggregation = _check_choices("aggregation", aggregation, check_aggregation)
    spread = _check_spread(weight_spread if weight_spread is not None else 0.0 if schemes else 0.25)
    if seed is None:
        seed = secrets.randbelow(2**32)
    elif not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise BadValue("seed", "must be a whole number >= 0", repr(seed))
    model = dataset.model
    m = len(model.indicators)
    base = [model] if not schemes else [reweighted_model(model, s) for s in schemes]
    base_w = np.array([indicator_weights(b) for b in base])
    base_v = np.array([dimension_weights(b) for b in base])

    rows = [k for k, c in enumerate(dataset.countries) if c.is_member(year)]
    members = [dataset.countries[k] for k in rows]
    tables = _tables(dataset, year, missing, aggregation, rows)
    varying = tuple(
        f for f, varies in zip(FACTORS, (spread > 0 or len(base) > 1, len(missing) > 1, len(aggregation) > 1, drop_one))
        if varies
    )
    rng = np.random.default_rng(seed)

    def sample() -> Choices:
        # The choices are drawn as before (the same seed gives the same numbers) and kept in the
        # smallest integer types that hold them: a million draws' choices are memory too.
        scheme = rng.integers(len(base), size=draws).astype(np.int32)
        return Choices(
            indicator_weights=base_w[scheme] * rng.uniform(1 - spread, 1 + spread, size=(draws, m)),
            dimension_weights=base_v[scheme] * rng.uniform(1 - spread, 1 + spread, size=(draws, base_v.shape[1])),
            missing=rng.integers(len(missing), size=draws).astype(np.int8),
            aggregation=rng.integers(len(aggregation), size=draws).astype(np.int8),
            scheme=scheme,
            dropped=(rng.integers(NO_DROP, m, size=draws) if drop_one else np.full(draws, NO_DROP)).astype(np.int32),
        )

    sample_a, sample_b = sample(), sample()
    nominal = Choices(
        indicator_weights=indicator_weights(model)[None, :], dimension_weights=dimension_weights(model)[None, :],
        missing=np.zeros(1, int), aggregation=np.zeros(1, int), scheme=np.zeros(1, int), dropped=np.full(1, NO_DROP),
    )
    total = 1 + draws * (2 + len(varying))
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    # One batch of draws scored at a time, each mixed sample's index dropped once ranked: the
    # memory a million draws take is a few arrays of draws x states, not (2 + factors) of each.
    nominal_index, nominal_dyadic = evaluate(nominal, tables, step)
    nominal_rank = competition_ranks(nominal_index)[0]
    index_a, dyadic_a = evaluate(sample_a, tables, step)
    rank_a = competition_ranks(index_a)
    rank_b = competition_ranks(evaluate(sample_b, tables, step)[0])
    mixed_ranks = ((f, competition_ranks(evaluate(sample_a.with_factor_from(sample_b, f), tables, step)[0])) for f in varying)

    isos = [c.iso3 for c in members]
    first, total_effect = sobol_indices(rank_a, rank_b, mixed_ranks)
    if draws < MIN_DRAWS_FOR_SHARES:
        first = {f: np.full(len(isos), np.nan) for f in first}
        total_effect = {f: np.full(len(isos), np.nan) for f in total_effect}
    states = _state_table(members, nominal_index[0], nominal_rank, index_a, rank_a)
    order = states.index
    first = pd.DataFrame(first, index=isos).reindex(order)
    if varying:
        first["interactions"] = 1 - first[list(varying)].sum(axis=1, skipna=False)
    total_effect = pd.DataFrame(total_effect, index=isos).reindex(order)
    stable, pairs = stable_pairs(np.vstack([nominal_index, index_a]))
    region = _region_table(nominal_index[0], nominal_dyadic[0], index_a, dyadic_a)
    settings = {
        "year": year,
        "draws": draws,
        "seed": seed,
        "weight_spread_percent": round(spread * 100, 6),
        "schemes": [s.name for s in schemes] if schemes else None,
        "missing": list(missing),
        "aggregation": list(aggregation),
        "drop_one": drop_one,
        "shares_min_draws": MIN_DRAWS_FOR_SHARES,
        "nominal": {"weights": "as scored", "missing": missing[0], "aggregation": aggregation[0], "drop_one": None},
    }
    return SensitivityResult(
        year=year, draws=draws, seed=seed, factors=varying, scorings=total, states=states,
        first_order=first, total_effect=total_effect, region=region, stable_pairs=stable, pairs=pairs,
        index_draws=pd.DataFrame(index_a, columns=isos).rename_axis(index="draw"),
        rank_draws=pd.DataFrame(rank_a, columns=isos).rename_axis(index="draw"),
        region_draws=pd.DataFrame({"mean": _nanmean_rows(index_a), "dyadic_harmonization": dyadic_a}).rename_axis(index="draw"),
        settings=settings,
    )


def evaluate(choices: Choices, tables: _Tables, step: Callable[[int], None] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Score every draw of `choices`: return the index (draws x states) and the dyadic
    harmonization (draws,). The formulas are harmon.core.scoring's, with a leading axis of draws."""
    policies, _, states, m = tables.scored.shape
    k = tables.membership.shape[1]
    n = len(choices)
    index = np.empty((n, states))
    dyadic = np.empty(n)
    chunk = max(1, _CHUNK_CELLS // max(states * max(m, k, states), 1))
    for start in range(0, n, chunk):
        rows = slice(start, min(start + chunk, n))
        w = choices.indicator_weights[rows].copy()
        dropped = choices.dropped[rows]
        w[np.flatnonzero(dropped != NO_DROP), dropped[dropped != NO_DROP]] = 0.0
        v = choices.dimension_weights[rows]
        policy = choices.missing[rows]
        chosen = choices.aggregation[rows]
        block = np.full((len(policy), states), np.nan)
        for a, name in enumerate(tables.aggregations):
            use = chosen == a
            if use.any():
                dims = dimension_scores(tables.scored[policy[use], a], w[use], tables.membership)
                block[use] = aggregate(dims, v[use], name)
        index[rows] = block
        dyadic[rows] = dyadic_harmonization_within(tables.dyadic[policy], _effective_weights(w, v, tables.membership),
                                                   tables.dyadic_lo, tables.dyadic_hi)
        if step is not None:
            step(len(policy))
    return index, dyadic


def competition_ranks(index: np.ndarray) -> np.ndarray:
    """Rank (1 = highest; ties share the lower number) of each state (column) in each draw
    (row) of `index`; NaN where the index is NaN. As `harmon.core.scoring.rank`, row by row."""
    ranks = np.empty(index.shape)
    chunk = max(1, _CHUNK_CELLS // max(index.shape[1] ** 2, 1))
    for start in range(0, index.shape[0], chunk):  # in chunks: no temporary as large as `index`
        r = np.round(index[start:start + chunk], RANK_DECIMALS)
        block = (1 + (r[:, None, :] > r[:, :, None]).sum(axis=2)).astype(float)
        block[np.isnan(r)] = np.nan
        ranks[start:start + chunk] = block
    return ranks


def stable_pairs(index: np.ndarray) -> tuple[int, int]:
    """Of the pairs of states (columns) with an index in every draw (row), how many no draw
    orders both ways; return (stable pairs, pairs)."""
    rounded = np.round(index, RANK_DECIMALS)
    known = ~np.isnan(rounded).any(axis=0)
    r = rounded[:, known]
    above = np.zeros((r.shape[1], r.shape[1]), bool)
    below = np.zeros_like(above)
    chunk = max(1, _CHUNK_CELLS // max(r.shape[1] ** 2, 1))
    for start in range(0, r.shape[0], chunk):
        block = r[start:start + chunk]
        above |= (block[:, :, None] > block[:, None, :]).any(axis=0)
        below |= (block[:, :, None] < block[:, None, :]).any(axis=0)
    upper = np.triu(np.ones_like(above), k=1)
    pairs = int(upper.sum())
    return pairs - int((above & below & upper).sum()), pairs


def sobol_indices(
    y_a: np.ndarray, y_b: np.ndarray, y_mixed: dict[str, np.ndarray] | Iterable[tuple[str, np.ndarray]]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """First-order and total-effect Sobol' indices of each factor on each output (column).

    `y_a`, `y_b`: outputs (draws x outputs) of two independent samples; `y_mixed[f]`: of sample A
    with factor f taken from B (a mapping, or (f, output) pairs, used one at a time). First order (Saltelli et al. 2010): mean(y_B (y_ABf - y_A)) / V;
    total effect (Jansen 1999): mean((y_A - y_ABf)^2) / 2V; V the variance of y_A and y_B
    together, every y centred on their common mean. NaN where V is 0 (the output never varies). Draws with a NaN output are left out.
    """
    # Every mean is taken over chunks of draws, so that no temporary is as large as an output.
    centre = _nanmean_columns(lambda rows: np.vstack([y_a[rows], y_b[rows]]), len(y_a))
    variance = _nanmean_columns(lambda rows: (np.vstack([y_a[rows], y_b[rows]]) - centre) ** 2, len(y_a))
    varies = variance > 1e-12
    safe = np.where(varies, variance, 1.0)
    # Centring changes neither index but makes the first-order estimate far less noisy when the
    # mean is large against the spread (a rank of 7 that is sometimes 6), as SALib does.
    first, total = {}, {}
    for factor, y_ab in (y_mixed.items() if isinstance(y_mixed, dict) else y_mixed):
        first_mean = _nanmean_columns(lambda rows: (y_b[rows] - centre) * (y_ab[rows] - y_a[rows]), len(y_a))
        total_mean = _nanmean_columns(lambda rows: (y_a[rows] - y_ab[rows]) ** 2, len(y_a))
        with np.errstate(invalid="ignore", divide="ignore"):
            first[factor] = np.where(varies, first_mean / safe, np.nan)
            total[factor] = np.where(varies, total_mean / (2 * safe), np.nan)
    return first, total


def _nanmean_columns(values: Callable[[slice], np.ndarray], n: int) -> np.ndarray:
    """The mean of each column over the non-NaN cells of the rows `values(rows)` gives for
    chunks of `range(n)`; NaN for a column with none."""
    sums = counts = None
    for start in range(0, max(n, 1), _CHUNK_ROWS):
        block = values(slice(start, min(start + _CHUNK_ROWS, n)))
        known = ~np.isnan(block)
        part_sums, part_counts = np.where(known, block, 0.0).sum(axis=0), known.sum(axis=0)
        sums = part_sums if sums is None else sums + part_sums
        counts = part_counts if counts is None else counts + part_counts
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.where(counts > 0, counts, 1), np.nan)


# --- helpers -----------------------------------------------------------------------------------


def _check_draws(draws: Any) -> int:
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not 1 <= draws <= MAX_DRAWS:
        raise BadValue("draws", f"must be a whole number from 1 to {MAX_DRAWS:,}", repr(draws))
    return int(draws)


def _check_spread(spread: Any) -> float:
    if isinstance(spread, bool) or not isinstance(spread, (int, float)) or not 0 <= spread <= 1:
        shown = f"{spread * 100:g}%" if isinstance(spread, (int, float)) and not isinstance(spread, bool) else repr(spread)
        raise BadValue("weight_spread", "must be from 0% to 100% (a weight cannot go below 0)", shown)
    return float(spread)


def _check_choices(what: str, chosen: Sequence[str], check: Callable[[str], str]) -> tuple[str, ...]:
    if isinstance(chosen, str):
        chosen = [chosen]
    unique = tuple(dict.fromkeys(check(c) for c in chosen))
    if not unique:
        raise InvalidOption(f"give at least one {what}")
    return unique


def _tables(
    dataset: Dataset, year: int, missing: tuple[str, ...], aggregation: tuple[str, ...], rows: list[int]
) -> _Tables:
    facts = fact_scores(dataset, (year,))
    observed = [policy_scores(facts, p) for p in missing]
    # Left-out scores kept within their bounds at the model's weights (`counted_scores`).
    scored = np.array([[counted_scores(o, facts, dataset.model, a)[rows] for a in aggregation] for o in observed])
    shares = [dyadic_shares(o[rows], facts.lower[rows], facts.upper[rows]) for o in observed]
    dyadic = np.array([share for share, _, _ in shares])
    return _Tables(scored, dyadic, shares[0][1], shares[0][2], membership_matrix(dataset.model), aggregation)


def _effective_weights(w: np.ndarray, v: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """Each indicator's share of the index per draw: its share of its dimension's weight x the
    dimension's share of the dimensions with any weight left (docs/method.md)."""
    within = w @ membership  # (draws, dimensions)
    v = np.where(within > 0, v, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_unit = np.where(within > 0, v / v.sum(axis=1, keepdims=True) / np.where(within > 0, within, 1), 0.0)
    return w * (per_unit @ membership.T)


def _state_table(members: list, nominal_index: np.ndarray, nominal_rank: np.ndarray,
                 index: np.ndarray, ranks: np.ndarray) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column is reported as NaN
        frame = pd.DataFrame(
            {
                "country": [c.country for c in members],
                "nominal_index": nominal_index,
                "nominal_rank": nominal_rank,
                "median_rank": np.nanmedian(ranks, axis=0),
                "rank_p05": np.nanpercentile(ranks, 5, axis=0, method="inverted_cdf"),
                "rank_p95": np.nanpercentile(ranks, 95, axis=0, method="inverted_cdf"),
                "index_p05": np.nanpercentile(index, 5, axis=0),
                "index_median": np.nanmedian(index, axis=0),
                "index_p95": np.nanpercentile(index, 95, axis=0),
            },
            index=pd.Index([c.iso3 for c in members], name="iso3"),
        )
    frame = frame.astype({c: "Int64" for c in ("nominal_rank", "rank_p05", "rank_p95")})
    return in_rank_order(frame, "nominal_rank")


def _nanmean_rows(values: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a draw (year) with no index: NaN
        return np.nanmean(values, axis=1) if values.shape[1] else np.full(values.shape[0], np.nan)


def _region_table(nominal_index: np.ndarray, nominal_dyadic: float, index: np.ndarray, dyadic: np.ndarray) -> pd.DataFrame:
    means = _nanmean_rows(index)
    nominal_mean = _nanmean_rows(nominal_index[None, :])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        rows = {
            "mean": [nominal_mean, *np.nanpercentile(means, [5, 50, 95])],
            "dyadic_harmonization": [nominal_dyadic, *np.nanpercentile(dyadic, [5, 50, 95])],
        }
    return pd.DataFrame.from_dict(rows, orient="index", columns=["nominal", "p05", "median", "p95"])

