"""What the data cannot tell: the exact range of every index and rank that the recorded facts
allow (docs/method.md §13, "Bounds"). Every name follows that section.

An unknown indicator score lies in a known range [lo, hi] (`harmon.core.histories`); the index
is non-decreasing in every indicator score under both aggregations, so the index with every
unknown at its lo (its hi) is the smallest (largest) index any completion of the data gives.
"""

from __future__ import annotations

import numpy as np

# Bounds that differ by less than this are the same number computed along different paths.
BOUND_DECIMALS = 9


def rank_range(lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The best and worst rank each state can have among the states given (one year's members),
    from the bounds of their indices: best = 1 + the number of others whose lower bound exceeds
    its upper bound; worst = 1 + the number of others whose upper bound exceeds its lower bound.
    Exact, because each state's unknowns are its own: all can be at their extremes at once."""
    lo = np.round(np.asarray(lower, dtype=float), BOUND_DECIMALS)
    hi = np.round(np.asarray(upper, dtype=float), BOUND_DECIMALS)
    best = 1 + (lo[None, :] > hi[:, None]).sum(axis=1)
    # A state whose own range is open counts itself among those above its lower bound: not an other.
    worst = 1 + (hi[None, :] > lo[:, None]).sum(axis=1) - (hi > lo)
    return best, worst


def determined(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Whether each bound pair coincides: the data fix the value whatever the unknowns are."""
    return np.round(lower, BOUND_DECIMALS) == np.round(upper, BOUND_DECIMALS)


def mean_kept_within(values: np.ndarray, means: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                     group: np.ndarray) -> np.ndarray:
    """`values` (rows x items, NaN = left out of its group's weighted mean) with the left-out
    values of each row's group given `means` kept within [`lower`, `upper`], in the groups where
    that keeping changes one of them (docs/method.md §13, "Where the point value lies").

    Leaving a value out of a weighted mean is giving it the mean of the others; `means` holds,
    for each item, the mean its group's left-out values would so be given (NaN: none, the group
    has nothing counted). Where that mean lies outside a value's bounds the point would be the
    mean of no completion of the data, so every left-out value of the group takes the mean
    clipped to its own bounds instead. Elsewhere nothing changes. `group`: each item's group
    (column) number.
    """
    left_out = np.isnan(values) & ~np.isnan(means)
    kept = np.clip(means, lower, upper)
    moved = left_out & (kept != means)
    if not moved.any():
        return values
    groups = np.arange(int(group.max()) + 1)
    moved_in_group = (moved.astype(float) @ (group[:, None] == groups).astype(float)) > 0  # rows x groups
    return np.where(left_out & moved_in_group[:, group], kept, values)
