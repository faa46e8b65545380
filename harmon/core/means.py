"""The weighted mean over counted values: the one formula the index, dimension scores and dyadic
harmonization share (docs/method.md)."""

from __future__ import annotations

import numpy as np

def weighted_mean(values: np.ndarray, counted: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean over the last axis of `values`, of the cells where `counted` is true; NaN
    where none is."""
    w = counted * weights
    total = w.sum(axis=-1)
    sums = (np.nan_to_num(values) * w).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, sums / np.where(total > 0, total, 1), np.nan)
