"""Agreement between coders: two or more datasets of the same scoring model, coded apart, compared
state by state and indicator by indicator (docs/method.md, "Agreement between coders").

Per indicator and overall: Krippendorff's alpha on the recorded level (ordinal: the levels are
ordered by their scores) and, for events, on the recorded year (interval), percent agreement and
the number of units each coder left unknown; then every unit on which the coders disagree, with
each coder's file, line and sources. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from harmon.data.loading import Dataset
from harmon.data.yamlio import YamlProblem, read_yaml
from harmon.errors import BadValue

LEVEL_SCALE = "ordinal"  # the levels of a scale are ordered by their scores, not equally spaced
YEAR_SCALE = "interval"  # an event's year: differences in years are meaningful


@dataclass(frozen=True)
class Coding:
    """What one coder recorded for one state and indicator: the entries' `status`, `year`,
    `observed`, the `score` of the latest entry (None: unknown, or nothing recorded), the file and
    line, and the reference keys. `recorded` is False where the coder has no fact for it."""

    recorded: bool
    status: str | None
    year: int | None
    observed: int | None
    score: float | None
    entries: tuple[tuple[Any, ...], ...]
    path: Path | None
    line: int | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Disagreement:
    """A unit (state, indicator) on which the coders' records differ: one `Coding` per coder."""

    iso3: str
    country: str
    indicator: str
    codings: tuple[Coding, ...]


@dataclass(frozen=True)
class Agreement:
    """The comparison of `coders` (labels, in the order given).

    `indicators`: one row per indicator compared (model order) then an `overall` row (indicator
    None), with `kind`, `units` (states every coder has), `alpha_level`, `alpha_year` (events
    only; NaN where undefined), `agreement` (share of units recorded identically) and
    `unknown_<k>` for each coder k (0-based): the units coder k left unknown or unrecorded.
    `disagreements`: every unit recorded differently, states then indicators in the first
    coder's order. `missing_states` / `missing_indicators`: (id, labels of the coders that lack
    it), for what not every coder has; they are not compared.
    """

    coders: tuple[str, ...]
    indicators: pd.DataFrame
    disagreements: tuple[Disagreement, ...]
    missing_states: tuple[tuple[str, tuple[str, ...]], ...]
    missing_indicators: tuple[tuple[str, tuple[str, ...]], ...]

    def lowest_alpha(self) -> float:
        """The lower of the overall alphas (level, and year where defined); NaN if neither is."""
        overall = self.indicators[self.indicators["indicator"].isna()].iloc[0]
        values = [v for v in (overall["alpha_level"], overall["alpha_year"]) if not pd.isna(v)]
        return float(min(values)) if values else float("nan")


def alpha(data: np.ndarray, level: str, domain: Sequence[float] | None = None) -> float:
    """Krippendorff's alpha of `data` (coders x units, NaN = no value) at `level` of measurement
    ("ordinal", "interval", ...), over the ordered value `domain` when given; NaN when undefined
    (no unit with two values, or a single value in the data, where alpha is 0/0)."""
    import krippendorff

    data = np.asarray(data, dtype=float)
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    values = data[:, pairable]
    if not pairable.any() or np.unique(values[~np.isnan(values)]).size < 2:
        return float("nan")
    if domain is not None and len(domain) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, value_domain=domain, level_of_measurement=level))


def agree(datasets: Sequence[Dataset], labels: Sequence[str]) -> Agreement:
    """Compare the coders' `datasets` (at least two; `labels` name them) on the indicators and
    states they share; return an `Agreement`."""
    if len(datasets) < 2:
        raise BadValue("datasets", "must be at least two", str(len(datasets)))
    labels = tuple(labels)
    first = datasets[0]
    models = [d.model for d in datasets]
    shared = [
        i for i, ind in first.model.indicators.items()
        if all(i in m.indicators and m.indicators[i].kind == ind.kind
               and m.level_scores(m.indicators[i]) == first.model.level_scores(ind) for m in models)
    ]
    every_indicator = list(dict.fromkeys(i for m in models for i in m.indicators))
    # What a coder's model lacks; an indicator every model has but scores differently names them all.
    missing_indicators = tuple(
        (i, tuple(lab for lab, m in zip(labels, models) if i not in m.indicators) or labels)
        for i in every_indicator if i not in shared
    )
    by_iso = [{c.iso3: c for c in d.countries} for d in datasets]
    every_state = list(dict.fromkeys(iso for states in by_iso for iso in states))
    states = [iso for iso in every_state if all(iso in s for s in by_iso)]
    missing_states = tuple(
        (iso, tuple(lab for lab, s in zip(labels, by_iso) if iso not in s)) for iso in every_state if iso not in states
    )
    lines = [_fact_lines(d) for d in datasets]

    codings = {
        (iso, i): tuple(_coding(d, by_iso[k][iso], i, lines[k]) for k, d in enumerate(datasets))
        for iso in states for i in shared
    }
    rows, disagreements = [], []
    level_data, year_data, year_units = [], [], []
    for i in shared:
        ind = first.model.indicators[i]
        units = [codings[(iso, i)] for iso in states]
        levels = np.array([[_nan(c.score) for c in unit] for unit in units], dtype=float).T.reshape(len(datasets), -1)
        domain = sorted({v for v in first.model.level_scores(ind).values() if v is not None})
        row: dict[str, Any] = {"indicator": i, "kind": ind.kind, "units": len(units),
                               "alpha_level": alpha(levels, LEVEL_SCALE, domain), "alpha_year": float("nan")}
        level_data.append(levels)
        if ind.kind == "event":
            years = np.array([[_nan(c.year) for c in unit] for unit in units], dtype=float).T.reshape(len(datasets), -1)
            row["alpha_year"] = alpha(years, YEAR_SCALE)
            year_data.append(years)
            year_units.append(len(units))
        same = [len({c.entries for c in unit}) == 1 for unit in units]
        row["agreement"] = sum(same) / len(units) if units else float("nan")
        for k in range(len(datasets)):
            row[f"unknown_{k}"] = sum(1 for unit in units if unit[k].score is None)
        rows.append(row)
    for iso in states:
        for i in shared:
            unit = codings[(iso, i)]
            if len({c.entries for c in unit}) > 1:
                disagreements.append(Disagreement(iso, by_iso[0][iso].country, i, unit))

    all_levels = np.concatenate(level_data, axis=1) if level_data else np.empty((len(datasets), 0))
    domain = sorted({v for ind in shared for v in first.model.level_scores(first.model.indicators[ind]).values()
                     if v is not None})
    total_units = sum(r["units"] for r in rows)
    overall: dict[str, Any] = {
        "indicator": None, "kind": None, "units": total_units,
        "alpha_level": alpha(all_levels, LEVEL_SCALE, domain),
        "alpha_year": alpha(np.concatenate(year_data, axis=1), YEAR_SCALE) if year_data else float("nan"),
        "agreement": (sum(r["agreement"] * r["units"] for r in rows) / total_units) if total_units else float("nan"),
    }
    for k in range(len(datasets)):
        overall[f"unknown_{k}"] = sum(r[f"unknown_{k}"] for r in rows)
    columns = ["indicator", "kind", "units", "alpha_level", "alpha_year", "agreement",
               *(f"unknown_{k}" for k in range(len(datasets)))]
    table = pd.DataFrame([*rows, overall], columns=columns)
    return Agreement(labels, table, tuple(disagreements), missing_states, missing_indicators)


# --- helpers -----------------------------------------------------------------------------------


def _nan(value: Any) -> float:
    return float("nan") if value is None else float(value)


def _coding(dataset: Dataset, country: Any, indicator: str, lines: dict[tuple[str, str], int | None]) -> Coding:
    path = dataset.country_files.get(country.iso3)
    entries = list(country.history(indicator))
    if not entries:
        return Coding(False, None, None, None, None, (), path, lines.get((country.iso3, "")), ())
    model = dataset.model
    latest = entries[-1]
    score = model.level_scores(model.indicators[indicator]).get(latest.status)
    event_year = next((e.year for e in entries if e.year is not None), None)
    return Coding(
        True, latest.status, event_year, latest.observed, score,
        tuple((e.status, e.year, e.observed, e.absent_before) for e in entries),
        path, lines.get((country.iso3, indicator)),
        tuple(dict.fromkeys(k for e in entries for k in e.source)),
    )


def _fact_lines(dataset: Dataset) -> dict[tuple[str, str], int | None]:
    """(iso3, indicator) -> the line of the fact in its country file; (iso3, "") -> the line of
    the file's `facts:` (where a missing fact would go)."""
    found: dict[tuple[str, str], int | None] = {}
    for iso, path in dataset.country_files.items():
        try:
            doc = read_yaml(path)
        except YamlProblem:  # pragma: no cover - the file was read and validated a moment ago
            continue
        found[(iso, "")] = doc.line_of(("facts",))
        for indicator in (doc.data.get("facts") or {}) if isinstance(doc.data, dict) else {}:
            found[(iso, indicator)] = doc.line_of(("facts", indicator))
    return found

