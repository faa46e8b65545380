"""Country-year panels for papers: the four shapes as DataFrames, with their columns'
documentation and provenance.

Nothing here prints or writes. `build_export` scores the years asked for and returns an `Export`
(the frame of one shape, its `Column`s and its provenance); `harmon.report.writers` writes it in
any format and `harmon.report.datapackage` as a Frictionless data package.

Shapes (docs/method.md gives the formulas):

- `wide`: one row per state-year: iso3, country, year, member, each indicator score s (0-1),
  each dimension score D (0-100), index (0-100), coverage (0-1), rank.
- `long`: one row per state-year-indicator: iso3, country, year, member, dimension, indicator,
  level (the recorded status that holds in that year), since (the year it began, if known),
  score, source (reference keys, `;`-separated).
- `region`: one row per year: year, members, mean, dispersion, dyadic_harmonization,
  `mean_<dimension>` for each dimension, `cv` (sigma-convergence) and `adoption_<indicator>`.
- `events`: one row per member state x indicator x year at risk of adoption (event history):
  `harmon.core.adoption.at_risk` and `since_<milestone>` for each regional milestone.

Floats are rounded to `DECIMALS` places in every shape, so that every format carries the same
numbers and text formats are byte-identical for the same data and options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from harmon.choices import check_shape
from harmon.core.adoption import adoption, at_risk, milestones
from harmon.core.region import adoption_shares, check_adopted_at, dimension_means, sigma_convergence
from harmon.core.histories import held_entries
from harmon.core.scoring import Panel, score_panel
from harmon.data.loading import Dataset
from harmon.report.citations import cite_keys
from harmon.report.paper import dimension_header, indicator_codes
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
class PaperHeader:
    """A column's `short` header in a paper table, the `group` header it sits under, whether its
    values are on 0-1 (`fraction`: one decimal more) and what the short header `means`."""

    short: str
    group: str = ""
    fraction: bool = False
    meaning: str = ""


@dataclass(frozen=True)
class Export:
    """One shape of a scored panel, ready to write: `frame`, its `columns` and `provenance`."""

    shape: str
    frame: pd.DataFrame
    columns: tuple[Column, ...]
    provenance: dict[str, Any] = field(default_factory=dict)
    # For tables in a paper (md, tex): each column's short header and the header it is grouped
    # under, and the decimals of values on 0-100 (values on 0-1 get one more).
    headers: dict[str, PaperHeader] = field(default_factory=dict)
    decimals: int = 1


def build_export(
    dataset: Dataset, shape: str = "wide", first: int | None = None, last: int | None = None,
    missing: str = "reweight", raw: bool = False, panel: Panel | None = None, aggregation: str = "arithmetic",
    adopted_at: float | None = None,
) -> Export:
    """Score `first`-`last` (default: the data's period) and return the `shape` asked for (with
    `panel`, use that scoring instead). `adopted_at`: the adoption threshold of the adoption
    shares (docs/method.md, "Adoption"; None: any level above 0)."""
    check_shape(shape)
    check_adopted_at(adopted_at)
    first, last = dataset.check_period(first, last)
    if panel is None:
        panel = score_panel(dataset, range(first, last + 1), missing, aggregation)
    builders = {"wide": wide_frame, "long": long_frame, "region": region_frame, "events": events_frame}
    frame = builders[shape](panel, dataset, adopted_at)
    meta = export_provenance(dataset, first, last, panel.missing, shape, raw, panel.aggregation)
    if adopted_at is not None:  # recorded only when not the default, so default outputs keep their header
        meta["adopted_at"] = adopted_at
    return Export(shape, frame, tuple(columns(dataset, shape)), meta, paper_headers(dataset, shape))


def paper_headers(dataset: Dataset, shape: str) -> dict[str, PaperHeader]:
    """How each column of `shape` is headed in a paper table: indicators by code under their
    dimension (or under "Adoption share"), dimensions by short name, with what each means."""
    model = dataset.model
    codes = indicator_codes(model)
    dims = {d.id: d for d in model.dimensions}
    dimension_of = model.dimension_of()
    headers = {
        "iso3": PaperHeader("ISO"), "country": PaperHeader("State"), "year": PaperHeader("Year"),
        "member": PaperHeader("Member"), "index": PaperHeader("Index", meaning="legal-harmonization index (0-100)"),
        "coverage": PaperHeader("Coverage", fraction=True, meaning="share of the index's weight observed (0-1)"),
        "rank": PaperHeader("Rank"), "dimension": PaperHeader("Dimension"), "indicator": PaperHeader("Indicator"),
        "status": PaperHeader("Status"), "score": PaperHeader("Score", fraction=True), "source": PaperHeader("Source"),
        "members": PaperHeader("Members"), "mean": PaperHeader("Mean", meaning="mean index of the member states"),
        "dispersion": PaperHeader("S.d.", meaning="population standard deviation of the members' indices"),
        "dyadic_harmonization": PaperHeader("Dyadic", meaning="dyadic harmonization (0-100)"),
        "cv": PaperHeader("CV", fraction=True, meaning="sigma-convergence, s.d. / mean"),
        "level": PaperHeader("Level"), "since": PaperHeader("Since"),
        "index_lo": PaperHeader("Low", "Index range"),
        "index_hi": PaperHeader("High", "Index range"),
        "rank_best": PaperHeader("Best", "Rank range"),
        "rank_worst": PaperHeader("Worst", "Rank range"),
        "mean_lo": PaperHeader("Low", "Mean range"),
        "mean_hi": PaperHeader("High", "Mean range"),
        "dyadic_harmonization_lo": PaperHeader("Low", "Dyadic range"),
        "dyadic_harmonization_hi": PaperHeader("High", "Dyadic range"),
    }
    if shape == "wide":
        headers |= {i: PaperHeader(codes[i], dimension_header(dims[dimension_of[i]]), True, model.indicators[i].label)
                    for i in codes}
        headers |= {d: PaperHeader(dimension_header(dim), "Dimensions", meaning=dim.label) for d, dim in dims.items()}
    if shape == "region":
        headers |= {f"mean_{d}": PaperHeader(dimension_header(dim), "Dimension means", meaning=dim.label)
                    for d, dim in dims.items()}
        headers |= {f"adoption_{i}": PaperHeader(code, "Adoption share", True, model.indicators[i].label)
                    for i, code in codes.items()}
    return headers


def wide_frame(panel: Panel, dataset: Dataset, adopted_at: float | None = None) -> pd.DataFrame:
    """One row per state-year (states in the dataset's order, then years)."""
    frame = panel.countries.reset_index()
    order = ["iso3", "country", "year", "member", *panel.indicators, *panel.dimensions, "index", "index_lo", "index_hi",
             "coverage", "rank", "rank_best", "rank_worst"]
    return _tidy(frame[order])


def long_frame(panel: Panel, dataset: Dataset, adopted_at: float | None = None) -> pd.DataFrame:
    """One row per state-year-indicator, indicators in model order."""
    model = dataset.model
    indicators = list(panel.indicators)
    dimension_of = model.dimension_of()
    level, since, source = _entries_by_year(dataset, indicators, panel.years)
    # The wide frame's rows are (state, year) in dataset order: read row by row, its indicator
    # columns are already in state-year-indicator order, so no sort is needed.
    wide = panel.countries
    per_row = len(indicators)

    def text(values: np.ndarray) -> pd.Series:
        return pd.Series(values, dtype=object)

    frame = pd.DataFrame(
        {
            "iso3": text(np.repeat(wide.index.get_level_values("iso3").to_numpy(dtype=object), per_row)),
            "country": text(np.repeat(wide["country"].to_numpy(dtype=object), per_row)),
            "year": np.repeat(wide.index.get_level_values("year").to_numpy(), per_row),
            "member": np.repeat(wide["member"].to_numpy(dtype=bool), per_row),
            "dimension": text(np.tile(np.array([dimension_of[i] for i in indicators], dtype=object), len(wide))),
            "indicator": text(np.tile(np.array(indicators, dtype=object), len(wide))),
            "level": text(level.ravel()),
            "since": pd.array(since.ravel(), dtype="Int64"),  # from floats, NaN = not known: a vectorised cast
            "score": wide[indicators].to_numpy(dtype=float).ravel(),
            "source": text(source.ravel()),
        }
    )
    return _tidy(frame)


def _entries_by_year(
    dataset: Dataset, indicators: list[str], years: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every state, year and indicator (arrays of shape (states, years, indicators)): the
    status of the entry that holds (`harmon.core.histories.held_entries`), the year it began (a
    float, NaN: not known) and its reference keys joined by ';'; None (NaN) where nothing is
    recorded. Before the first entry holds (its year, or the year it was observed) there is no
    status nor start, only the first entry's references, which give the rule for those years."""
    shape = (len(dataset.countries), len(years), len(indicators))
    level = np.full(shape, None, dtype=object)
    since = np.full(shape, np.nan)
    source = np.full(shape, None, dtype=object)
    t = np.asarray(years)

    def year(fact: Any) -> float:
        return np.nan if fact.year is None else fact.year

    for c, country in enumerate(dataset.countries):
        for k, indicator_id in enumerate(indicators):
            history = country.history(indicator_id)
            if not history:
                continue
            if len(history) == 1:  # the same entry in every year
                fact = history[0]
                level[c, :, k], since[c, :, k], source[c, :, k] = fact.status, year(fact), ";".join(fact.source)
            else:
                held = held_entries(history, years)
                level[c, :, k] = [history[h].status for h in held]
                since[c, :, k] = [year(history[h]) for h in held]
                source[c, :, k] = [";".join(history[h].source) for h in held]
            begins = history[0].known_from
            if begins is not None:
                not_yet = t < begins
                level[c, not_yet, k], since[c, not_yet, k] = None, np.nan
    return level, since, source


def region_frame(panel: Panel, dataset: Dataset, adopted_at: float | None = None) -> pd.DataFrame:
    """One row per year: the regional figures, the mean of each dimension over the member states,
    sigma-convergence (`cv`) and each indicator's adoption share at threshold `adopted_at`
    (docs/method.md)."""
    region = panel.region.reset_index()
    years = region["year"]
    out = region[["year", "members", "mean", "mean_lo", "mean_hi", "dispersion", "dyadic_harmonization",
                  "dyadic_harmonization_lo", "dyadic_harmonization_hi"]].copy()
    means = dimension_means(panel)
    for d in panel.dimensions:
        out[f"mean_{d}"] = years.map(means[d]).astype(float)
    out["cv"] = [sigma_convergence(m, s) for m, s in zip(region["mean"], region["dispersion"])]
    # The panel's rows are (state, year), states in dataset order, years in order: as arrays,
    # (states, years, indicators), one pass for every year and indicator.
    shape = (len(panel.countries) // len(panel.years), len(panel.years))
    # The policy's observed scores: a score counted only to keep the index within its bounds is
    # not an observation, and adoption counts observed members only (docs/method.md).
    scores = panel.observed[list(panel.indicators)].to_numpy(dtype=float).reshape(*shape, len(panel.indicators))
    shares = adoption_shares(scores, panel.countries["member"].to_numpy(dtype=bool).reshape(shape), adopted_at)
    by_year = pd.DataFrame(shares, index=pd.Index(panel.years, name="year"), columns=list(panel.indicators))
    for i in panel.indicators:
        out[f"adoption_{i}"] = years.map(by_year[i]).astype(float)
    return _tidy(out)


def events_frame(panel: Panel, dataset: Dataset, adopted_at: float | None = None) -> pd.DataFrame:
    """One row per member state x indicator x year at risk of adoption over the panel's years
    (`harmon.core.adoption.at_risk`, from the recorded scores: the missing-data policy does not
    apply), then `since_<milestone>` = year - the milestone's year for each regional milestone."""
    frame = at_risk(adoption(dataset, panel.years[0], panel.years[-1], adopted_at, panel))
    for m in milestones(dataset):
        frame[milestone_column(m.id)] = frame["year"] - m.year
    return _tidy(frame)


def milestone_column(milestone_id: str) -> str:
    """The events shape's column of a milestone: `since_` and its id with '_' for '-' (Stata)."""
    return "since_" + milestone_id.replace("-", "_")


def columns(dataset: Dataset, shape: str) -> list[Column]:
    """Every column of `shape`, in order, with its meaning, values, rule and source."""
    check_shape(shape)
    model = dataset.model
    dims = {d.id: d for d in model.dimensions}
    indicators = model.indicators
    effective = model.effective_weights()
    computed = "computed by harmon from the indicator scores (`harmon docs method`)"
    members_source = cite_keys(dataset, sorted({
        k for c in dataset.countries
        for k in [*(c.membership_source or ()), *(k for spell in c.membership or () for k in spell.source)]
    }))
    country_files = "the dataset's country files (countries/*.yaml)"
    iso3 = Column("iso3", "string", "ISO 3166-1 alpha-3 code of the state", "ISO 3166-1 alpha-3 code of the state.",
                  ", ".join(sorted(c.iso3 for c in dataset.countries)), "as recorded", country_files)
    country = Column("country", "string", "State name", "Name of the state.",
                     "; ".join(c.country for c in dataset.countries), "as recorded", country_files)
    year = Column("year", "integer", "Year", "Calendar year.",
                  f"{dataset.first_year}-{dataset.last_year}", "the state of things in that year", "-")
    member = Column("member", "boolean", f"Member of {dataset.region.name} in this year",
                    f"Whether the state was a member of {dataset.region.name} in this year (from its year of admission, "
                    "or within one of its membership spells; a suspended year is not a member year).",
                    "true, false (1, 0 in csv, tsv and Stata)", "member_since <= year, or a membership spell covers the year", members_source)

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
        sources = sorted({k for c in dataset.countries for f in c.history(i) for k in f.source})
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
            *bound_columns("index", "index", "The index with every unknown indicator score at the {end} level it can "
                           "have, all weight counted: no completion of the data gives {beyond}.", computed),
            Column("coverage", "number", "Coverage: share of the index's weight observed (0-1)",
                   "Share of the index's effective weight whose indicator scores are observed (not missing).", "0-1",
                   "sum of effective weights of observed indicators", computed),
            Column("rank", "integer", "Rank among member states (1 = highest index)",
                   "Competition rank of the index among the member states in that year; ties share the lower number.",
                   "1-number of members; empty for non-members", "rank by index, descending, method min", computed),
            Column("rank_best", "integer", "Best rank the recorded facts allow",
                   "1 + the number of other member states whose lowest possible index exceeds this state's highest.",
                   "1-number of members; empty for non-members", "`harmon docs method`, Bounds: rank range", computed),
            Column("rank_worst", "integer", "Worst rank the recorded facts allow",
                   "1 + the number of other member states whose highest possible index exceeds this state's lowest.",
                   "1-number of members; empty for non-members", "`harmon docs method`, Bounds: rank range", computed),
        ]
    if shape == "long":
        return [
            iso3, country, year, member,
            Column("dimension", "string", "Dimension of the indicator", "Id of the dimension the indicator belongs to.",
                   ", ".join(dims), "from the scoring model", "indicators/model.yaml"),
            Column("indicator", "string", "Indicator", "Id of the indicator.", ", ".join(indicators),
                   "from the scoring model", "indicators/model.yaml"),
            Column("level", "string", "Recorded status that holds in this year",
                   "The recorded status (a level of the indicator's scale) of the fact, or of the entry of its "
                   "history, that holds in this year. Empty where nothing is recorded, and in the years before the "
                   "first entry holds (its year, or the year it was observed), whose score follows the indicator's "
                   "rule (`sources` still names the references).",
                   "a level of the indicator; empty = not recorded", "as recorded", country_files),
            Column("since", "integer", "Year the recorded status began",
                   "The year the recorded status began (its `year`); empty where the sources give only the year it "
                   "was observed, or nothing is recorded.", "a year; empty = not known", "as recorded", country_files),
            Column("score", "number", "Indicator score in this year (0-1)", "The indicator score s(c,i,t) in this year.",
                   "0-1; empty = missing", "see the indicator's rule in the codebook", computed),
            Column("source", "string", "Reference keys of the fact (references.yaml)",
                   "Keys in references.yaml of the sources the fact is coded from, separated by ';'.",
                   ", ".join(dataset.references.references), "as recorded", "references.yaml"),
        ]
    if shape == "events":
        return events_columns(dataset, iso3, country, year, computed, country_files)
    return [
        year,
        Column("members", "integer", "Number of member states", "Number of member states in this year.",
               "count", "states with member = true", members_source),
        Column("mean", "number", "Mean index of the member states (0-100)",
               "Mean of the member states' indices (members with no index left out).", "0-100", "arithmetic mean", computed),
        *bound_columns("mean", "mean index", "Mean of the member states' {end} possible indices.", computed),
        Column("dispersion", "number", "Dispersion: population s.d. of the members' indices",
               "Population standard deviation of the member states' indices.", ">= 0", "standard deviation, ddof = 0", computed),
        Column("dyadic_harmonization", "number", "Dyadic harmonization (0-100)",
               "Weighted mean over indicators of the mean over pairs of member states of min(s_a, s_b), x 100.",
               "0-100", "`harmon docs method`, dyadic harmonization", computed),
        *bound_columns("dyadic_harmonization", "dyadic harmonization", "Dyadic harmonization with every unknown "
                       "score at its {end} level, every member pair counted.", computed),
        *(dimension_column(d, f"mean_{d}", "regional mean of the dimension score over member states") for d in dims),
        Column("cv", "number", "Sigma-convergence: coefficient of variation of indices",
               "Sigma-convergence: dispersion / mean of the member states' indices; empty (undefined) when the mean is 0.",
               ">= 0; empty = undefined (mean 0)", "dispersion / mean (`harmon docs method`)", computed),
        *(
            Column(f"adoption_{i}", "number", label(f"Adoption share: {indicators[i].label}"),
                   f"Share of the member states observed on {i} that have adopted it: by default any "
                   "level above 0 (a limited provision counts), with --adopted-at X a score of at least X.",
                   "0-1; empty = no member state observed",
                   "count(adopted) / count(observed); --missing zero counts missing as not adopted "
                   "(`harmon docs method`, Adoption)", computed)
            for i in indicators
        ),
    ]


def events_columns(dataset: Dataset, iso3: Column, country: Column, year: Column, computed: str,
                   country_files: str) -> list[Column]:
    """The columns of the events shape (docs/method.md, "Diffusion")."""
    indicators = dataset.model.indicators
    threshold = "adopted: a score above 0 by default, at least X with --adopted-at X (docs/method.md, Adoption)"
    return [
        iso3, country,
        Column("indicator", "string", "Indicator", "Id of the indicator.", ", ".join(indicators),
               "from the scoring model", "indicators/model.yaml"),
        year,
        Column("entry", "integer", "First year at risk",
               "The first year of the period in which the state is a member: the start of its time at risk.",
               f"{dataset.first_year}-{dataset.last_year}", "the later of the period's start and the year of joining",
               country_files),
        Column("time", "integer", "Years at risk so far (1 in the entry year)",
               "Years at risk up to and including this one: the duration of a discrete-time hazard model.",
               ">= 1", "year - entry + 1 (member years only)", computed),
        Column("score", "number", "Indicator score in this year (0-1)", "The indicator score s(c,i,t) as recorded.",
               "0-1; empty = unknown", "the indicator's rule (codebook of the wide shape)", computed),
        Column("unknown", "integer", "Score unknown in this year (1 = unknown)",
               "1 where the state's score in this year is unknown: the row is at risk, but whether the state had "
               "adopted is not known. Drop or model these rows; they are never dropped silently.",
               "0, 1", "score is missing", computed),
        Column("adopted", "integer", "Adopted in this year (1 = yes)",
               "1 in the year the state's score first reaches the adoption threshold; its last row.",
               "0, 1", threshold, computed),
        Column("adoption_year_known", "integer", "The adoption year is exact (1) or only the first known (0)",
               "On every row of the state-indicator: 1 if it adopts and its score the year before is known not to "
               "be adopted; 0 if the year before is unknown, so that the adoption may lie earlier; empty if it does "
               "not adopt in the period (censored).",
               "0, 1; empty = no adoption in the period", "score in the year before the adoption is known", computed),
        Column("share_adopted_before", "number", "Share of the other members that had adopted the year before",
               "Among the other member states of the year before whose adoption by then is known, the share that "
               "had adopted (the usual diffusion covariate).",
               "0-1; empty = none known", "count(adopted by t-1) / count(known at t-1), other members", computed),
        *(
            Column(milestone_column(m.id), "integer", label(f"Years since: {m.title}"),
                   f"Year minus {m.year}, the year of the regional milestone {m.id} ({m.title}); negative before it.",
                   "integer", "year - milestone year", cite_keys(dataset, m.source))
            for m in milestones(dataset)
        ),
    ]


# --- formats -----------------------------------------------------------------------------------


# --- helpers -----------------------------------------------------------------------------------


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Round floats to DECIMALS; make text columns plain objects with None for missing."""
    out = frame.copy(deep=False)  # every column changed is replaced, not written into
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_float_dtype(column):
            out[name] = column.round(DECIMALS)
        elif is_text(column):
            values = column.to_numpy(dtype=object)
            absent = pd.isna(values)
            if absent.any():
                values = values.copy()
                values[absent] = None
            if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
                values = np.array([None if v is None else str(v) for v in values], dtype=object)
            out[name] = pd.Series(values, index=out.index, dtype=object)
    return out




def bound_columns(name: str, what: str, description: str, source: str) -> list[Column]:
    """The `<name>_lo` and `<name>_hi` columns of a value's bounds (0-100), their `description`
    with {end} (lowest, highest) and {beyond} (less, more) filled in."""
    return [
        Column(f"{name}_{bound}", "number", f"{end.capitalize()} {what} the recorded facts allow (0-100)",
               description.format(end=end, beyond=beyond), "0-100", "`harmon docs method`, Bounds", source)
        for bound, end, beyond in (("lo", "lowest", "less"), ("hi", "highest", "more"))
    ]


def label(text: str) -> str:
    """A variable label within Stata's limit, cut with "..." where longer."""
    return text if len(text) <= STATA_LABEL_MAX else text[: STATA_LABEL_MAX - 3] + "..."
