"""Regional measures: over the member states of one year, the mean index, its dispersion, dyadic
harmonization, each dimension's mean, sigma-convergence and adoption shares.

Every name follows docs/method.md, which gives each formula and a worked example.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from harmon.core.bounds import mean_kept_within
from harmon.core.means import weighted_mean
from harmon.errors import BadValue

if TYPE_CHECKING:
    from harmon.core.scoring import Panel

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


def dyadic_harmonization(shares: np.ndarray, effective_weights: np.ndarray) -> np.ndarray:
    """The mean of the indicators' dyadic shares weighted by their effective weights (those
    with a share only), over the last axis; NaN when no indicator has one."""
    return weighted_mean(shares, ~np.isnan(shares), effective_weights)


def dyadic_shares(observed: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For one year's members (rows of the policy's `observed` scores and of their bounds): each
    indicator's dyadic share over the observed pairs, clipped to the share's bounds (a share no
    completion of the data gives is replaced by the nearest one that some completion gives,
    docs/method.md §13; NaN stays NaN), and those bounds: the shares of the lower and of the
    upper score bounds, every pair counted."""
    lo, hi = dyadic_by_indicator(lower), dyadic_by_indicator(upper)
    shares = dyadic_by_indicator(observed)
    return np.where(np.isnan(shares), shares, np.clip(shares, lo, hi)), lo, hi


def region_figures(indices: np.ndarray, shares: np.ndarray, effective_weights: np.ndarray,
                   shares_lo: np.ndarray, shares_hi: np.ndarray) -> dict[str, Any]:
    """The regional figures of one year from its member states' indices and the indicators'
    dyadic shares and their bounds (`dyadic_shares`): `members`, `mean`, `dispersion` (population
    standard deviation) and `dyadic_harmonization` (`dyadic_harmonization_within`, so that it
    stays within its bounds). Members with no index count as members but not in mean or
    dispersion."""
    known = indices[~np.isnan(indices)]
    return {
        "members": int(indices.size),
        "mean": float(known.mean()) if known.size else float("nan"),
        "dispersion": float(known.std(ddof=0)) if known.size else float("nan"),
        "dyadic_harmonization": float(dyadic_harmonization_within(shares, effective_weights, shares_lo, shares_hi)),
    }


def dyadic_harmonization_within(shares: np.ndarray, effective_weights: np.ndarray, shares_lo: np.ndarray,
                                shares_hi: np.ndarray) -> np.ndarray:
    """`dyadic_harmonization` with the indicators that have no share counted at its mean kept
    within their share's bounds wherever that mean lies outside them
    (`harmon.core.bounds.mean_kept_within`), so that it stays within its own bounds. `shares`
    and `effective_weights` may have a leading axis of draws."""
    shares = np.asarray(shares, dtype=float)
    if shares.shape[-1] == 0:
        return dyadic_harmonization(shares, effective_weights)
    rows = shares.reshape(-1, shares.shape[-1])
    weights = np.broadcast_to(effective_weights, shares.shape).reshape(rows.shape)
    mean = dyadic_harmonization(rows, weights)
    counted = mean_kept_within(rows, np.repeat(mean[:, None], rows.shape[1], axis=1), shares_lo, shares_hi,
                               np.zeros(rows.shape[1], dtype=int))
    return dyadic_harmonization(counted, weights).reshape(shares.shape[:-1])


def dimension_means(panel: "Panel") -> pd.DataFrame:
    """The regional mean of each dimension score over the member states, one row per year of
    `panel` (NaN in a year with no member or none scored on the dimension)."""
    members = panel.countries[panel.countries["member"]]
    means = members[list(panel.dimensions)].groupby(level="year").mean()
    return means.reindex(pd.Index(panel.years, name="year"))


def sigma_convergence(mean: float, dispersion: float) -> float:
    """The coefficient of variation dispersion / mean of one year's indices; NaN (undefined)
    when the mean is 0 or unknown. Never divides by zero."""
    if mean is None or dispersion is None or pd.isna(mean) or pd.isna(dispersion) or mean == 0:
        return float("nan")
    return float(dispersion) / float(mean)


def check_adopted_at(adopted_at: float | None) -> float | None:
    """Return `adopted_at` if it is a usable adoption threshold (None, or a score in (0, 1]);
    else raise `BadValue`."""
    if adopted_at is not None and not (0 < adopted_at <= 1):
        raise BadValue("adopted_at", "must be above 0 and at most 1", f"{adopted_at:g}")
    return adopted_at


def is_adopted(scores: Any, adopted_at: float | None = None) -> np.ndarray:
    """Whether each score counts as adoption (docs/method.md, "Adoption"): any scored level above
    0 by default, or at least `adopted_at`. A missing score (NaN) is False here: callers that must
    tell "not adopted" from "unknown" look at NaN themselves."""
    values = np.asarray(scores, dtype=float)
    with np.errstate(invalid="ignore"):
        return values > 0 if adopted_at is None else values >= adopted_at


def adoption_shares(scores: np.ndarray, member: np.ndarray, adopted_at: float | None = None) -> np.ndarray:
    """A(i,t) for every year and indicator at once (docs/method.md, "Adoption share of an
    indicator"): `scores` s(c,t,i), shape (states, years, indicators), NaN where not counted;
    `member` (states, years). Returns (years, indicators): the share of the member states observed
    on the indicator that have adopted it (`is_adopted`: by default any level above 0, so a limited
    provision counts); NaN where no member state is observed."""
    observed = member[:, :, None] & ~np.isnan(scores)
    n_observed = observed.sum(axis=0)
    n_adopted = (observed & is_adopted(scores, adopted_at)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n_observed > 0, n_adopted / np.where(n_observed > 0, n_observed, 1), np.nan)
