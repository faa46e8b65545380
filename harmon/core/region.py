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


def dyadic_kept_within(shares: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Each indicator's dyadic share over the observed pairs, clipped to the share's bounds
    (`lower`, `upper`: the shares of the members' lower and upper score bounds, every pair
    counted): a share no completion of the data gives is replaced by the nearest one that some
    completion gives (docs/method.md §13). NaN stays NaN."""
    return np.where(np.isnan(shares), shares, np.clip(shares, lower, upper))


def region_figures(indices: np.ndarray, shares: np.ndarray, effective_weights: np.ndarray,
                   shares_lo: np.ndarray | None = None, shares_hi: np.ndarray | None = None) -> dict[str, Any]:
    """The regional figures of one year from its member states' indices and the indicators'
    dyadic shares: `members`, `mean`, `dispersion` (population standard deviation) and
    `dyadic_harmonization`. Members with no index count as members but not in mean or dispersion.
    With the shares' bounds (`shares_lo`, `shares_hi`), an indicator with no share counts in
    dyadic harmonization as `harmon.core.bounds.mean_kept_within` gives it, so that the
    figure stays within its bounds."""
    known = indices[~np.isnan(indices)]
    counted = shares
    if shares_lo is not None and shares_hi is not None and shares.size:
        mean = dyadic_harmonization(shares, effective_weights)
        counted = mean_kept_within(shares[None, :], np.full((1, shares.size), mean), shares_lo[None, :],
                                   shares_hi[None, :], np.zeros(shares.size, dtype=int))[0]
    return {
        "members": int(indices.size),
        "mean": float(known.mean()) if known.size else float("nan"),
        "dispersion": float(known.std(ddof=0)) if known.size else float("nan"),
        "dyadic_harmonization": float(dyadic_harmonization(counted, effective_weights)),
    }


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
