"""Membership of the region: the one place that answers "was this state a member in that year?".

Every computation that needs membership asks here, so that how membership is recorded (today a
year of admission, `member_since`) is read in one place only.
"""

from __future__ import annotations

from typing import Any, Iterable


def is_member(country: Any, year: int) -> bool:
    """Whether `country` (a country file) was a member of the region in `year`."""
    return year >= country.member_since


def member_years(country: Any, years: Iterable[int]) -> list[bool]:
    """`is_member(country, year)` for each of `years`, in order."""
    return [is_member(country, y) for y in years]
