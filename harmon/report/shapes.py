"""Country-year panels for papers: the three shapes as DataFrames, with their columns'
documentation and provenance.

Nothing here prints or writes. `build_export` scores the years asked for and returns an `Export`
(the frame of one shape, its `Column`s and its provenance); `harmon.report.writers` writes it in
any format and `harmon.report.datapackage` as a Frictionless data package.

Shapes (docs/method.md gives the formulas):

- `wide`: one row per state-year: iso3, country, year, member, each indicator score s (0-1),
  each dimension score D (0-100), index (0-100), coverage (0-1), rank.
- `long`: one row per state-year-indicator: iso3, country, year, dimension, indicator, status
  (as recorded: the event's year for an event recorded with one, else the recorded level),
  score, source (reference keys, `;`-separated).
- `region`: one row per year: year, members, mean, dispersion, dyadic_harmonization,
  `mean_<dimension>` for each dimension, `cv` (sigma-convergence) and `adoption_<indicator>`.

Floats are rounded to `DECIMALS` places in every shape, so that every format carries the same
numbers and text formats are byte-identical for the same data and options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from harmon.choices import check_shape
from harmon.core.region import adoption_share, dimension_means, sigma_convergence
from harmon.core.scoring import Panel, score_panel
from harmon.data.loading import Dataset
from harmon.report.citations import cite_keys
from harmon.report.provenance import export_provenance
from harmon.report.text import DECIMALS, is_text

STATA_LABEL_MAX = 80  # Stata's limit on a variable label


# --- what is exported --------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One variable of an exported shape, as the codebook, Stata labels and datapackage.json
    describe it. `type` is a Frictionless field type: string, integer, number or boolean."""

    name: str
    type: str
    label: str
    description: str
    values: str
    rule: str
    source: str


@dataclass(frozen=True)
class Export:
    """One shape of a scored panel, ready to write: `frame`, its `columns` and `provenance`."""

    shape: str
    frame: pd.DataFrame
    columns: tuple[Column, ...]
    provenance: dict[str, Any] = field(default_factory=dict)


def build_export(
    dataset: Dataset, shape: str = "wide", first: int | None = None, last: int | None = None,
    missing: str = "reweight", raw: bool = False, panel: Panel | None = None, aggregation: str = "arithmetic",
) -> Export:
    """Score `first`-`last` (default: the data's period) and return the `shape` asked for (with
    `panel`, use that scoring instead)."""
    check_shape(shape)
    first, last = dataset.check_period(first, last)
    if panel is None:
        panel = score_panel(dataset, range(first, last + 1), missing, aggregation)
    builders = {"wide": wide_frame, "long": long_frame, "region": region_frame}
    frame = builders[shape](panel, dataset)
    meta = export_provenance(dataset, first, last, panel.missing, shape, raw, panel.aggregation)
    return Export(shape, frame, tuple(columns(dataset, shape)), meta)


def wide_frame(panel: Panel, dataset: Dataset) -> pd.DataFrame:
    """One row per state-year (states in the dataset's order, then years)."""
    frame = panel.countries.reset_index()
    order = ["iso3", "country", "year", "member", *panel.indicators, *panel.dimensions, "index", "coverage", "rank"]
    return _tidy(frame[order])


def long_frame(panel: Panel, dataset: Dataset) -> pd.DataFrame:
    """One row per state-year-indicator, indicators in model order."""
    model = dataset.model
    indicators = list(panel.indicators)
    dimension_of = model.dimension_of()
    # What each state records on each indicator: the same in every year, so built once per state.
    status = np.full((len(dataset.countries), len(indicators)), None, dtype=object)
    source = status.copy()
    for c, country in enumerate(dataset.countries):
        for k, indicator_id in enumerate(indicators):
            fact = country.facts.get(indicator_id)
            if fact is not None:
                status[c, k] = _recorded_status(model, indicator_id, fact)
                source[c, k] = ";".join(fact.source)
    # The wide frame's rows are (state, year) in dataset order: read row by row, its indicator
    # columns are already in state-year-indicator order, so no sort is needed.
    wide = panel.countries
    per_row, years = len(indicators), len(panel.years)

    def text(values: np.ndarray) -> pd.Series:
        return pd.Series(values, dtype=object)

    frame = pd.DataFrame(
        {
            "iso3": text(np.repeat(wide.index.get_level_values("iso3").to_numpy(dtype=object), per_row)),
            "country": text(np.repeat(wide["country"].to_numpy(dtype=object), per_row)),
            "year": np.repeat(wide.index.get_level_values("year").to_numpy(), per_row),
            "dimension": text(np.tile(np.array([dimension_of[i] for i in indicators], dtype=object), len(wide))),
            "indicator": text(np.tile(np.array(indicators, dtype=object), len(wide))),
            "status": text(np.repeat(status, years, axis=0).ravel()),
            "score": wide[indicators].to_numpy(dtype=float).ravel(),
            "source": text(np.repeat(source, years, axis=0).ravel()),
        }
    )
    return _tidy(frame)


def region_frame(panel: Panel, dataset: Dataset) -> pd.DataFrame:
    """One row per year: the regional figures, the mean of each dimension over the member states,
    sigma-convergence (`cv`) and each indicator's adoption share (docs/method.md)."""
    region = panel.region.reset_index()
    countries = panel.countries.reset_index()
    years = region["year"]
    out = region[["year", "members", "mean", "dispersion", "dyadic_harmonization"]].copy()
    means = dimension_means(panel)
    for d in panel.dimensions:
        out[f"mean_{d}"] = years.map(means[d]).astype(float)
    out["cv"] = [sigma_convergence(m, s) for m, s in zip(region["mean"], region["dispersion"])]
    scored = panel.scored.reset_index()[countries["member"].to_numpy()]
    for i in panel.indicators:
        shares = scored[i].groupby(scored["year"]).apply(adoption_share)
        out[f"adoption_{i}"] = years.map(shares).astype(float)
    return _tidy(out)


def columns(dataset: Dataset, shape: str) -> list[Column]:
    """Every column of `shape`, in order, with its meaning, values, rule and source."""
    check_shape(shape)
    model = dataset.model
    dims = {d.id: d for d in model.dimensions}
    indicators = model.indicators
    effective = model.effective_weights()
    computed = "computed by harmon from the indicator scores (docs/method.md)"
    members_source = cite_keys(dataset, sorted({k for c in dataset.countries for k in c.membership_source}))
    country_files = "the dataset's country files (countries/*.yaml)"
    iso3 = Column("iso3", "string", "ISO 3166-1 alpha-3 code of the state", "ISO 3166-1 alpha-3 code of the state.",
                  ", ".join(sorted(c.iso3 for c in dataset.countries)), "as recorded", country_files)
    country = Column("country", "string", "State name", "Name of the state.",
                     "; ".join(c.country for c in dataset.countries), "as recorded", country_files)
    year = Column("year", "integer", "Year", "Calendar year.",
                  f"{dataset.first_year}-{dataset.last_year}", "the state of things in that year", "-")
    member = Column("member", "boolean", f"Member of {dataset.region.name} in this year",
                    f"Whether the state was a member of {dataset.region.name} in this year (year >= year of admission).",
                    "true, false", "year >= member_since", members_source)

    def indicator_column(i: str, name: str | None = None) -> Column:
        ind = indicators[i]
        levels = model.level_scores(ind)
        values = ", ".join(f"{s} -> {'missing' if v is None else f'{v:g}'}" for s, v in levels.items())
        if ind.kind == "event":
            rule = ("event: scores its level from the year it happened (or was observed) on; 0 in earlier years; "
                    "missing where not recorded")
        else:
            rule = ("status: scores its level from the year it began, else from the year it was observed; "
                    "missing before that unless the sources imply absence (absent_before); missing where not recorded")
        sources = sorted({k for c in dataset.countries if i in c.facts for k in c.facts[i].source})
        return Column(
            name or i, "number", label(f"{ind.label} (score 0-1)"),
            f"{ind.label}: indicator score s in [0, 1] (dimension {dims[model.dimension_of()[i]].label}; "
            f"effective weight in the index {effective[i]:.4f})." + (f" {ind.description}" if ind.description else ""),
            f"0-1 (levels: {values}); empty = missing", rule, cite_keys(dataset, sources),
        )

    def dimension_column(d: str, name: str | None = None, what: str = "") -> Column:
        dim = dims[d]
        parts = ", ".join(i.id for i in dim.indicators)
        return Column(
            name or d, "number", label(f"{dim.label}: {what or 'dimension score'} (0-100)"),
            f"{dim.label}: {what or 'dimension score D'}, 0-100: 100 x the weighted mean of its indicator scores ({parts}).",
            "0-100; empty = no indicator of the dimension observed", "weighted mean of indicator scores x 100; "
            "--missing reweight averages the observed ones, zero counts missing as 0, backfill carries a fact's "
            "level back to the years before it was observed", computed,
        )

    if shape == "wide":
        return [
            iso3, country, year, member,
            *(indicator_column(i) for i in indicators),
            *(dimension_column(d) for d in dims),
            Column("index", "number", "Legal-harmonization index (0-100)",
                   "The index: the weighted mean of the dimension scores, 0-100.", "0-100; empty = nothing observed",
                   "weighted arithmetic mean of dimension scores (dimension weights); with --aggregation geometric, "
                   "their weighted geometric mean, each floored at 1 point", computed),
            Column("coverage", "number", "Coverage: share of the index's weight observed (0-1)",
                   "Share of the index's effective weight whose indicator scores are observed (not missing).", "0-1",
                   "sum of effective weights of observed indicators", computed),
            Column("rank", "integer", "Rank among member states (1 = highest index)",
                   "Competition rank of the index among the member states in that year; ties share the lower number.",
                   "1-number of members; empty for non-members", "rank by index, descending, method min", computed),
        ]
    if shape == "long":
        return [
            iso3, country, year,
            Column("dimension", "string", "Dimension of the indicator", "Id of the dimension the indicator belongs to.",
                   ", ".join(dims), "from the scoring model", "indicators/model.yaml"),
            Column("indicator", "string", "Indicator", "Id of the indicator.", ", ".join(indicators),
                   "from the scoring model", "indicators/model.yaml"),
            Column("status", "string", "Recorded status (level, or the event's year)",
                   "What the dataset records for this state and indicator: for an event recorded with its year, that "
                   "year; otherwise the recorded level. The same in every year; empty where nothing is recorded.",
                   "a level of the indicator, or a year; empty = not recorded", "as recorded", country_files),
            Column("score", "number", "Indicator score in this year (0-1)", "The indicator score s(c,i,t) in this year.",
                   "0-1; empty = missing", "see the indicator's rule in the codebook", computed),
            Column("source", "string", "Reference keys of the fact (references.yaml)",
                   "Keys in references.yaml of the sources the fact is coded from, separated by ';'.",
                   ", ".join(dataset.references.references), "as recorded", "references.yaml"),
        ]
    return [
        year,
        Column("members", "integer", "Number of member states", "Number of member states in this year.",
               "count", "states with member = true", members_source),
        Column("mean", "number", "Mean index of the member states (0-100)",
               "Mean of the member states' indices (members with no index left out).", "0-100", "arithmetic mean", computed),
        Column("dispersion", "number", "Dispersion: population s.d. of the members' indices",
               "Population standard deviation of the member states' indices.", ">= 0", "standard deviation, ddof = 0", computed),
        Column("dyadic_harmonization", "number", "Dyadic harmonization (0-100)",
               "Weighted mean over indicators of the mean over pairs of member states of min(s_a, s_b), x 100.",
               "0-100", "docs/method.md, dyadic harmonization", computed),
        *(dimension_column(d, f"mean_{d}", "regional mean of the dimension score over member states") for d in dims),
        Column("cv", "number", "Sigma-convergence: coefficient of variation of indices",
               "Sigma-convergence: dispersion / mean of the member states' indices; empty (undefined) when the mean is 0.",
               ">= 0; empty = undefined (mean 0)", "dispersion / mean (docs/method.md)", computed),
        *(
            Column(f"adoption_{i}", "number", label(f"Adoption share: {indicators[i].label}"),
                   f"Share of the member states observed on {i} whose score is 1 (the provision in full).",
                   "0-1; empty = no member state observed",
                   "count(s = 1) / count(observed); --missing zero counts missing as not adopted "
                   "(docs/method.md)", computed)
            for i in indicators
        ),
    ]


# --- formats -----------------------------------------------------------------------------------


# --- helpers -----------------------------------------------------------------------------------


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Round floats to DECIMALS; make text columns plain objects with None for missing."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_float_dtype(column):
            out[name] = column.round(DECIMALS)
        elif is_text(column):
            values = column.to_numpy(dtype=object, copy=True)
            values[pd.isna(values)] = None
            if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
                values = np.array([None if v is None else str(v) for v in values], dtype=object)
            out[name] = pd.Series(values, index=out.index, dtype=object)
    return out


def _recorded_status(model: Any, indicator_id: str, fact: Any) -> str:
    indicator = model.indicators[indicator_id]
    score = model.level_scores(indicator).get(fact.status)
    if indicator.kind == "event" and fact.year is not None and score is not None and score > 0:
        return str(fact.year)
    return fact.status


def label(text: str) -> str:
    """A variable label within Stata's limit, cut with "..." where longer."""
    return text if len(text) <= STATA_LABEL_MAX else text[: STATA_LABEL_MAX - 3] + "..."
