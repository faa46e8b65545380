"""Regional milestones and national events (facts with a start year and a positive score, and
dated changes in a history, such as a repeal) in date order."""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from harmon.choices import TIMELINE_SCOPES, check_choice
from harmon.core.states import find_state
from harmon.data.loading import Dataset
from harmon.errors import UnknownKind
from harmon.suggest import did_you_mean


def timeline(
    dataset: Dataset, country: str | None = None, kinds: Iterable[str] | None = None, scope: str = "all"
) -> pd.DataFrame:
    """Regional milestones and national events (facts with a start year and a positive score, and
    the dated later entries of a history, a repeal among them) in date order. One row per event: `year`, `date` (ISO date, or the year where no day is given),
    `scope` ("region" or "national"), `iso3`, `country`, `kind` (the milestone's kind, or the
    indicator for a national event), `title` (the milestone's, or the indicator's label), `detail`
    (a national event's recorded title, if any), `status` (a national event's status) and
    `sources`.

    `country` (an ISO code or name) keeps that state's events only (and no regional milestones);
    `kinds` keeps those kinds (milestone kinds, indicator ids or dimension ids); `scope` is
    "all", "region" or "national".
    """
    check_choice(scope, TIMELINE_SCOPES, "scope")
    model = dataset.model
    dimension_of = model.dimension_of()
    wanted = {k.casefold() for k in kinds} if kinds else None
    if wanted:
        known = {m.kind for m in dataset.region.milestones} | set(model.indicators) | set(dimension_of.values())
        unknown = sorted(k for k in wanted if k not in known)
        if unknown:
            hint = did_you_mean(unknown[0], sorted(known), prefix=True)
            raise UnknownKind(f"unknown kind {unknown[0]!r}{hint}; kinds: {', '.join(sorted(known))}")
    state = find_state(dataset, country) if country else None
    rows = []
    if scope in ("all", "region") and state is None:
        for m in dataset.region.milestones:
            if wanted and m.kind not in wanted:
                continue
            rows.append(
                {"year": m.year, "date": m.date or str(m.year), "scope": "region", "iso3": None,
                 "country": dataset.region.name, "kind": m.kind, "title": m.title, "detail": None,
                 "status": None, "sources": list(m.source)}
            )
    if scope in ("all", "national"):
        for c in dataset.countries:
            if state is not None and c.iso3 != state.iso3:
                continue
            for indicator in model.indicators.values():
                if wanted and indicator.id not in wanted and dimension_of[indicator.id] not in wanted:
                    continue
                for k, fact in enumerate(c.history(indicator.id)):
                    level = model.level_scores(indicator)[fact.status]
                    # A dated fact that holds something, or a dated change of a history (a repeal).
                    if fact.year is None or level is None or (level <= 0 and k == 0):
                        continue
                    rows.append(
                        {"year": fact.year, "date": str(fact.year), "scope": "national", "iso3": c.iso3,
                         "country": c.country, "kind": indicator.id, "title": indicator.label,
                         "detail": fact.title, "status": fact.status, "sources": list(fact.source)}
                    )
    columns = ["year", "date", "scope", "iso3", "country", "kind", "title", "detail", "status", "sources"]
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
