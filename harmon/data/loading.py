"""Loading and validating a dataset folder.

A dataset folder holds `region.yaml` (name, period, milestones), `references.yaml`,
`indicators/*.yaml` (the scoring model) and `countries/*.yaml` (one file per state).
`validate_dataset` reports every problem in every file; `load_dataset` returns a `Dataset` or
raises `DatasetInvalid` with those problems.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import numbers
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence, TypeVar

from pydantic import BaseModel, ValidationError

from harmon.errors import BadValue, DatasetInvalid, DatasetNotFound, PeriodReversed, Problem, YearOutOfRange
from harmon.data.limits import ENV_MAX_INDICATORS, ENV_MAX_STATES, MAX_FILES, max_indicators, max_states
from harmon.data.schema import (
    FACT_TAG, HISTORY_TAG, CountryFile, Fact, RegionFile, ReferencesFile, ScoringModel, Spell,
)
from harmon.data.yamlio import Document, YamlProblem, clip, read_yaml
from harmon.files import resolved
from harmon.suggest import Suggester, did_you_mean

REGION_FILE = "region.yaml"
REFERENCES_FILE = "references.yaml"
INDICATORS_DIR = "indicators"
COUNTRIES_DIR = "countries"
# The name `harmon init` gives the scoring model, and the one a dataset without any is told to add.
MODEL_FILE = "model.yaml"

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Dataset:
    """A validated dataset: the region, its references, the scoring model and the states.

    `countries` are in a stable order (by name); `version` is a hash of every file read, so
    that any change to the data gives another version.
    """

    root: Path
    region: RegionFile
    references: ReferencesFile
    model: ScoringModel
    countries: tuple[CountryFile, ...]
    country_files: dict[str, Path]  # iso3 -> the file it came from
    version: str
    # The weighting scheme that replaced the model's weights (`harmon.data.weights.apply_weights`):
    # its name, file and hash, for provenance. None: the model's own weights.
    weights: dict[str, str] | None = None
    # Entries of countries/ and indicators/ that are not data files and were not read (hidden
    # files, editor and system leftovers, other extensions), for `validate --verbose`.
    ignored: tuple[Path, ...] = ()

    @property
    def first_year(self) -> int:
        return self.region.period.first

    @property
    def last_year(self) -> int:
        return self.region.period.last

    @property
    def data_paths(self) -> tuple[Path, ...]:
        """The files and folders the dataset is read from, which no output may replace or enter."""
        return (self.root / REGION_FILE, self.root / REFERENCES_FILE, self.root / COUNTRIES_DIR,
                self.root / INDICATORS_DIR, *self.country_files.values())

    @property
    def weights_label(self) -> str:
        """The weights scored with, for provenance: "name (file hash)" of a weights file, or "model"."""
        if self.weights is None:
            return "model"
        return f"{self.weights['name']} ({self.weights['file']} {self.weights['sha256']})"

    def check_period(self, first: int | None, last: int | None) -> tuple[int, int]:
        """The years `first`-`last`, each defaulting to the data's period and checked to lie in it;
        raise `PeriodReversed` when they are out of order."""
        first = self.first_year if first is None else self.check_year(first, "first")
        last = self.last_year if last is None else self.check_year(last, "last")
        if first > last:
            raise PeriodReversed(first, last)
        return first, last

    def check_year(self, year: int, parameter: str = "year") -> int:
        """Return `year` (as an int) if it is a year of the dataset's period; raise `BadValue`
        naming `parameter` when it is not an int (`whole_year`), else `YearOutOfRange`."""
        year = whole_year(year, parameter)
        if not self.first_year <= year <= self.last_year:
            raise YearOutOfRange(year, self.first_year, self.last_year)
        return year


def whole_year(value: Any, parameter: str = "year") -> int:
    """`value` as an int when it is a whole number (an int, or numpy's); raise `BadValue` naming
    `parameter` for anything else.

    Why strict: "2011" compared with a year raised TypeError, True was taken for a year (1), and
    2011.5 would be cut to 2011; a data file refuses all three as a year, and so does the library.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise BadValue(parameter, "must be an int", given(value))
    return int(value)


def as_path(value: Any, parameter: str = "root") -> Path:
    """`value` (a str or an os.PathLike such as a Path) as a Path; raise `BadValue` naming
    `parameter` for anything else (Path() raised TypeError)."""
    if isinstance(value, (str, os.PathLike)):
        text = os.fspath(value)
        if isinstance(text, str):
            return Path(text)
    raise BadValue(parameter, "must be a path (a str or a pathlib.Path)", given(value))


def given(value: Any) -> str:
    """What a caller passed, for a `BadValue`: `'2011' (str)`, on one short line."""
    return f"{clip(repr(value), 60)} ({type(value).__name__})"


def default_data_dir() -> Path:
    """The dataset shipped with harmon: inside the installed package, or the source checkout's root."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "_data"
    if (packaged / REGION_FILE).is_file():
        return packaged
    return package.parent


def load_dataset(root: Path | str | None = None) -> Dataset:
    """Load and validate the dataset in `root` (default: the shipped one); return a `Dataset`.

    Raises `DatasetNotFound` when `root` is not a dataset folder and `DatasetInvalid` (listing
    every problem) when any file is wrong.
    """
    dataset, problems = _load(_root(root))
    if problems or dataset is None:
        raise DatasetInvalid(problems)
    return dataset


def validate_dataset(root: Path | str | None = None) -> list[Problem]:
    """Return every problem in the dataset in `root`, in file and line order; [] when clean."""
    return check_dataset(root)[1]


def check_dataset(root: Path | str | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Validate the dataset in `root` fully; return it (None when it has problems) and its
    problems in file and line order.

    Beyond what `load_dataset` checks, this checks completeness (ISO codes, indicators with no
    recorded fact): `load_dataset` leaves that out so that a partly coded dataset can still be
    scored while it is being coded.
    """
    country_docs: dict[Path, Document] = {}
    dataset, problems = _load(_root(root), country_docs)
    if dataset is not None:
        # Imported here: ISO 3166's tables (pycountry) cost start-up time that scoring never needs.
        from harmon.data.completeness import check_states

        problems = check_states(dataset, country_docs)
    problems = DatasetInvalid(problems).problems
    return (None if problems else dataset), problems


# --- the work ----------------------------------------------------------------------------------


def _root(root: Path | str | None) -> Path:
    return default_data_dir() if root is None else as_path(root, "root")


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a dataset is read.

    Why: reading builds hundreds of thousands of dicts, lists and strings, none of them in a
    reference cycle, and the collector, started by every few hundred new objects, walked them
    again and again: a quarter of the time of reading 200 country files. Reference counting
    frees them all the same; the collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(root: Path, country_docs: dict[Path, Document] | None = None) -> tuple[Dataset | None, list[Problem]]:
    # `country_docs`, when given, receives each country file's parsed Document (for line numbers).
    with _cycle_collector_paused():
        return _read(root, country_docs)


def _read(root: Path, country_docs: dict[Path, Document] | None) -> tuple[Dataset | None, list[Problem]]:
    if not root.is_dir():
        # A file where the folder should be is there: saying "no such folder" sent people looking.
        raise DatasetNotFound(f"{root}: not a folder (a dataset is a folder)" if root.exists() else f"{root}: no such data folder")
    parts = [root / REGION_FILE, root / REFERENCES_FILE, root / INDICATORS_DIR, root / COUNTRIES_DIR]
    if not any(p.exists() for p in parts):
        raise DatasetNotFound(
            f"{root} is not a harmon dataset: it has none of {REGION_FILE}, {REFERENCES_FILE}, "
            f"{INDICATORS_DIR}/, {COUNTRIES_DIR}/"
        )
    # The bounds first (limits.py): a bad environment variable or a dataset over a bound is
    # refused before any file is parsed.
    state_bound, indicator_bound = max_states(), max_indicators()
    problems: list[Problem] = []
    read: dict[Path, bytes] = {}  # every file parsed, for the version hash
    ignored: list[Path] = []
    real_root = resolved(root)

    def parse(path: Path, schema: type[M], choices: Choices | None = None) -> tuple[Document | None, M | None]:
        if not path.exists():  # read_yaml refuses what is there but not a regular file
            problems.append(Problem(path, None, _absent(path, "file")))
            return None, None
        if _leaves(path, real_root):
            # Why not read it at all: its text would be echoed in problems (a link to a secret).
            problems.append(Problem(path, None, "a symbolic link that leads out of the dataset folder: not read"))
            return None, None
        try:
            doc = read_yaml(path)
        except YamlProblem as exc:
            problems.append(exc.problem)
            return None, None
        read[path] = doc.source
        obj, found = validate_document(doc, schema, choices)
        problems.extend(found)
        return doc, obj

    # Why the larger of the two: HARMON_MAX_STATES may be raised past MAX_FILES.
    country_files = _yaml_files(root / COUNTRIES_DIR, problems, max(MAX_FILES, 2 * state_bound), ignored)
    over_bound = len(country_files) > state_bound
    if over_bound:
        problems.append(
            Problem(
                root / COUNTRIES_DIR, None,
                f"{len(country_files):,} country files, over the bound of {state_bound:,} states: "
                f"none was read (set {ENV_MAX_STATES} to change the bound)",
            )
        )
        country_files = []

    region_doc, region = parse(root / REGION_FILE, RegionFile)
    references_doc, references = parse(root / REFERENCES_FILE, ReferencesFile)

    before = len(problems)
    model_files = _yaml_files(root / INDICATORS_DIR, problems, ignored=ignored)
    if not model_files and len(problems) == before:
        # The folder is there but holds no model: name the file to add (else nothing was reported
        # and `validate` said "0 problem(s)" while failing).
        problems.append(Problem(root / INDICATORS_DIR / MODEL_FILE, None, _absent(root / INDICATORS_DIR / MODEL_FILE, "file")))
    model: ScoringModel | None = None
    model_doc: Document | None = None
    if len(model_files) > 1:
        problems.append(
            Problem(root / INDICATORS_DIR, None, "more than one scoring model file: keep exactly one")
        )
    for path in model_files[:1]:
        model_doc, model = parse(path, ScoringModel)
    if model is not None and model_doc is not None and len(model.indicators) > indicator_bound:
        problems.append(
            Problem(
                model_doc.path, model_doc.line_of(("dimensions",)),
                f"{len(model.indicators):,} indicators, over the bound of {indicator_bound:,}: "
                f"no country file was read (set {ENV_MAX_INDICATORS} to change the bound)",
            )
        )
        model, model_doc, country_files, over_bound = None, None, [], True

    countries: list[tuple[Document, CountryFile]] = []
    levels = _status_levels(model)
    for path in country_files:
        doc, country = parse(path, CountryFile, levels)
        if doc is not None and country is not None:
            countries.append((doc, country))
            if country_docs is not None:
                country_docs[path] = doc
    if (root / COUNTRIES_DIR).is_dir() and not countries and not over_bound and not any(
        p.path.parent == root / COUNTRIES_DIR or p.path == root / COUNTRIES_DIR for p in problems
    ):
        problems.append(Problem(root / COUNTRIES_DIR, None, "no country files (*.yaml) in this folder"))

    ref_keys = frozenset(references.references) if references else None
    if references is not None and references_doc is not None:
        problems.extend(_check_references(references_doc, references))
    if region is not None and region_doc is not None and ref_keys is not None:
        problems.extend(_check_region(region_doc, region, ref_keys))
    if model is not None and model_doc is not None and ref_keys is not None and model.source:
        problems.extend(_unknown_sources(model_doc, ("source",), model.source, ref_keys))
    period = (region.period.first, region.period.last) if region is not None else None
    problems.extend(_check_countries(countries, model, ref_keys, period))

    if problems or region is None or references is None or model is None:
        return None, problems
    ordered = sorted(countries, key=lambda dc: (dc[1].country.casefold(), dc[1].iso3))
    dataset = Dataset(
        root=root,
        region=region,
        references=references,
        model=model,
        countries=tuple(c for _, c in ordered),
        country_files={c.iso3: d.path for d, c in ordered},
        version=_version(root, read),
        ignored=tuple(sorted(ignored)),
    )
    return dataset, []


def is_data_file(name: str) -> bool:
    """Whether a file of countries/ or indicators/ is read: `.yaml` or `.yml` in any case, and
    not hidden (`.x.yaml`, and so editors' lock files `.#x.yaml` and macOS's `._x.yaml`)."""
    return not name.startswith(".") and Path(name).suffix.lower() in (".yaml", ".yml")


def _absent(path: Path, kind: str) -> str:
    """Why `path`, a file or folder (`kind`) the dataset needs, cannot be read though nothing is
    in the way: it is missing, or a symbolic link to nothing (or a loop of links)."""
    if path.is_symlink():
        return "a broken symbolic link: what it points to does not exist"
    return f"missing: a dataset needs this {kind}"


def _leaves(path: Path, real_root: Path | None) -> bool:
    """Whether `path` is a symbolic link (or under one) that resolves outside `real_root` (the
    dataset's folder, resolved)."""
    real = resolved(path)
    return real is None or real_root is None or not real.is_relative_to(real_root)


def _yaml_files(folder: Path, problems: list[Problem], bound: int | None = None, ignored: list[Path] | None = None) -> list[Path]:
    """The data files in `folder` (`is_data_file`), sorted; none when it has over `bound`
    entries (default MAX_FILES). Other entries are added to `ignored`."""
    bound = MAX_FILES if bound is None else bound
    if not folder.is_dir():
        what = "not a folder" if folder.exists() else _absent(folder, "folder")
        problems.append(Problem(folder, None, what))
        return []
    found = []
    try:
        for n, path in enumerate(folder.iterdir(), 1):
            if n > bound:
                problems.append(Problem(folder, None, f"over {bound:,} entries in this folder: nothing in it was read"))
                return []
            if is_data_file(path.name):
                found.append(path)
            elif ignored is not None:
                ignored.append(path)
    except OSError as exc:
        problems.append(Problem(folder, None, f"cannot list folder: {exc.strerror or exc}"))
        return []
    return sorted(found)


# The texts allowed at a place in a file (a location, as pydantic gives it) where the file's
# schema alone cannot say (a fact's status is a level of its indicator's scale); None elsewhere.
Choices = Callable[[tuple], Sequence[str] | None]


def _status_levels(model: ScoringModel | None) -> Choices | None:
    """The levels a country file's facts may record, by place (`facts.<id>.status`, or
    `facts.<id>.<k>.status` in a history), for hints; None without a model."""
    if model is None:
        return None
    indicators = model.indicators

    def levels(loc: tuple) -> Sequence[str] | None:
        if len(loc) in (3, 4) and loc[0] == "facts" and loc[-1] == "status" and loc[1] in indicators:
            return tuple(model.level_scores(indicators[loc[1]]))
        return None

    return levels


def validate_document(doc: Document, schema: type[M], choices: Choices | None = None) -> tuple[M | None, list[Problem]]:
    """`doc`'s data as an instance of `schema`, or None and its problems (each with its line).
    `choices` gives the texts allowed where the schema cannot say, for hints."""
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__ if doc.data is not None else "nothing"
        return None, [Problem(doc.path, doc.line_of(()), f"expected a mapping of keys to values, found {kind}")]
    try:
        return schema.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [_problem_from_error(doc, err, choices) for err in exc.errors(include_url=False)]


_KNOWN_KEYS = sorted(
    {
        name
        for cls in (CountryFile, Fact, RegionFile, ReferencesFile, ScoringModel)
        for name in cls.model_fields
    }
    | {"first", "last", "author", "title", "document", "locator", "label", "kind", "weight", "levels",
       "indicators", "date", "name", "value", "period", "unit", "from", "to", "requires", "symbol"}
)


def _problem_from_error(doc: Document, err: Any, choices: Choices | None = None) -> Problem:
    # "[key]" marks an error in a mapping's key; the tags say which form of a fact was read.
    loc = tuple(p for p in err["loc"] if p not in ("[key]", FACT_TAG, HISTORY_TAG))
    where = _where(loc)
    kind, value = err["type"], err.get("input")
    if kind == "missing":
        message = f"missing required key {loc[-1]!r}" + (f" in {_where(loc[:-1])}" if len(loc) > 1 else "")
    elif kind == "extra_forbidden":
        message = f"unknown key {clip(repr(loc[-1]))}" + did_you_mean(str(loc[-1]), _KNOWN_KEYS)
    elif kind in ("value_error", "assertion_error"):
        message = str(err["ctx"]["error"]) if "ctx" in err else err["msg"]
        message = f"{where}: {message}" if where else message
    elif kind in ("dict_type", "model_type"):
        # Why: pydantic says "a valid dictionary or instance of Fact", which names Python classes;
        # say it in the words used for a file whose top level is not a mapping.
        found = type(value).__name__ if value is not None else "nothing"
        message = f"{where}: expected a mapping of keys to values, found {found}"
    else:
        if value is None:
            shown = ", got no value"
        elif isinstance(value, (str, int, float, bool)):
            shown = f", got {clip(repr(value))}"
        else:
            shown = ""
        msg = err["msg"] or kind
        message = f"{where}: {msg[0].lower()}{msg[1:]}{shown}"
        if kind in ("int_type", "float_type") and isinstance(value, str) and _looks_numeric(value):
            if doc.kinds.get(loc) == "plain str":
                # Why: YAML 1.1 reads 1e6 (no dot in the mantissa) as text, though it is not quoted.
                message += f" (YAML reads unquoted {clip(value, 40)} as text: write it {_yaml11_float(value)}, or in plain digits)"
            else:
                # Why: strict models refuse a quoted "2004"; say how to fix it, not only that it is wrong.
                message += " (a number in quotes is text: write it without quotes)"
        elif kind == "int_type" and isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
            message += f" (a whole number is written without a decimal point: {int(value)})"
        elif (
            kind == "int_type" and isinstance(value, str) and loc and loc[-1] in _YEAR_KEYS
            and re.match(r"^\d{4}\D", value) and doc.kinds.get(loc) != "timestamp"
        ):
            message += f" (a year is written alone, as four digits: {value[:4]})"
    allowed = choices(loc) if choices is not None else None
    if kind == "literal_error" and allowed is None:
        allowed = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))  # "'event' or 'status'"
    expected = _EXPECTED.get(kind)
    if expected == "integer" and loc and loc[-1] in _YEAR_KEYS:
        expected = "year"
    return Problem(doc.path, doc.line_of(loc), message + doc.hint_for(loc, expected, allowed or None))


def _yaml11_float(text: str) -> str:
    """`1e6` as YAML 1.1 reads a float: `1.0e+6` (a dot in the mantissa, a signed exponent)."""
    mantissa, _, exponent = text.lower().partition("e")
    if not exponent:
        return clip(text, 40)
    mantissa = mantissa if "." in mantissa else mantissa + ".0"
    exponent = exponent if exponent[:1] in "+-" else "+" + exponent
    return clip(f"{mantissa}e{exponent}", 40)


def _where(loc: tuple) -> str:
    """`facts.untoc.year`: the place of a value, on one short line whatever its keys hold (a key
    that is not a plain name is shown quoted)."""
    parts = (repr(p) if isinstance(p, str) and not re.fullmatch(r"[\w.\-]{1,64}", p) else str(p) for p in loc)
    return clip(".".join(parts), 120)


# What a pydantic error type says the file's model wanted, in the words of `Document.hint_for`.
_EXPECTED = {
    "string_type": "text", "list_type": "list", "int_type": "integer", "int_parsing": "integer",
    "int_from_float": "integer", "float_type": "number", "float_parsing": "number",
    "dict_type": "mapping", "model_type": "mapping", "literal_error": "text",
}
_YEAR_KEYS = {"year", "observed", "absent_before", "member_since", "first", "last", "from", "to"}




def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=4)
def _suggester(keys: frozenset[str]) -> Suggester:
    # Why cached: built once per dataset (a frozenset hashes once), not once per unknown citation,
    # so that 10,000 bad citations against 10,000 keys cost linear time.
    return Suggester(sorted(keys))


def _unknown_sources(doc: Document, loc: tuple, sources: list[str], ref_keys: frozenset[str]) -> list[Problem]:
    problems = []
    for i, key in enumerate(sources):
        if key not in ref_keys:
            hint = did_you_mean(key, _suggester(ref_keys))
            line = doc.line_of(loc + (i,))
            problems.append(Problem(doc.path, line, f"unknown reference {key!r}: not in references.yaml{hint}"))
    return problems


def _check_references(doc: Document, refs: ReferencesFile) -> list[Problem]:
    return [
        Problem(doc.path, doc.line_of(("references", key, "document")), f"reference {key!r} names unknown document {ref.document!r}")
        for key, ref in refs.references.items()
        if ref.document not in refs.documents
    ]


def _check_region(doc: Document, region: RegionFile, ref_keys: frozenset[str]) -> list[Problem]:
    problems = _unknown_sources(doc, ("period", "source"), region.period.source, ref_keys)
    for i, milestone in enumerate(region.milestones):
        problems += _unknown_sources(doc, ("milestones", i, "source"), milestone.source, ref_keys)
    for i, figure in enumerate(region.figures):
        problems += _unknown_sources(doc, ("figures", i, "source"), figure.source, ref_keys)
    return problems


def _check_countries(
    countries: list[tuple[Document, CountryFile]],
    model: ScoringModel | None,
    ref_keys: frozenset[str] | None,
    period: tuple[int, int] | None = None,
) -> list[Problem]:
    problems: list[Problem] = []
    first_file: dict[str, Path] = {}
    indicators = model.indicators if model is not None else {}  # a new dict per call: build it once
    for doc, country in countries:
        for label, key in (("iso3", country.iso3), ("country", country.country.casefold())):
            if key in first_file:
                problems.append(
                    Problem(doc.path, doc.line_of((label,)), f"duplicate state: {label} {getattr(country, label)!r} is also in {first_file[key].name}")
                )
            else:
                first_file[key] = doc.path
        if ref_keys is not None and country.membership_source is not None:
            problems += _unknown_sources(doc, ("membership_source",), country.membership_source, ref_keys)
        if country.membership is not None:
            problems += _check_spells(doc, country.membership, period)
            if ref_keys is not None:
                for k, spell in enumerate(country.membership):
                    problems += _unknown_sources(doc, ("membership", k, "source"), spell.source, ref_keys)
        for indicator_id, recorded in country.facts.items():
            history = country.history(indicator_id)
            is_history = isinstance(recorded, list)
            for k, fact in enumerate(history):
                loc = ("facts", indicator_id, k) if is_history else ("facts", indicator_id)
                problems += _check_absent_before(doc, loc, indicator_id, fact, k)
                if ref_keys is not None:
                    problems += _unknown_sources(doc, loc + ("source",), fact.source, ref_keys)
                if model is not None:
                    found = _check_fact(doc, loc, indicator_id, fact, model, indicators, not is_history)
                    problems += found
                    if found and indicator_id not in indicators:
                        break  # one line for an unknown indicator, not one per entry
            if is_history:
                problems += _check_history(doc, indicator_id, history)
    return problems


def _check_spells(doc: Document, spells: list[Spell], period: tuple[int, int] | None) -> list[Problem]:
    """Spells in order, apart, and each touching the dataset's period."""
    problems = []
    for k, spell in enumerate(spells):
        line = doc.line_of(("membership", k))
        if k and (spells[k - 1].end is None or spell.start <= spells[k - 1].end):
            previous = spells[k - 1]
            ended = "has no end (to)" if previous.end is None else f"ends in {previous.end}"
            problems.append(
                Problem(doc.path, line, f"membership: the spell from {spell.start} overlaps or comes before "
                        f"the spell from {previous.start}, which {ended}; list spells oldest first, apart")
            )
        if period is not None and (spell.start > period[1] or (spell.end is not None and spell.end < period[0])):
            until = "on" if spell.end is None else f"to {spell.end}"
            problems.append(
                Problem(doc.path, line, f"membership: the spell from {spell.start} {until} lies outside the "
                        f"dataset's period {period[0]}-{period[1]}")
            )
    return problems


def _check_absent_before(doc: Document, loc: tuple, indicator_id: str, fact: Fact, k: int) -> list[Problem]:
    """`absent_before` of the `k`th entry (0: the first, or a single fact): only on the first
    entry, with a note saying why, and not after the year the fact is known to hold."""
    if fact.absent_before is None:
        return []
    line = doc.line_of(loc + ("absent_before",))
    if k:
        return [Problem(doc.path, line, f"{indicator_id}: history entry {k + 1}: absent_before belongs on the first "
                        "entry of a history only (it speaks of the years before the history begins): move it there")]
    if fact.note is None:
        return [Problem(doc.path, line, f"{indicator_id}: absent_before needs a note saying why the sources imply it")]
    if fact.known_from is not None and fact.absent_before > fact.known_from:
        return [Problem(doc.path, line, f"{indicator_id}: absent_before {fact.absent_before} is after the year it is "
                        f"known to hold ({fact.known_from})")]
    return []


def _check_history(doc: Document, indicator_id: str, history: tuple[Fact, ...]) -> list[Problem]:
    """A history's entries: each with a start year, in strictly increasing order, each observed
    before the next starts."""
    problems = []
    previous: Fact | None = None
    for k, fact in enumerate(history):
        loc = ("facts", indicator_id, k)
        where = f"{indicator_id}: history entry {k + 1}"
        if fact.known_from is None:
            problems.append(
                Problem(doc.path, doc.line_of(loc), f"{where} has neither year nor observed: each entry of a "
                        "history holds from its start, so give the year it began (year) or was observed (observed)")
            )
            previous = None
            continue
        if previous is not None:
            if fact.known_from <= previous.known_from:
                problems.append(
                    Problem(doc.path, doc.line_of(loc), f"{where} starts in {fact.known_from}, not after the entry "
                            f"before it ({previous.known_from}): list entries oldest first, one per year")
                )
            elif fact.known_from <= previous.known_until:
                problems.append(
                    Problem(doc.path, doc.line_of(loc), f"{where} starts in {fact.known_from}, but the entry before "
                            f"it was still observed in {previous.known_until}")
                )
        previous = fact
    return problems


def _check_fact(
    doc: Document, loc: tuple, indicator_id: str, fact: Fact, model: ScoringModel, indicators: dict[str, Any],
    single: bool = True,
) -> list[Problem]:
    # `single` False: an entry of a history, whose start years `_check_history` checks.
    if indicator_id not in indicators:
        hint = did_you_mean(indicator_id, list(indicators))
        return [Problem(doc.path, doc.line_of(("facts", indicator_id)), f"unknown indicator {indicator_id!r}: not in the scoring model{hint}")]
    levels = model.level_scores(indicators[indicator_id])
    if fact.status not in levels:
        return [
            Problem(
                doc.path,
                doc.line_of(loc + ("status",)),
                f"{indicator_id}: unknown status {fact.status!r}; expected one of: {', '.join(levels)}",
            )
        ]
    if single and levels[fact.status] is not None and fact.known_from is None:
        return [
            Problem(
                doc.path,
                doc.line_of(loc),
                f"{indicator_id}: status {fact.status!r} needs the year it began (year) or was observed (observed)",
            )
        ]
    return []


def _version(root: Path, read: dict[Path, bytes]) -> str:
    digest = hashlib.sha256()
    for path in sorted(read):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(read[path] + b"\0")
    return digest.hexdigest()[:12]
