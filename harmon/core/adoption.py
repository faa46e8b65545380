"""Diffusion over time: when each member state adopted each indicator, the cumulative adoption
curves, the adoptions in windows around the region's milestones and the state-indicator-year
table "at risk" of adoption for event-history models.

Adoption is read off the engine's indicator scores (`harmon.core.scoring.indicator_scores`) with
the threshold of `harmon.core.region.is_adopted`, so whatever the engine scores is what adoption
counts. Every name follows docs/method.md ("Adoption", "Diffusion").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from harmon.core.membership import member_matrix
from harmon.core.region import check_adopted_at, is_adopted
from harmon.core.scoring import indicator_scores
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
             adopted_at: float | None = None) -> Adoption:
    """Score `first`-`last` (default: the data's period) and the year before it, and return who
    had adopted what by when (`Adoption`), at threshold `adopted_at` (None: any level above 0)."""
    check_adopted_at(adopted_at)
    first, last = dataset.check_period(first, last)
    scored_years = tuple(range(first - 1, last + 1))
    n_states, n_years = len(dataset.countries), len(scored_years)
    indicators = tuple(dataset.model.indicators)
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
    n_states = len(result.isos)
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
    columns: dict[str, list[Any]] = {name: [] for name in (
        "iso3", "country", "indicator", "year", "entry", "time", "score", "unknown", "adopted",
        "adoption_year_known", "share_adopted_before")}
    for c in range(n_states):
        at = [y for y in range(1, len(result.years) + 1) if member[c, y]]
        for k, indicator in enumerate(result.indicators):
            if not at or by[c, at[0] - 1, k] == 1:
                continue  # never a member in the period, or adopted before it was at risk
            spell = []
            for y in at:
                spell.append(y)
                if adopted_now[c, y, k]:
                    break
            last_y = spell[-1]
            year_known: Any = pd.NA
            if adopted_now[c, last_y, k]:
                before = scores[c, last_y - 1, k]
                year_known = int(not np.isnan(before) and not adopted_now[c, last_y - 1, k])
            n = len(spell)
            columns["iso3"] += [result.isos[c]] * n
            columns["country"] += [result.names[c]] * n
            columns["indicator"] += [indicator] * n
            columns["year"] += [result.years[y - 1] for y in spell]
            columns["entry"] += [result.years[at[0] - 1]] * n
            columns["time"] += list(range(1, n + 1))
            columns["score"] += [scores[c, y, k] for y in spell]
            columns["unknown"] += [int(np.isnan(scores[c, y, k])) for y in spell]
            columns["adopted"] += [int(adopted_now[c, y, k]) for y in spell]
            columns["adoption_year_known"] += [year_known] * n
            columns["share_adopted_before"] += [share_before[c, y, k] for y in spell]
    frame = pd.DataFrame(columns)
    frame["adoption_year_known"] = frame["adoption_year_known"].astype("Int64")
    frame["score"] = frame["score"].astype("float64")
    frame["share_adopted_before"] = frame["share_adopted_before"].astype("float64")
    for name in ("year", "entry", "time", "unknown", "adopted"):
        frame[name] = frame[name].astype("int64")
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
