"""Diffusion over time: when each member state adopted each indicator, the cumulative adoption
curves, the adoptions in windows around the region's milestones and the state-indicator-year
table "at risk" of adoption for event-history models.

Adoption is read off the engine's indicator scores (`harmon.core.scoring.indicator_scores`) with
the threshold of `harmon.core.region.is_adopted`, so whatever the engine scores is what adoption
counts. Every name follows docs/method.md ("Adoption", "Diffusion").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from harmon.core.membership import member_matrix
from harmon.core.region import check_adopted_at, is_adopted
from harmon.core.scoring import Panel, indicator_scores
from harmon.data.loading import Dataset
from harmon.errors import BadValue, InvalidOption
from harmon.names import slug
from harmon.suggest import did_you_mean


@dataclass(frozen=True)
class Milestone:
    """A regional milestone with its stable `id` (`milestone_ids`)."""

    id: str
    year: int
    date: str | None
    kind: str
    title: str
    source: tuple[str, ...]


def milestone_ids(dataset: Dataset) -> list[str]:
    """Each regional milestone's id, in file order: the slug of its kind and year
    ("declaration-2004"); a second milestone of the same kind and year gets "-2", and so on."""
    ids, seen = [], {}
    for m in dataset.region.milestones:
        base = slug(f"{m.kind}-{m.year}")
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def milestones(dataset: Dataset, ids: Iterable[str] | None = None) -> tuple[Milestone, ...]:
    """The regional milestones (those of `ids` only, when given) in file order; an unknown id
    raises `InvalidOption` with the closest one."""
    all_ids = milestone_ids(dataset)
    found = tuple(
        Milestone(i, m.year, m.date, m.kind, m.title, tuple(m.source))
        for i, m in zip(all_ids, dataset.region.milestones)
    )
    if ids is None:
        return found
    wanted = list(dict.fromkeys(ids))
    for i in wanted:
        if i not in all_ids:
            raise InvalidOption(f"unknown milestone {i!r}{did_you_mean(i, all_ids)}; milestones: {', '.join(all_ids)}")
    return tuple(m for m in found if m.id in wanted)


# --- adoption per state and indicator ----------------------------------------------------------


@dataclass(frozen=True)
class Adoption:
    """Adoption over the years `years` (the period asked for), for the states (dataset order)
    and indicators (model order) of `dataset`.

    `scores`: s(c,i,t), shape (states, years + 1, indicators); position 0 is the year before the
    period, so that an adoption in its first year can be told from one before it.
    `member`: (states, years + 1) booleans. `adopted_by`: (states, years + 1, indicators) floats:
    1 where the state had adopted by that year (in that year or earlier), 0 where it is known not
    to have, NaN where unknown.
    """

    years: tuple[int, ...]
    indicators: tuple[str, ...]
    isos: tuple[str, ...]
    names: tuple[str, ...]
    scores: np.ndarray
    member: np.ndarray
    adopted_by: np.ndarray
    adopted_at: float | None


def adoption(dataset: Dataset, first: int | None = None, last: int | None = None,
             adopted_at: float | None = None, panel: Panel | None = None) -> Adoption:
    """Score `first`-`last` (default: the data's period) and the year before it, and return who
    had adopted what by when (`Adoption`), at threshold `adopted_at` (None: any level above 0).
    With `panel` (`score_panel` of `first`-`last`), its recorded scores are used, not scored again."""
    check_adopted_at(adopted_at)
    first, last = dataset.check_period(first, last)
    scored_years = tuple(range(first - 1, last + 1))
    n_states, n_years = len(dataset.countries), len(scored_years)
    indicators = tuple(dataset.model.indicators)
    if panel is not None and panel.years == scored_years[1:] and panel.recorded_before is not None:
        recorded = panel.countries[list(indicators)].to_numpy(dtype=float).reshape(n_states, n_years - 1, len(indicators))
        s = np.concatenate([panel.recorded_before[:, None, :], recorded], axis=1)
    else:
        s = indicator_scores(dataset, scored_years).reshape(n_states, n_years, len(indicators))
    adopted = is_adopted(s, adopted_at)
    ever = np.maximum.accumulate(adopted, axis=1)  # adopted in this year or an earlier one
    adopted_by = np.where(ever, 1.0, np.where(np.isnan(s), np.nan, 0.0))
    member = member_matrix(dataset, scored_years)
    return Adoption(
        tuple(range(first, last + 1)), indicators, tuple(c.iso3 for c in dataset.countries),
        tuple(c.country for c in dataset.countries), s, member, adopted_by, adopted_at,
    )


def adoption_curves(result: Adoption) -> pd.DataFrame:
    """The cumulative adoption curve of each indicator: one row per indicator (model order) and
    year, with `adopted` (member states that had adopted by that year), `known` (member states
    whose adoption by then is known: adopted, or known not to have) and `share` = adopted / known
    (NaN when none is known), and `members`."""
    rows = []
    for k, indicator in enumerate(result.indicators):
        for y, year in enumerate(result.years, start=1):
            members = result.member[:, y]
            by = result.adopted_by[members, y, k]
            adopted, known = int((by == 1).sum()), int((~np.isnan(by)).sum())
            rows.append({"indicator": indicator, "year": year, "members": int(members.sum()),
                         "known": known, "adopted": adopted, "share": adopted / known if known else np.nan})
    return pd.DataFrame(rows, columns=["indicator", "year", "members", "known", "adopted", "share"])


def at_risk(result: Adoption) -> pd.DataFrame:
    """The event-history table: one row per member state x indicator x year at risk of adoption,
    from the first year of the period in which the state is a member up to and including the year
    it adopts (or the period's last year). A state that had adopted before it was at risk has no
    rows.

    Columns: `iso3`, `country`, `indicator`, `year`, `entry` (its first year at risk), `time`
    (years at risk so far, 1 in the entry year), `score` (s, NaN = unknown), `unknown` (1 where the
    score is unknown), `adopted` (1 in the year the score first reaches the threshold),
    `adoption_year_known` (on every row of the state-indicator: 1 if it adopts and its score the
    year before is known not to be adopted, 0 if it adopts after an unknown year, so that the
    adoption may lie earlier; NA if it does not adopt in the period) and `share_adopted_before`
    (among the other member states of the year before whose adoption by then is known, the share
    that had adopted; NaN when none is known). Rows: states in dataset order, indicators in model
    order, then years."""
    member, by, scores = result.member, result.adopted_by, result.scores
    adopted_now = is_adopted(scores, result.adopted_at)  # (states, years + 1, indicators)
    # The share of the other members that had adopted the year before, for every state at once:
    # the members' known adoptions of each year, less the state's own.
    known = member[:, :, None] & ~np.isnan(by)
    adopted = known & (by == 1)
    share_before = np.full(scores.shape, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        others_known = known.sum(axis=0)[None] - known
        others_adopted = adopted.sum(axis=0)[None] - adopted
        share_before[:, 1:] = np.where(others_known[:, :-1] > 0, others_adopted[:, :-1] / others_known[:, :-1], np.nan)
    # Every (state, year, indicator) of the period at once, position 0 (the year before) left out.
    # A row is at risk when the state is a member that year, had not adopted by the year before
    # its entry, and has not adopted in an earlier member year of the period.
    in_period = member[:, 1:]  # (states, years)
    joined = in_period.any(axis=1)
    entry = np.where(joined, in_period.argmax(axis=1), 0)  # first member year, 0-based in the period
    states = np.arange(len(result.isos))
    before_entry = by[states, entry]  # (states, indicators): position entry is the year before it
    adopting = in_period[:, :, None] & adopted_now[:, 1:]
    adopted_earlier = np.cumsum(adopting, axis=1) - adopting  # adoptions in earlier member years
    at = in_period[:, :, None] & (adopted_earlier == 0) & (joined[:, None] & (before_entry != 1))[:, None, :]
    # The adoption year of each state-indicator (its last row when it adopts), 0-based in the
    # period, and whether the score the year before it (at position `when`) is known and not adopted.
    adopts = (at & adopting).any(axis=1)  # (states, indicators)
    when = (at & adopting).argmax(axis=1)
    k = np.arange(len(result.indicators))
    before = scores[states[:, None], when, k[None, :]]
    year_known = (~np.isnan(before) & ~adopted_now[states[:, None], when, k[None, :]]).astype("int64")
    # Rows in the order states, indicators, years: the (states, years, indicators) arrays with
    # their last two axes swapped, then the rows at risk.
    rows = at.transpose(0, 2, 1)
    c, i, y = np.nonzero(rows)

    def pick(values: np.ndarray) -> np.ndarray:
        return values[:, 1:].transpose(0, 2, 1)[rows]

    years = np.array(result.years, dtype="int64")
    time = np.cumsum(in_period, axis=1)  # member years so far, 1 in the entry year
    frame = pd.DataFrame({
        "iso3": pd.Series(np.array(result.isos, dtype=object)[c], dtype=object),
        "country": pd.Series(np.array(result.names, dtype=object)[c], dtype=object),
        "indicator": pd.Series(np.array(result.indicators, dtype=object)[i], dtype=object),
        "year": years[y],
        "entry": years[entry[c]],
        "time": time[c, y].astype("int64"),
        "score": pick(scores),
        "unknown": np.isnan(pick(scores)).astype("int64"),
        "adopted": pick(adopted_now).astype("int64"),
        "adoption_year_known": pd.arrays.IntegerArray(year_known[c, i], ~adopts[c, i]),
        "share_adopted_before": pick(share_before),
    })
    return frame


def adoptions(result: Adoption) -> pd.DataFrame:
    """Every adoption while at risk: `iso3`, `country`, `indicator`, `year` and `year_known`
    (False where the state's score the year before is unknown, so that the adoption may lie
    earlier). States in dataset order, then indicators in model order."""
    events = at_risk(result)
    done = events[events["adopted"] == 1]
    return pd.DataFrame({
        "iso3": done["iso3"], "country": done["country"], "indicator": done["indicator"], "year": done["year"],
        "year_known": done["adoption_year_known"].astype(bool),
    }).reset_index(drop=True)


def windows(result: Adoption, chosen: tuple[Milestone, ...], window: int) -> pd.DataFrame:
    """Adoptions around each milestone of `chosen`: one row per milestone and indicator (model
    order), then a total row per milestone (`indicator` None), with `before` (adoptions dated in
    the `window` years before the milestone's year), `same_year` (in its year), `after` (in the
    `window` years after it) and `undated` (adoptions whose year is not known, which no window
    can count). `window` must be at least 1."""
    if window < 1:
        raise BadValue("window", "must be at least 1", str(window))
    done = adoptions(result)
    dated = done[done["year_known"]]
    undated = done[~done["year_known"]]
    rows = []
    for m in chosen:
        for indicator in (*result.indicators, None):
            years = dated["year"] if indicator is None else dated.loc[dated["indicator"] == indicator, "year"]
            n_undated = len(undated) if indicator is None else int((undated["indicator"] == indicator).sum())
            rows.append({
                "milestone": m.id, "year": m.year, "indicator": indicator,
                "before": int(years.between(m.year - window, m.year - 1).sum()),
                "same_year": int((years == m.year).sum()),
                "after": int(years.between(m.year + 1, m.year + window).sum()),
                "undated": n_undated,
            })
    return pd.DataFrame(rows, columns=["milestone", "year", "indicator", "before", "same_year", "after", "undated"])


@dataclass(frozen=True)
class AdoptionReport:
    """What `harmon adoption` shows: the cumulative `curves` (`adoption_curves`) over `years`,
    the milestones of the period, and the adoptions in `window` years around the `chosen`
    milestones (`windows`; per indicator and in total)."""

    years: tuple[int, ...]
    adopted_at: float | None
    window: int
    curves: pd.DataFrame
    milestones: tuple[Milestone, ...]
    chosen: tuple[Milestone, ...]
    windows: pd.DataFrame


def adoption_report(dataset: Dataset, first: int | None = None, last: int | None = None,
                    adopted_at: float | None = None, milestone_ids: Iterable[str] | None = None,
                    window: int = 3) -> AdoptionReport:
    """The curves of `first`-`last` (default: the data's period) at threshold `adopted_at`, and
    the windows of `window` years around the milestones `milestone_ids` (default: every
    milestone of the period)."""
    result = adoption(dataset, first, last, adopted_at)
    in_period = tuple(m for m in milestones(dataset) if result.years[0] <= m.year <= result.years[-1])
    chosen = in_period if milestone_ids is None else milestones(dataset, milestone_ids)
    return AdoptionReport(result.years, adopted_at, window, adoption_curves(result), in_period, chosen,
                          windows(result, chosen, window))
