"""The model: what each data file holds, as pydantic models that validate it.

These classes are both the schema of the YAML files and the objects the engine works with.
Checks that need more than one file (a status the scoring model does not know, a reference key
that the references file lacks) live in `harmon.data.loading`.
"""

from __future__ import annotations

import datetime as _dt
import sys
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, ValidationInfo, field_validator,
    model_validator,
)

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


class Figure(_Strict):
    """A regional figure the sources report (say, cases handled by a regional process): its name,
    value, the period it covers, its unit and where it is said."""

    name: Text
    value: Annotated[float, Field(ge=-1e15, le=1e15)]
    period: Annotated[str, Field(min_length=1, max_length=50)] | None = None  # "2009-2012", "2011"
    unit: Annotated[str, Field(min_length=1, max_length=50)] | None = None
    source: Sources
    note: Text | None = None


class RegionFile(_Strict):
    name: Text
    title: Text | None = None
    period: Period
    milestones: list[Milestone] = Field(default_factory=list, max_length=10_000)
    figures: list[Figure] = Field(default_factory=list, max_length=10_000)


# --- indicators/*.yaml: the scoring model ------------------------------------------------------

Levels = Annotated[dict[Annotated[str, Field(min_length=1, max_length=64)], Score | None], Field(min_length=1)]


class LevelLabel(_Strict):
    """How a view shows one level of a scale: a `symbol` for a table cell and a `label` for its
    legend (both optional; the status name is shown where none is given)."""

    symbol: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    label: Text | None = None


# Ids become column names in exports: an indicator's also `adoption_<id>` and a dimension's also
# `mean_<id>` (the region shape). Stata takes names of up to 32 characters that are not among its
# reserved words (pandas' list, lower-case ones; tests/test_histories.py checks it against pandas).
# harmon rejects such ids rather than renaming columns in one format only.
STATA_NAME_MAX = 32
COLUMN_PREFIXES = {"indicator": "adoption_", "dimension": "mean_"}
STATA_RESERVED = frozenset(
    "aggregate array boolean break byte case catch class colvector complex const continue default delegate delete "
    "do double else eltypedef end enum explicit export external float for friend function global goto if in inline "
    "int local long pragma protected quad rowvector short typedef typename using virtual with".split()
)


def stata_name_problem(what: str, id_: str) -> str | None:
    """Why the id of an indicator or dimension (`what`) cannot name a Stata column, or None."""
    if id_ in STATA_RESERVED:
        return f"{what} id {id_!r} is a reserved word in Stata, so no export could name its column: choose another"
    longest = COLUMN_PREFIXES[what] + id_
    if len(longest) > STATA_NAME_MAX:
        most = STATA_NAME_MAX - len(COLUMN_PREFIXES[what])
        return (f"{what} id {id_!r} is {len(id_)} characters: exports name a column {longest!r}, over Stata's "
                f"{STATA_NAME_MAX}; use {most} characters or fewer")
    return None


def _stata_name_check(what: str) -> Any:
    """A validator of a model's `id` that refuses what Stata cannot name (`stata_name_problem`),
    reported at the id's own line."""

    def check(cls: Any, value: str) -> str:
        if (problem := stata_name_problem(what, value)) is not None:
            raise ValueError(problem)
        return value

    return field_validator("id", mode="after")(classmethod(check))


class Indicator(_Strict):
    id: Id
    label: Text
    kind: Literal["event", "status"]
    levels: Id  # a key of the model's `levels`
    weight: Weight = 1.0
    description: Text | None = None
    # Another indicator's id: in a year that one is known absent, this one is absent too, whatever
    # it records (a definition in a law cannot exist without the law).
    requires: Id | None = None

    _stata_can_name_it = _stata_name_check("indicator")


class Dimension(_Strict):
    id: Id
    label: Text
    short: Annotated[str, Field(min_length=1, max_length=12)] | None = None  # a column header
    weight: Weight = 1.0
    indicators: list[Indicator] = Field(min_length=1, max_length=1000)

    _stata_can_name_it = _stata_name_check("dimension")


class ScoringModel(_Strict):
    name: Text
    version: Annotated[str, Field(min_length=1, max_length=50)]
    source: Sources | None = None
    levels: dict[Id, Levels] = Field(min_length=1)
    # Per scale, per status: the symbol and legend label that `status` tables show.
    symbols: dict[Id, dict[Annotated[str, Field(min_length=1, max_length=64)], LevelLabel]] = Field(
        default_factory=dict, max_length=1000
    )
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
        self._check_requires()
        for scale, labels in self.symbols.items():
            if scale not in self.levels:
                raise ValueError(f"symbols are given for levels {scale!r}, which are not defined")
            unknown = [status for status in labels if status not in self.levels[scale]]
            if unknown:
                raise ValueError(f"symbols.{scale}: {unknown[0]!r} is not a level of {scale!r}")
        return self

    def _check_requires(self) -> None:
        indicators = self.indicators
        for indicator in indicators.values():
            seen = [indicator.id]
            required = indicator.requires
            while required is not None:
                if required not in indicators:
                    raise ValueError(f"indicator {indicator.id!r} requires {required!r}, which is not an indicator")
                if required in seen:
                    raise ValueError(f"indicators require each other in a circle: {' -> '.join(seen + [required])}")
                seen.append(required)
                required = indicators[required].requires

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

    def scale_bounds(self, indicator: Indicator) -> tuple[float, float]:
        """The lowest and highest score of `indicator`'s scale (its scored levels; 0 and 1 for a
        scale that scores none): the range an unknown score lies in."""
        scored = [v for v in self.level_scores(indicator).values() if v is not None]
        return (min(scored), max(scored)) if scored else (0.0, 1.0)

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
        # `absent_before` is checked in harmon.data.loading, which knows whether the fact is the
        # first entry of a history (the only place it belongs).
        if self.year is not None and self.observed is not None and self.year > self.observed:
            raise ValueError(f"year {self.year} is after the year it was observed ({self.observed})")
        return self

    @property
    def known_from(self) -> int | None:
        """The first year the recorded status is known to hold: its start year, else its observation."""
        return self.year if self.year is not None else self.observed

    @property
    def known_until(self) -> int | None:
        """The last year the status is known to hold without a later entry: the year it was
        observed, else its start year."""
        return self.observed if self.observed is not None else self.year


# A history: a list of facts, oldest first, each holding from its start until the next starts.
# Order and start years are checked in harmon.data.loading, which can name each entry's line.
History = Annotated[list[Fact], Field(min_length=1, max_length=1000)]
# In error locations, the tags name which of the two forms was read; loading drops them.
FACT_TAG, HISTORY_TAG = "<fact>", "<history>"
FactOrHistory = Annotated[
    Union[Annotated[Fact, Tag(FACT_TAG)], Annotated[History, Tag(HISTORY_TAG)]],
    Discriminator(lambda value: HISTORY_TAG if isinstance(value, list) else FACT_TAG),
]

ISO3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class Spell(_Strict):
    """A run of years as a member (both years inclusive; no `to`: still a member)."""

    start: Year = Field(alias="from")
    end: Year | None = Field(default=None, alias="to")
    source: Sources
    note: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Spell:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"to {self.end} is before from {self.start}")
        return self


class CountryFile(_Strict):
    country: Text
    # Other names people use for the state (Burma, Laos): `harmon explain Burma` finds it.
    aliases: list[Text] = Field(default_factory=list, max_length=50)
    iso3: ISO3
    member_since: Year | None = None  # the year the state joined the region's organisation
    membership_source: Sources | None = None
    # validate_default: the check below runs when `membership` is left out, too.
    membership: list[Spell] | None = Field(default=None, min_length=1, max_length=1000, validate_default=True)
    facts: dict[Id, FactOrHistory] = Field(default_factory=dict, max_length=10_000)

    @field_validator("membership", mode="after")
    @classmethod
    def _one_membership(cls, membership: list[Spell] | None, info: ValidationInfo) -> list[Spell] | None:
        # A field validator, not a model one, so that the problem is reported at `membership`'s
        # line; `member_since` and `membership_source` come before it and are in `info.data`.
        since, source = info.data.get("member_since"), info.data.get("membership_source")
        if since is not None and membership is not None:
            raise ValueError("give member_since or membership, not both")
        if since is None and membership is None and "member_since" in info.data:
            raise ValueError("missing membership: give member_since (a year) or membership (a list of spells)")
        if since is not None and source is None and "membership_source" in info.data:
            raise ValueError("member_since needs membership_source (the reference that says so)")
        if membership is not None and source is not None:
            raise ValueError("membership spells carry their own source: drop membership_source")
        return membership

    @property
    def spells(self) -> tuple[tuple[int, int | None], ...]:
        """The years of membership as (first, last) runs, oldest first; last None: still a member."""
        if self.membership is None:
            return ((self.member_since, None),)
        return tuple((s.start, s.end) for s in self.membership)

    def is_member(self, year: int) -> bool:
        """Whether the state was a member in `year`."""
        return any(first <= year and (last is None or year <= last) for first, last in self.spells)

    def history(self, indicator_id: str) -> tuple[Fact, ...]:
        """The facts recorded for `indicator_id`, oldest first: one for a single fact, none when
        nothing is recorded."""
        recorded = self.facts.get(indicator_id)
        if recorded is None:
            return ()
        return tuple(recorded) if isinstance(recorded, list) else (recorded,)


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
