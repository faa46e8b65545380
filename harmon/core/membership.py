"""Who was a member of the region's organisation in which year: the one place that reads
`member_since` and membership spells (docs/method.md, "Membership")."""

from __future__ import annotations

from typing import Iterable

import numpy as np

from harmon.data.loading import Dataset
from harmon.data.schema import CountryFile


def is_member(country: CountryFile, year: int) -> bool:
    """Whether `country` was a member in `year` (a year in a gap between spells is not)."""
    return country.is_member(year)


def member_years(country: CountryFile, years: Iterable[int]) -> list[bool]:
    """`is_member` for each of `years`, in their order."""
    return [country.is_member(int(y)) for y in years]


def member_matrix(dataset: Dataset, years: Iterable[int]) -> np.ndarray:
    """Membership as a boolean array of shape (states, years): states in dataset order."""
    t = np.asarray(list(years), dtype=float)[None, :]
    member = np.zeros((len(dataset.countries), t.shape[1]), dtype=bool)
    for c, country in enumerate(dataset.countries):
        for first, last in country.spells:
            member[c] |= (t[0] >= first) & (t[0] <= (np.inf if last is None else last))
    return member
