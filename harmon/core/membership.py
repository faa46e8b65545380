"""Who was a member of the region's organisation in which year, as an array for the engine. The
rule itself (`member_since`, or spells with gaps) is `CountryFile.spells` and `is_member`
(docs/method.md, "Membership")."""

from __future__ import annotations

from typing import Iterable

import numpy as np

from harmon.data.loading import Dataset


def member_matrix(dataset: Dataset, years: Iterable[int]) -> np.ndarray:
    """Membership as a boolean array of shape (states, years): states in dataset order; the same
    answers as `CountryFile.is_member`, a year at a time."""
    t = np.asarray(list(years), dtype=float)
    member = np.zeros((len(dataset.countries), t.size), dtype=bool)
    for c, country in enumerate(dataset.countries):
        for first, last in country.spells:
            member[c] |= (t >= first) & (t <= (np.inf if last is None else last))
    return member
