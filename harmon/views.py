"""Views of the scores for people: explain an index, diff two years, the status matrix of the
paper's tables, the trend, the timeline, and finding a state by a name a person types.

Nothing here prints: each function returns a DataFrame or a dataclass of DataFrames, computed
from `harmon.scoring` so that every number agrees with `harmon score`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from harmon.errors import InvalidOption
from harmon.loading import Dataset
from harmon.schema import CountryFile, Fact, Indicator
from harmon.scoring import ABSENT, Panel, check_missing_policy, dimension_means, score_panel


class UnknownState(InvalidOption):
    """A state name or ISO code that matches no state, or more than one."""


class UnknownKind(InvalidOption):
    """A timeline kind that no milestone or indicator has."""


# --- finding a state ---------------------------------------------------------------------------


def _key(text: str) -> str:
    """Casefolded, without a leading "the" and without spaces or punctuation: "Viet Nam",
    "vietnam" and "VIET-NAM" are one key."""
    text = text.casefold().strip()
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[\W_]+", "", text)


def find_state(dataset: Dataset, name: str) -> CountryFile:
    """The state named by `name`: its ISO code or its name, case-insensitive, or an unambiguous
    prefix of either. Raises `UnknownState` (with a "did you mean" where one is close)."""
    wanted = _key(name)
    if not wanted:
        raise UnknownState("a state needs a name or ISO code")
    states = list(dataset.countries)
    for exact in (lambda c: _key(c.iso3) == wanted, lambda c: _key(c.country) == wanted):
        found = [c for c in states if exact(c)]
        if len(found) == 1:
            return found[0]
    found = [c for c in states if _key(c.country).startswith(wanted) or _key(c.iso3).startswith(wanted)]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = ", ".join(f"{c.country} ({c.iso3})" for c in found)
        raise UnknownState(f"{name!r} could be any of: {names}; give more of the name")
    by_key = {_key(c.country): c for c in states} | {_key(c.iso3): c for c in states}
    close = difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(f"{by_key[k].country} ({by_key[k].iso3})" for k in close))
    hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
    known = ", ".join(c.iso3 for c in states)
    raise UnknownState(f"no state {name!r} in the data{hint} (states: {known})")


# --- rules and references ----------------------------------------------------------------------


def scoring_rule(dataset: Dataset, indicator: Indicator, fact: Fact | None) -> str:
    """The rule by which `fact` is scored, in words, as in docs/method.md ("Indicator score")."""
    if fact is None:
        return "not recorded: unknown in every year"
    level = dataset.model.level_scores(indicator)[fact.status]
    if level is None:
        return f"{fact.status}: unknown in every year"
    start = fact.known_from
    assert start is not None  # validated: a scored status has a year
    if indicator.kind == "event" and (fact.year is not None or level == ABSENT):
        if fact.year is not None:
            return f"event in {fact.year}: {level:g} from {fact.year}, 0 before"
        return f"not by {start} (observed): 0 in every year"
    how = f"since {fact.year}" if fact.year is not None else f"observed {start}"
    before = f"0 before {fact.absent_before}, unknown {fact.absent_before}-{start - 1}" if (
        fact.absent_before is not None and fact.absent_before < start
    ) else "unknown before"
    if fact.absent_before is not None and fact.absent_before == start:
        before = "0 before"
    return f"{how}: {level:g} from {start}, {before}"


def reference_rows(dataset: Dataset, keys: Iterable[str]) -> list[dict[str, str]]:
    """Each reference key as {key, author, title, locator} (what a reader needs to look it up)."""
    refs = dataset.references
    rows = []
    for key in keys:
        ref = refs.references[key]
        doc = refs.documents[ref.document]
        rows.append({"key": key, "author": doc.author, "title": doc.title, "locator": ref.locator})
    return rows


def reference_text(dataset: Dataset, keys: Iterable[str]) -> str:
    """References in one line: `author, "title", locator; ...`."""
    return "; ".join(f'{r["author"]}, "{r["title"]}", {r["locator"]}' for r in reference_rows(dataset, keys))


# --- explain -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """One state's index in one year, taken apart.

    `indicators`: one row per indicator in model order with `dimension`, `indicator`, `label`,
    `status` (as recorded, None when not recorded), `rule`, `score` (s, 0-1, NaN = unknown),
    `scored` (the value the policy uses: NaN becomes 0 under `zero`, the level known later under
    `backfill`), `weight` (within the
    dimension), `effective_weight` (the model's share of the index), `share` (the share of the
    index it actually carries in this year: 0 when unknown under `reweight`), `contribution`
    (points of the index: `scored` x `share` x 100; they sum to `index`), `sources` (keys) and
    `references` (author, title, locator).
    `dimensions`: one row per dimension with `label`, `weight`, `score` (0-100), `share`,
    `contribution`.
    """

    iso3: str
    country: str
    year: int
    missing: str
    member: bool
    index: float
    coverage: float
    rank: int | None
    indicators: pd.DataFrame
    dimensions: pd.DataFrame


def explain(dataset: Dataset, iso3: str, year: int, missing: str = "reweight") -> Explanation:
    """Take the index of state `iso3` in `year` apart into the contribution of each indicator."""
    check_missing_policy(missing)
    dataset.check_year(year)
    country = find_state(dataset, iso3)
    panel = score_panel(dataset, [year], missing)
    row = panel.countries.loc[(country.iso3, year)]
    model = dataset.model
    effective = model.effective_weights()

    dim_scores = np.array([row[d.id] for d in model.dimensions], dtype=float)
    dim_weights = np.array([d.weight for d in model.dimensions], dtype=float)
    dim_observed = ~np.isnan(dim_scores)
    dim_total = (dim_weights * dim_observed).sum()
    dim_share = np.where(dim_observed, dim_weights / dim_total if dim_total > 0 else np.nan, 0.0)

    rows: list[dict[str, Any]] = []
    dims: list[dict[str, Any]] = []
    policy_row = panel.scored.loc[(country.iso3, year)]
    for k, d in enumerate(model.dimensions):
        s = np.array([row[i.id] for i in d.indicators], dtype=float)
        w = np.array([i.weight for i in d.indicators], dtype=float)
        scored = np.array([policy_row[i.id] for i in d.indicators], dtype=float)
        counted = ~np.isnan(scored)
        within_total = (w * counted).sum()
        within = np.where(counted, w / within_total if within_total > 0 else 0.0, 0.0)
        share = within * dim_share[k]
        contribution = np.where(counted, np.nan_to_num(scored) * share * 100, 0.0)
        for j, indicator in enumerate(d.indicators):
            fact = country.facts.get(indicator.id)
            sources = list(fact.source) if fact else []
            rows.append(
                {
                    "dimension": d.id,
                    "indicator": indicator.id,
                    "label": indicator.label,
                    "status": fact.status if fact else None,
                    "rule": scoring_rule(dataset, indicator, fact),
                    "score": s[j],
                    "scored": scored[j],
                    "weight": indicator.weight,
                    "effective_weight": effective[indicator.id],
                    "share": float(share[j]),
                    "contribution": float(contribution[j]),
                    "sources": sources,
                    "references": reference_rows(dataset, sources),
                }
            )
        dims.append(
            {
                "dimension": d.id,
                "label": d.label,
                "short": d.short or d.label,
                "weight": d.weight,
                "score": dim_scores[k],
                "share": float(dim_share[k]),
                "contribution": float(dim_scores[k] * dim_share[k]) if dim_observed[k] else 0.0,
            }
        )
    indicators = pd.DataFrame(rows)
    if not dim_observed.any():  # nothing known: no index, nothing contributes
        indicators["contribution"] = np.nan
    rank = row["rank"]
    return Explanation(
        iso3=country.iso3,
        country=country.country,
        year=year,
        missing=missing,
        member=bool(row["member"]),
        index=float(row["index"]),
        coverage=float(row["coverage"]),
        rank=None if pd.isna(rank) else int(rank),
        indicators=indicators,
        dimensions=pd.DataFrame(dims),
    )


# --- diff --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Diff:
    """What changed between two years.

    `states`: one row per state (sorted by change, largest rise first; unknown changes last) with
    `iso3`, `country`, `member_1`, `member_2`, `index_1`, `index_2`, `change` and `facts` (how many
    indicator scores changed).
    `facts`: one row per indicator whose score changed, with `iso3`, `country`, `indicator`,
    `label`, `status`, `score_1`, `score_2`, `when` (the year in the interval the score last
    changed), `rule`, `title`, `sources`, `reference` (one line).
    `region`: one row per regional measure with `value_1`, `value_2`, `change`.
    """

    year_1: int
    year_2: int
    missing: str
    states: pd.DataFrame
    facts: pd.DataFrame
    region: pd.DataFrame

    @property
    def changed(self) -> bool:
        """Whether anything changed: a fact's score, an index or a regional figure."""
        moved = self.states["change"].fillna(0).ne(0).any() or self.states["index_1"].isna().ne(
            self.states["index_2"].isna()
        ).any()
        return bool(len(self.facts) or moved or self.region["change"].fillna(0).ne(0).any())


_REGION_MEASURES = ("members", "mean", "dispersion", "dyadic_harmonization")


def _same(a: float, b: float) -> bool:
    return (np.isnan(a) and np.isnan(b)) or a == b


def diff(dataset: Dataset, year_1: int, year_2: int, country: str | None = None, missing: str = "reweight") -> Diff:
    """Compare `year_1` with `year_2` (either order): each state's index, the facts whose score
    changed between them, and the regional figures. `country` (an ISO code) narrows the states and
    facts to one state; the regional figures stay those of the whole region."""
    check_missing_policy(missing)
    dataset.check_year(year_1)
    dataset.check_year(year_2)
    lo, hi = sorted((year_1, year_2))
    panel = score_panel(dataset, range(lo, hi + 1), missing)
    frame = panel.countries
    model = dataset.model
    dimension_of = model.dimension_of()
    chosen = [find_state(dataset, country)] if country else list(dataset.countries)

    states, facts = [], []
    for c in chosen:
        a, b = frame.loc[(c.iso3, year_1)], frame.loc[(c.iso3, year_2)]
        n_changed = 0
        for indicator in model.indicators.values():
            s1, s2 = float(a[indicator.id]), float(b[indicator.id])
            if _same(s1, s2):
                continue
            n_changed += 1
            series = frame.loc[c.iso3][indicator.id].to_numpy(dtype=float)  # years lo..hi
            steps = [lo + k for k in range(1, len(series)) if not _same(series[k - 1], series[k])]
            fact = c.facts.get(indicator.id)
            sources = list(fact.source) if fact else []
            facts.append(
                {
                    "iso3": c.iso3,
                    "country": c.country,
                    "dimension": dimension_of[indicator.id],
                    "indicator": indicator.id,
                    "label": indicator.label,
                    "status": fact.status if fact else None,
                    "score_1": s1,
                    "score_2": s2,
                    "when": steps[-1] if steps else hi,
                    "rule": scoring_rule(dataset, indicator, fact),
                    "title": fact.title if fact else None,
                    "sources": sources,
                    "reference": reference_text(dataset, sources),
                }
            )
        i1, i2 = float(a["index"]), float(b["index"])
        states.append(
            {
                "iso3": c.iso3,
                "country": c.country,
                "member_1": bool(a["member"]),
                "member_2": bool(b["member"]),
                "index_1": i1,
                "index_2": i2,
                "change": i2 - i1,
                "facts": n_changed,
            }
        )
    states_frame = pd.DataFrame(states)
    states_frame = states_frame.assign(_unknown=states_frame["change"].isna(), _down=-states_frame["change"]).sort_values(
        ["_unknown", "_down", "country"], kind="stable"
    ).drop(columns=["_unknown", "_down"]).reset_index(drop=True)
    fact_columns = ["iso3", "country", "dimension", "indicator", "label", "status", "score_1", "score_2",
                    "when", "rule", "title", "sources", "reference"]
    facts_frame = pd.DataFrame(facts, columns=fact_columns)
    if len(facts_frame):
        order = {iso: k for k, iso in enumerate(states_frame["iso3"])}
        indicator_order = {i: k for k, i in enumerate(model.indicators)}
        facts_frame = facts_frame.assign(
            _s=facts_frame["iso3"].map(order), _i=facts_frame["indicator"].map(indicator_order)
        ).sort_values(["_s", "when", "_i"], kind="stable").drop(columns=["_s", "_i"]).reset_index(drop=True)
    region = pd.DataFrame(
        [
            {
                "measure": m,
                "value_1": float(panel.region.loc[year_1, m]),
                "value_2": float(panel.region.loc[year_2, m]),
            }
            for m in _REGION_MEASURES
        ]
    )
    region["change"] = region["value_2"] - region["value_1"]
    return Diff(year_1, year_2, missing, states_frame, facts_frame, region)


# --- status: the paper's tables ----------------------------------------------------------------

# The paper's symbols for each status (Lau, Tables 1-4); a status not here is shown by its score.
SYMBOLS = {
    "yes": "✓",
    "yes-but-limited": "✓ (but limited)",
    "no": "✗",
    "unavailable": "Information unavailable",
    "unknown": "unknown",
}


def symbol(status: str, level: float | None) -> str:
    """The paper's symbol for a status (by its score where the status has no symbol)."""
    if status in SYMBOLS:
        return SYMBOLS[status]
    if level is None:
        return "unknown"
    return "✓" if level >= 1 else "✗" if level <= 0 else "✓ (but limited)"


def status_cells(dataset: Dataset, year: int | None = None, dimension: str | None = None) -> pd.DataFrame:
    """The state x indicator matrix of recorded facts in long form, as known in `year` (default:
    the data's last year, the state the paper's Tables 1-4 report).

    One row per state and indicator (dataset and model order) with `iso3`, `country`,
    `dimension`, `indicator`, `label`, `status`, `symbol` (the paper's), `year` (the fact's year,
    if any), `title` and `cell`: the table cell, as the paper prints it ("✓ (2013)", "title (2008)",
    "✗"). A fact not yet known in `year` shows "unknown"; an event not yet happened "✗".
    """
    year = dataset.last_year if year is None else dataset.check_year(year)
    model = dataset.model
    dims = [d for d in model.dimensions if dimension is None or d.id == dimension]
    if not dims:
        ids = [d.id for d in model.dimensions]
        close = [i for i in ids if i.startswith(str(dimension).casefold())] or difflib.get_close_matches(str(dimension), ids, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InvalidOption(f"unknown dimension {dimension!r}{hint}; expected one of: {', '.join(ids)}")
    panel = score_panel(dataset, [year], "reweight")
    rows = []
    for c in dataset.countries:
        for d in dims:
            for indicator in d.indicators:
                fact = c.facts.get(indicator.id)
                s = float(panel.countries.loc[(c.iso3, year), indicator.id])
                fact_year = fact.year if fact else None
                title = fact.title if fact else None
                if fact is None:
                    sym, cell = "unknown", "unknown"
                else:
                    level = model.level_scores(indicator)[fact.status]
                    known = fact.known_from is not None and year >= fact.known_from
                    if level is None or known:
                        sym = symbol(fact.status, level)
                        cell = sym
                        if fact_year is not None and level is not None and level > 0:
                            cell = f"{title} ({fact_year})" if title else f"{sym} ({fact_year})"
                    elif s == ABSENT:
                        sym = cell = SYMBOLS["no"]
                    else:
                        sym = cell = "unknown"
                rows.append(
                    {
                        "iso3": c.iso3,
                        "country": c.country,
                        "dimension": d.id,
                        "indicator": indicator.id,
                        "label": indicator.label,
                        "status": fact.status if fact else None,
                        "symbol": sym,
                        "year": fact_year,
                        "title": title,
                        "cell": cell,
                    }
                )
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    return frame


# --- trend -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """Scores per year: `region` (one row per year: members, mean, dispersion,
    dyadic_harmonization), `index` (one row per state, index: iso3, with `country` and one column
    per year), `dimensions` (regional mean of each dimension score per year, members only) and
    `panel`, the scores they come from."""

    first: int
    last: int
    missing: str
    region: pd.DataFrame
    index: pd.DataFrame
    dimensions: pd.DataFrame
    panel: Panel


def trend(dataset: Dataset, first: int | None = None, last: int | None = None, missing: str = "reweight") -> Trend:
    """The regional figures and each state's index for each year from `first` to `last`."""
    first, last = dataset.check_period(first, last)
    panel = score_panel(dataset, range(first, last + 1), missing)
    frame = panel.countries
    index = frame["index"].unstack("year")
    names = {c.iso3: c.country for c in dataset.countries}
    index.insert(0, "country", [names[i] for i in index.index])
    index = index.loc[[c.iso3 for c in dataset.countries]]
    return Trend(first, last, missing, panel.region.copy(), index, dimension_means(panel), panel)


# --- timeline ----------------------------------------------------------------------------------


def timeline(
    dataset: Dataset, country: str | None = None, kinds: Iterable[str] | None = None, scope: str = "all"
) -> pd.DataFrame:
    """Regional milestones and national events (facts with a start year and a positive score) in
    date order. One row per event: `year`, `date` (ISO date, or the year where no day is given),
    `scope` ("region" or "national"), `iso3`, `country`, `kind` (the milestone's kind, or the
    indicator for a national event), `title`, `sources`, `reference`.

    `country` (an ISO code or name) keeps that state's events only (and no regional milestones);
    `kinds` keeps those kinds (milestone kinds, indicator ids or dimension ids); `scope` is
    "all", "region" or "national".
    """
    if scope not in ("all", "region", "national"):
        raise InvalidOption(f"unknown scope {scope!r}; expected one of: all, region, national")
    model = dataset.model
    dimension_of = model.dimension_of()
    wanted = {k.casefold() for k in kinds} if kinds else None
    if wanted:
        known = {m.kind for m in dataset.region.milestones} | set(model.indicators) | set(dimension_of.values())
        unknown = sorted(k for k in wanted if k not in known)
        if unknown:
            close = [k for k in sorted(known) if k.startswith(unknown[0])] or difflib.get_close_matches(
                unknown[0], sorted(known), n=1
            )
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UnknownKind(f"unknown kind {unknown[0]!r}{hint}; kinds: {', '.join(sorted(known))}")
    state = find_state(dataset, country) if country else None
    rows = []
    if scope in ("all", "region") and state is None:
        for m in dataset.region.milestones:
            if wanted and m.kind not in wanted:
                continue
            rows.append(
                {"year": m.year, "date": m.date or str(m.year), "scope": "region", "iso3": None,
                 "country": dataset.region.name, "kind": m.kind, "title": m.title,
                 "sources": list(m.source), "reference": reference_text(dataset, m.source)}
            )
    if scope in ("all", "national"):
        for c in dataset.countries:
            if state is not None and c.iso3 != state.iso3:
                continue
            for indicator in model.indicators.values():
                fact = c.facts.get(indicator.id)
                if fact is None or fact.year is None:
                    continue
                level = model.level_scores(indicator)[fact.status]
                if level is None or level <= 0:
                    continue
                if wanted and indicator.id not in wanted and dimension_of[indicator.id] not in wanted:
                    continue
                what = indicator.label if not fact.title else f"{indicator.label}: {fact.title}"
                if fact.status != "yes":
                    what += f" ({fact.status})"
                rows.append(
                    {"year": fact.year, "date": str(fact.year), "scope": "national", "iso3": c.iso3,
                     "country": c.country, "kind": indicator.id, "title": what,
                     "sources": list(fact.source), "reference": reference_text(dataset, fact.source)}
                )
    columns = ["year", "date", "scope", "iso3", "country", "kind", "title", "sources", "reference"]
    frame = pd.DataFrame(rows, columns=columns)
    if len(frame):
        order = {i: k for k, i in enumerate(model.indicators)}
        frame = frame.assign(
            _scope=frame["scope"].ne("region"),
            _ind=frame["kind"].map(order).fillna(-1),
            _date=frame["date"].where(frame["date"].str.len() > 4, frame["year"].astype(str) + "-99"),
        ).sort_values(["year", "_scope", "_date", "_ind", "country"], kind="stable")
        frame = frame.drop(columns=["_scope", "_ind", "_date"]).reset_index(drop=True)
    frame["year"] = frame["year"].astype("int64")
    return frame
