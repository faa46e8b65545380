"""The model: what each data file holds, as pydantic models that validate it.

These classes are both the schema of the YAML files and the objects the engine works with.
Checks that need more than one file (a status the scoring model does not know, a reference key
that the references file lacks) live in `harmon.data.loading`.
"""

from __future__ import annotations

import datetime as _dt
import sys
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

# Years outside this range cannot be a fact about a modern legal framework: 1850 is a typo, and
# nothing can have been observed after the current year.
MIN_YEAR = 1900
MAX_YEAR = _dt.date.today().year

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Key = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=100)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
def _normal(value: float) -> float:
    # Why: a subnormal weight (5e-324) has almost no precision left; shares computed from it are
    # wrong, so equal weights of 5e-324 did not give the model's equal-weight result.
    if 0 < value < sys.float_info.min:
        raise ValueError(f"weight {value!r} is too small to compute with (below {sys.float_info.min:.3g}); "
                         "weights are relative: scale them all up")
    return value


Weight = Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False), AfterValidator(_normal)]
Score = Annotated[float, Field(ge=0, le=1)]


def _one_or_many(value: object) -> object:
    return [value] if isinstance(value, str) else value


Sources = Annotated[list[Key], BeforeValidator(_one_or_many), Field(min_length=1, max_length=20)]


class _Strict(BaseModel):
    # strict: a quoted "2004" is not a year and `yes` read as a boolean is not text.
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


# --- references.yaml ---------------------------------------------------------------------------


class Document(_Strict):
    author: Text
    title: Text
    year: Year | None
    publisher: Text | None = None
    note: Text | None = None


class Reference(_Strict):
    document: Key
    locator: Text
    note: Text | None = None


class ReferencesFile(_Strict):
    documents: dict[Key, Document] = Field(min_length=1)
    references: dict[Key, Reference] = Field(min_length=1)


# --- region.yaml -------------------------------------------------------------------------------


class Period(_Strict):
    first: Year
    last: Year
    source: Sources

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.first > self.last:
            raise ValueError(f"first year {self.first} is after last year {self.last}")
        return self


class Milestone(_Strict):
    year: Year
    date: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    kind: Id
    title: Text
    source: Sources

    @model_validator(mode="after")
    def _date_in_year(self) -> Milestone:
        if self.date is None:
            return self
        try:
            _dt.date.fromisoformat(self.date)  # a real calendar day: not 2011-02-30 nor 1997-99-99
        except ValueError:
            raise ValueError(f"date {self.date} is not a day of the calendar (YYYY-MM-DD)") from None
        if int(self.date[:4]) != self.year:
            raise ValueError(f"date {self.date} is not in year {self.year}")
        return self


Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Count = Annotated[int, Field(ge=0, le=10**9)]


class Activity(_Strict):
    """Counts of what the HSU Process produced over a period (May)."""

    start: Month
    end: Month
    cross_border_communications: Count | None = None
    victim_rescues: Count | None = None
    arrests: Count | None = None
    source: Sources

    @model_validator(mode="after")
    def _ordered(self) -> Activity:
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self


class RegionFile(_Strict):
    name: Text
    title: Text | None = None
    period: Period
    milestones: list[Milestone] = Field(default_factory=list, max_length=10_000)
    hsu_activity: list[Activity] = Field(default_factory=list, max_length=10_000)


# --- indicators/*.yaml: the scoring model ------------------------------------------------------

Levels = Annotated[dict[Annotated[str, Field(min_length=1, max_length=64)], Score | None], Field(min_length=1)]


class Indicator(_Strict):
    id: Id
    label: Text
    kind: Literal["event", "status"]
    levels: Id  # a key of the model's `levels`
    weight: Weight = 1.0
    description: Text | None = None


class Dimension(_Strict):
    id: Id
    label: Text
    short: Annotated[str, Field(min_length=1, max_length=12)] | None = None  # a column header
    weight: Weight = 1.0
    indicators: list[Indicator] = Field(min_length=1, max_length=1000)


class ScoringModel(_Strict):
    name: Text
    version: Annotated[str, Field(min_length=1, max_length=50)]
    source: Sources | None = None
    levels: dict[Id, Levels] = Field(min_length=1)
    dimensions: list[Dimension] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _consistent(self) -> ScoringModel:
        seen: set[str] = set()
        dims: set[str] = set()
        # Indicator and dimension ids become column names beside these.
        reserved = {"iso3", "country", "year", "member", "index", "coverage", "rank"}
        for dimension in self.dimensions:
            if dimension.id in dims:
                raise ValueError(f"dimension {dimension.id!r} is defined twice")
            dims.add(dimension.id)
            if dimension.id in reserved:
                raise ValueError(f"{dimension.id!r} is a reserved column name; give the dimension another id")
            for indicator in dimension.indicators:
                if indicator.id in seen:
                    raise ValueError(f"indicator {indicator.id!r} is defined twice")
                seen.add(indicator.id)
                if indicator.id in reserved or indicator.id in dims:
                    raise ValueError(f"indicator id {indicator.id!r} is already a column name; choose another")
                if indicator.levels not in self.levels:
                    raise ValueError(
                        f"indicator {indicator.id!r} uses levels {indicator.levels!r}, which are not "
                        f"defined (defined: {', '.join(sorted(self.levels))})"
                    )
        return self

    @property
    def indicators(self) -> dict[str, Indicator]:
        """Every indicator by id, in model order."""
        return {i.id: i for d in self.dimensions for i in d.indicators}

    def dimension_of(self) -> dict[str, str]:
        """Map each indicator id to its dimension id."""
        return {i.id: d.id for d in self.dimensions for i in d.indicators}

    def level_scores(self, indicator: Indicator) -> dict[str, float | None]:
        """The status -> score mapping that applies to `indicator`."""
        return self.levels[indicator.levels]

    def effective_weights(self) -> dict[str, float]:
        """Each indicator's weight in the index: its share in its dimension x the dimension's share.

        The values sum to 1 (docs/method.md, "effective weight").
        """
        total = sum(d.weight for d in self.dimensions)
        result = {}
        for d in self.dimensions:
            within = sum(i.weight for i in d.indicators)
            for i in d.indicators:
                result[i.id] = (i.weight / within) * (d.weight / total)
        return result


# --- countries/*.yaml --------------------------------------------------------------------------


class Fact(_Strict):
    """One recorded fact: a status, when it began or was observed, and where it is said."""

    status: Annotated[str, Field(min_length=1, max_length=64)]
    year: Year | None = None  # the year it began (an event's year)
    observed: Year | None = None  # the year the source observed it, when no start year is known
    absent_before: Year | None = None  # the sources imply it cannot have held before this year
    title: Text | None = None
    source: Sources
    note: Text | None = None

    @model_validator(mode="after")
    def _years_consistent(self) -> Fact:
        if self.year is not None and self.observed is not None and self.year > self.observed:
            raise ValueError(f"year {self.year} is after the year it was observed ({self.observed})")
        known_from = self.year if self.year is not None else self.observed
        if self.absent_before is not None:
            if self.note is None:
                raise ValueError("absent_before needs a note saying why the sources imply it")
            if known_from is not None and self.absent_before > known_from:
                raise ValueError(
                    f"absent_before {self.absent_before} is after the year it is known to hold ({known_from})"
                )
        return self

    @property
    def known_from(self) -> int | None:
        """The first year the recorded status is known to hold: its start year, else its observation."""
        return self.year if self.year is not None else self.observed


ISO3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class CountryFile(_Strict):
    country: Text
    iso3: ISO3
    member_since: Year  # the year the state joined the region's organisation
    membership_source: Sources
    facts: dict[Id, Fact] = Field(default_factory=dict, max_length=10_000)


# --- weights files (--weights FILE, sensitivity --weights-from FILE) ---------------------------


class WeightScheme(_Strict):
    """An alternative weighting scheme: new weights for some dimensions and indicators of the
    scoring model; the ones not listed keep the model's weight."""

    name: Text
    note: Text | None = None
    dimensions: dict[Id, Weight] = Field(default_factory=dict, max_length=1000)
    indicators: dict[Id, Weight] = Field(default_factory=dict, max_length=10_000)


class WeightSchemesFile(_Strict):
    """Several weighting schemes, for the sensitivity analysis to choose among."""

    schemes: list[WeightScheme] = Field(min_length=1, max_length=1000)
