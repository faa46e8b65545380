"""Each state's facts over the years: which entry of a history holds in a year, and in every
year the indicator score s(c,i,t), its bounds [lo, hi] and its backfilled value.

The rules are docs/method.md §1-2 and §12 ("What the data cannot tell"); the names follow it.
A single fact is a history of one entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from harmon.data.loading import Dataset
from harmon.data.schema import Fact

ABSENT = 0.0  # the score of a provision known not to exist (before an event, say)
NAN = float("nan")


@dataclass(frozen=True)
class FactScores:
    """Indicator scores of every state (dataset order) in every year asked, as arrays of shape
    (states x years, indicators), rows state-major, columns in model order.

    `recorded`: s(c,i,t), NaN where unknown. `lower`, `upper`: the bounds of s, the lowest and
    highest score the data allows (equal where s is known). `backfilled`: s with unknown years
    given the level of the next later entry that has one (the `backfill` policy).
    """

    recorded: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    backfilled: np.ndarray


@dataclass(frozen=True)
class Segment:
    """A run of years [first, end) of one state's indicator with one score, bounds and backfill."""

    first: float
    end: float
    score: float
    lower: float
    upper: float
    backfilled: float


def entry_in(history: Sequence[Fact], year: int) -> Fact | None:
    """The entry of `history` that holds in `year`: the latest that started by then, else the
    first (whose rule says what is known before it); None for an empty history."""
    return history[int(held_entries(history, [year])[0])] if history else None


def held_entries(history: Sequence[Fact], years: Iterable[int]) -> np.ndarray:
    """For each of `years`, the place in `history` (not empty) of the entry that holds, as
    `entry_in` picks it. An entry with no start (a lone `unknown`) never starts: the first holds."""
    # Histories start in increasing years (validated), so the latest started is a sorted search.
    starts = [f.known_from if f.known_from is not None else np.inf for f in history]
    return np.clip(np.searchsorted(starts, np.asarray(list(years)), side="right") - 1, 0, None)


def history_segments(
    history: Sequence[Fact], levels: dict[str, float | None], scale: tuple[float, float], event: bool
) -> list[Segment]:
    """The runs of years of one history, oldest first, covering every year the history speaks of;
    years no segment covers are unknown over the whole scale.

    Before the first entry: known absent before an event's year (or before an event observed
    not to have happened), and before `absent_before`; unknown otherwise. Each entry holds from
    its start until the next starts; where the next entry has no start year (`observed` only),
    the years between the last year this entry is known and the next entry are unknown between
    the two levels (known where the two are equal).
    """
    if not history:
        return []
    scale_lo, scale_hi = scale
    level = [levels[f.status] for f in history]

    def next_known(k: int) -> float:
        # The backfilled value of an unknown year before entry k: the next level that scores.
        return next((v for v in level[k:] if v is not None), NAN)

    def between(*values: float | None) -> tuple[float, float]:
        # The bounds of a score known to be one of `values` (None: anything on the scale).
        if any(v is None for v in values):
            return scale_lo, scale_hi
        return min(values), max(values)  # type: ignore[type-var]

    segments = []
    first = history[0]
    absent_until = None
    if event and first.known_from is not None and (first.year is not None or level[0] == ABSENT):
        # An event is absent before its year; one not yet happened when observed had not
        # happened in any earlier year either.
        absent_until = first.known_from
    elif first.absent_before is not None:
        absent_until = first.absent_before
    if absent_until is not None:
        segments.append(Segment(-np.inf, absent_until, ABSENT, ABSENT, ABSENT, ABSENT))
    begins = first.known_from if first.known_from is not None else np.inf  # an undated unknown: never
    unknown_from = absent_until if absent_until is not None else -np.inf
    if unknown_from < begins:
        segments.append(Segment(unknown_from, begins, NAN, scale_lo, scale_hi, next_known(0)))
    for k, fact in enumerate(history):
        if fact.known_from is None:
            continue
        following = history[k + 1] if k + 1 < len(history) else None
        end = following.known_from if following is not None else np.inf
        held_until = end
        if following is not None and following.year is None:
            # When the change to the next entry happened is not known: after the last year this
            # entry is known to hold, the score lies between the two levels.
            held_until = min(end, fact.known_until + 1)
        v = level[k]
        score = NAN if v is None else v
        lo, hi = between(v)
        segments.append(Segment(fact.known_from, held_until, score, lo, hi, score if v is not None else next_known(k + 1)))
        if held_until < end:
            same = v is not None and v == level[k + 1]
            gap_lo, gap_hi = between(v, level[k + 1])
            segments.append(Segment(held_until, end, v if same else NAN, gap_lo, gap_hi, v if same else next_known(k + 1)))
    return segments


def fact_scores(dataset: Dataset, years: Iterable[int]) -> FactScores:
    """s(c,i,t), its bounds and its backfilled value for every state, year and indicator of the
    model (a `FactScores`), with the model's `requires` applied: where a required indicator is
    known absent, so is the indicator that requires it."""
    model = dataset.model
    indicators = list(model.indicators.values())
    t = np.asarray(list(years), dtype=float)
    n_states, n_years, n_ind = len(dataset.countries), t.size, len(indicators)
    lo_scale = np.array([model.scale_bounds(i)[0] for i in indicators])
    hi_scale = np.array([model.scale_bounds(i)[1] for i in indicators])
    shape = (n_states, n_years, n_ind)
    recorded = np.full(shape, np.nan)
    backfilled = np.full(shape, np.nan)
    lower = np.broadcast_to(lo_scale, shape).copy()
    upper = np.broadcast_to(hi_scale, shape).copy()

    rows: list[tuple[int, int, Segment]] = []
    for c, country in enumerate(dataset.countries):
        for k, indicator in enumerate(indicators):
            history = country.history(indicator.id)
            if history:
                scale = (lo_scale[k], hi_scale[k])
                segments = history_segments(history, model.level_scores(indicator), scale, indicator.kind == "event")
                rows += [(c, k, s) for s in segments]
    if rows:
        # Every segment's years at once: segments of one state and indicator never overlap.
        first = np.array([s.first for _, _, s in rows])[:, None]
        end = np.array([s.end for _, _, s in rows])[:, None]
        seg, year = np.nonzero((t[None, :] >= first) & (t[None, :] < end))
        c = np.array([r[0] for r in rows])[seg]
        k = np.array([r[1] for r in rows])[seg]
        for target, field in ((recorded, "score"), (lower, "lower"), (upper, "upper"), (backfilled, "backfilled")):
            target[c, year, k] = np.array([getattr(s, field) for _, _, s in rows])[seg]

    index = {i.id: k for k, i in enumerate(indicators)}
    for k in _requiring_order(indicators):
        r = index[indicators[k].requires]
        for target, absent in ((recorded, recorded[..., r] == ABSENT), (backfilled, backfilled[..., r] == ABSENT),
                               (upper, upper[..., r] == ABSENT), (lower, lower[..., r] == ABSENT)):
            target[..., k] = np.where(absent, ABSENT, target[..., k])

    def flat(a: np.ndarray) -> np.ndarray:
        return a.reshape(n_states * n_years, n_ind)

    return FactScores(flat(recorded), flat(lower), flat(upper), flat(backfilled))


def _requiring_order(indicators: list) -> list[int]:
    """The positions of the indicators that require another, each after the one it requires (the
    model rejects circles), so that a chain passes absence along."""
    position = {i.id: k for k, i in enumerate(indicators)}
    order: list[int] = []

    def visit(k: int) -> None:
        if k in order or indicators[k].requires is None:
            return
        visit(position[indicators[k].requires])
        order.append(k)

    for k in range(len(indicators)):
        visit(k)
    return order
