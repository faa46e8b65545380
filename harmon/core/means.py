"""The weighted mean over counted values: the one formula the index, dimension scores and dyadic
harmonization share (docs/method.md)."""

from __future__ import annotations

import numpy as np

def weighted_mean(values: np.ndarray, counted: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean over the last axis of `values`, of the cells where `counted` is true; NaN
    where none is. The weights are scaled to a largest of 1 first: only their ratios count, so
    that their scale cannot change a result (nor overflow the sums)."""
    weights = np.asarray(weights, dtype=float)
    largest = weights.max(axis=-1, keepdims=True) if weights.size else np.ones(weights.shape[:-1] + (1,))
    weights = weights / np.where(largest > 0, largest, 1)
    w = counted * weights
    total = w.sum(axis=-1)
    sums = (np.nan_to_num(values) * w).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, sums / np.where(total > 0, total, 1), np.nan)
