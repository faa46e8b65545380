"""Coding another region: a new dataset folder, JSON Schemas for editors, and who cites what.

`init_dataset` writes a dataset folder that validates and scores at once; `json_schemas` turns
the pydantic models of `harmon.schema` into JSON Schemas (what an editor checks as one types);
`sources_report` counts the citations of every reference; `check_states` checks ISO codes and
that every state records every indicator. The engine never prints: the CLI (harmon.cli_authoring)
renders all of this.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from harmon.errors import InvalidOption, Problem
from harmon.yamlio import YAML11_BOOL_WORDS

# The placeholder reference every generated fact cites until the real source is written in.
PLACEHOLDER = "todo"
# Where `init` puts the JSON Schemas inside a new dataset folder, so that editors validate it.
SCHEMAS_DIR = "schemas"

SCHEMA_KINDS = ("country", "indicators", "references", "region")
# The file each kind of schema describes, relative to a dataset folder.
SCHEMA_FILES = {
    "country": "countries/*.yaml",
    "indicators": "indicators/*.yaml",
    "references": "references.yaml",
    "region": "region.yaml",
}

# Names of states that ISO 3166 spells otherwise, as regional organisations often write them.
# Kosovo has no ISO 3166-1 code; XKX is the user-assigned code the EU, IMF and World Bank use.
ALIASES: dict[str, str] = {
    "lao pdr": "LAO",
    "burma": "MMR",
    "brunei": "BRN",
    "ivory coast": "CIV",
    "cote d'ivoire": "CIV",
    "turkey": "TUR",
    "swaziland": "SWZ",
    "cape verde": "CPV",
    "east timor": "TLS",
    "macedonia": "MKD",
    "russia": "RUS",
    "north korea": "PRK",
    "dr congo": "COD",
    "drc": "COD",
    "democratic republic of the congo": "COD",
    "republic of the congo": "COG",
    "vietnam": "VNM",
    "the gambia": "GMB",
    "kosovo": "XKX",
}
# Codes accepted besides ISO 3166-1 and the withdrawn codes of ISO 3166-3.
EXTRA_CODES = {"XKX": "Kosovo"}


class AuthoringError(InvalidOption):
    """`init` cannot do what it was asked: an unknown state, a folder in use, pycountry missing.
    A usage error: the CLI shows it as one line, exit 2."""


class UnknownState(AuthoringError):
    """A state name that no ISO 3166 country matches; `suggestions` are the closest names."""

    def __init__(self, name: str, suggestions: list[str], ambiguous: bool = False):
        self.name, self.suggestions = name, suggestions
        if ambiguous:
            message = f"state {name!r} is ambiguous: it matches {', '.join(suggestions)}; write the one you mean"
        elif suggestions:
            message = f"unknown state {name!r}: no ISO 3166 country of that name (did you mean {' or '.join(repr(s) for s in suggestions)}?)"
        else:
            message = f"unknown state {name!r}: no ISO 3166 country of that name"
        super().__init__(message)


def _pycountry() -> Any:
    try:
        import pycountry
    except ImportError:  # pragma: no cover - depends on the installation
        raise AuthoringError(
            "resolving state names needs the pycountry package: pip install pycountry"
        ) from None
    return pycountry


# --- state names -> ISO 3166-1 alpha-3 ----------------------------------------------------------


@dataclass(frozen=True)
class State:
    name: str  # as the user wrote it: the dataset's own spelling ("Lao PDR")
    iso3: str
    iso_name: str  # ISO 3166's name for it


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.replace("’", "'").casefold().split())


def _all_names(pycountry: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names.setdefault(value, c.alpha_3)
    return names


def resolve_state(name: str) -> State:
    """Return the ISO 3166 state that `name` names, or raise `UnknownState` with suggestions.

    Tried in order: an ISO name, common or official name or code (any case); a common other
    spelling (`ALIASES`: "Lao PDR", "Burma", "Ivory Coast", "Kosovo"); pycountry's fuzzy search,
    when it finds exactly one country.
    """
    pycountry = _pycountry()
    text = " ".join(name.split())
    if not text:
        raise UnknownState(name, [])

    def state(code: str) -> State:
        if code in EXTRA_CODES:
            return State(text, code, EXTRA_CODES[code])
        return State(text, code, pycountry.countries.get(alpha_3=code).name)

    try:
        return state(pycountry.countries.lookup(text).alpha_3)
    except LookupError:
        pass
    if _fold(text) in ALIASES:
        return state(ALIASES[_fold(text)])
    try:
        found = pycountry.countries.search_fuzzy(text)
    except LookupError:
        found = []
    if len(found) == 1:
        return state(found[0].alpha_3)
    if len(found) > 1:
        raise UnknownState(text, [c.name for c in found[:5]], ambiguous=True)
    names = _all_names(pycountry)
    by_fold = {_fold(n): n for n in names} | {a: a.title() for a in ALIASES}
    close = difflib.get_close_matches(_fold(text), list(by_fold), n=3, cutoff=0.6)
    raise UnknownState(text, [by_fold[c] for c in close])


def parse_states(text: str | Iterable[str]) -> list[str]:
    """Split "Ghana, Nigeria, Senegal" into names; with a `;` anywhere, split on `;` only.

    (ISO names can hold a comma: "Korea, Republic of"; write such lists with semicolons.)
    """
    parts = [text] if isinstance(text, str) else list(text)
    names: list[str] = []
    for part in parts:
        sep = ";" if ";" in part else ","
        names += [n.strip() for n in part.split(sep) if n.strip()]
    return names


def slug(name: str) -> str:
    """A file name for a state: "Lao PDR" -> "lao-pdr"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "state"


# --- init ---------------------------------------------------------------------------------------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _schema_line(kind: str, depth: int) -> str:
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMAS_DIR}/{kind}.schema.json\n"


def _region_yaml(name: str, first: int, last: int) -> str:
    return (
        _schema_line("region", 0)
        + "# The region: its name, the years the dataset speaks for, and regional milestones.\n"
        "# Country facts live in countries/, the scoring model in indicators/, the sources in\n"
        "# references.yaml. See docs/authoring.md in harmon for a walk-through.\n"
        f"name: {_q(name)}\n"
        "# title: a longer name, shown in reports (optional)\n"
        "#\n"
        "# Scores can be asked for any year in this period and no other. Every `source:` in the\n"
        "# dataset is a key of `references:` in references.yaml (one key, or a list [a, b]).\n"
        f"# `{PLACEHOLDER}` is a placeholder: replace it with the reference that gives the period.\n"
        "period:\n"
        f"  first: {first}\n"
        f"  last: {last}\n"
        f"  source: {PLACEHOLDER}\n"
        "\n"
        "# Regional milestones (declarations, conventions, institutions), for timelines. Example:\n"
        "#   - year: 2001\n"
        '#     date: "2001-12-21"     # only where the source gives the day; in quotes\n'
        "#     kind: declaration      # a lower-case word of your choice\n"
        "#     title: Declaration on the fight against trafficking in persons\n"
        "#     source: some-reference\n"
        "milestones: []\n"
    )


def _references_yaml() -> str:
    return (
        _schema_line("references", 0)
        + "# References: the documents the dataset is coded from, and the places in them that facts\n"
        "# cite. A fact's `source:` is a key of `references:`; each reference names its `document`\n"
        "# (a key of `documents:`) and a `locator` (the table, section or page where the fact is\n"
        "# stated), so that every number can be traced to where it is said.\n"
        "#\n"
        f"# `{PLACEHOLDER}` below is a placeholder that every generated fact cites so that the dataset\n"
        "# validates from the start. Add your documents and references, cite them in the facts you\n"
        f"# record, and delete `{PLACEHOLDER}` once `harmon sources` shows that nothing cites it.\n"
        "documents:\n"
        f"  {PLACEHOLDER}:\n"
        "    author: TODO\n"
        "    title: The document these facts are to be coded from\n"
        "    year: null            # the year it was published; null when it is undated\n"
        "    # publisher: ...      # optional\n"
        "    # note: ...           # optional: anything a reader should know about the document\n"
        "\n"
        "references:\n"
        f"  {PLACEHOLDER}:\n"
        f"    document: {PLACEHOLDER}\n"
        "    locator: \"Not yet coded: cite the real references, then delete this one\"\n"
        "  # An example of a real reference:\n"
        "  # ecowas2001-art3:\n"
        "  #   document: ecowas2001\n"
        '  #   locator: "Article 3"\n'
    )


def _country_yaml(state: State, member_since: int, model: Any) -> str:
    lines = [
        _schema_line("country", 1),
        f"# {state.name} (ISO 3166: {state.iso_name}, {state.iso3}).\n",
        "# One fact per indicator of the scoring model (indicators/model.yaml). Each fact names its\n",
        "# `status` (a level of the indicator's scale), the `year` it began or, with no start year\n",
        "# in the sources, the year it was `observed`, and its `source` (a key of references.yaml).\n",
        "#\n",
        f"# Every fact starts as `status: unknown` citing the placeholder `{PLACEHOLDER}`: nobody has read\n",
        "# the sources for it yet (`harmon sources` counts what still cites it). Unknown is missing,\n",
        "# never 0, so the dataset validates and scores at once, with coverage 0. Replace each fact\n",
        "# with what the sources say, and cite them; for example:\n",
        "#   trafficking_law:\n",
        '#     status: "yes"        # quote yes and no: unquoted, YAML reads them as true/false\n',
        "#     year: 2003           # an event: the year it happened\n",
        "#     title: Act No. 29 on trafficking in persons\n",
        "#     source: some-reference\n",
        "#   specialist_unit:\n",
        '#     status: "yes"\n',
        "#     observed: 2012       # a status: the year it started, or was observed\n",
        "#     source: [one-reference, another]\n",
        "#     note: anything a reader should know\n",
        f"country: {_q(state.name)}\n",
        f"iso3: {state.iso3}\n",
        f"# The year {state.name} joined the region's organisation: it counts in the regional figures\n",
        f"# from that year. {member_since} is a placeholder (the first year of the period).\n",
        f"member_since: {member_since}\n",
        f"membership_source: {PLACEHOLDER}\n",
    ]
    facts = []
    for indicator in model.indicators.values():
        status = _unknown_status(model, indicator)
        if status is None:
            continue  # no missing level to start from: left "not recorded"
        shown = status if re.fullmatch(r"[a-z][a-z0-9_-]*", status) and status not in _YAML_WORDS else _q(status)
        label = " ".join(indicator.label.split())
        facts.append(f"  {indicator.id}:  # {label}\n    status: {shown}\n    source: {PLACEHOLDER}\n")
    lines.append("facts:\n" + "".join(facts) if facts else "facts: {}\n")
    return "".join(lines)


_YAML_WORDS = YAML11_BOOL_WORDS | {"null"}


def _unknown_status(model: Any, indicator: Any) -> str | None:
    levels = model.level_scores(indicator)
    if "unknown" in levels and levels["unknown"] is None:
        return "unknown"
    return next((s for s, score in levels.items() if score is None), None)


def _model_yaml(text: str) -> str:
    # The shipped model's own `source:` cites the shipped references: point it at the placeholder.
    text = re.sub(r"(?m)^# yaml-language-server:.*\n", "", text)
    text = re.sub(r"(?m)^source:[^\n]*\n(?:[ \t]+-[^\n]*\n)*", f"source: {PLACEHOLDER}\n", text, count=1)
    header = (
        _schema_line("indicators", 1)
        + "# A copy of the scoring model shipped with harmon (Lau's four dimensions of legal\n"
        "# harmonization, for ASEAN). It is yours to edit: add, remove or reweight indicators and\n"
        "# dimensions, or define other levels. Every state file must then record each indicator\n"
        "# (`harmon validate` names any that is not recorded). See docs/authoring.md.\n"
        "#\n"
    )
    return header + text


def init_dataset(
    folder: Path | str,
    states: str | Iterable[str],
    force: bool = False,
    *,
    name: str | None = None,
    first: int = 2000,
    last: int | None = None,
) -> list[Path]:
    """Write a new dataset in `folder` for `states`; return the files written.

    Writes region.yaml, references.yaml (one placeholder document and reference), indicators/
    model.yaml (a copy of the shipped model), countries/<state>.yaml (every indicator recorded
    as `status: unknown`, citing the placeholder) and schemas/*.schema.json, which the YAML
    files name on their first line for editors. The result validates and scores as it is.

    Raises `UnknownState` for a name no ISO 3166 country matches and `AuthoringError` for a
    folder that is not empty (unless `force`: then the files named above are overwritten and
    any other file is left as it is), a duplicate state or a bad period.
    """
    from harmon.loading import INDICATORS_DIR, default_data_dir, load_dataset
    from harmon.schema import MAX_YEAR, MIN_YEAR

    folder = Path(folder)
    last = MAX_YEAR if last is None else last
    if not MIN_YEAR <= first <= last <= MAX_YEAR:
        raise AuthoringError(f"period {first}-{last}: years must be in order, within {MIN_YEAR}-{MAX_YEAR}")
    names = parse_states(states)
    if not names:
        raise AuthoringError("no states given: name them, e.g. --states \"Ghana, Nigeria, Senegal\"")
    resolved: list[State] = []
    for state_name in names:
        state = resolve_state(state_name)
        for other in resolved:
            if other.iso3 == state.iso3:
                raise AuthoringError(f"{other.name!r} and {state.name!r} are the same state ({state.iso3})")
        resolved.append(state)
    slugs: dict[str, State] = {}
    for state in resolved:
        if slug(state.name) in slugs:  # pragma: no cover - two states whose names fold alike
            raise AuthoringError(f"{state.name!r} and {slugs[slug(state.name)].name!r} would share a file name")
        slugs[slug(state.name)] = state

    if folder.exists() and not folder.is_dir():
        raise AuthoringError(f"{folder} exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise AuthoringError(f"{folder} is not empty: choose a new folder, or pass --force to overwrite harmon's files in it")

    shipped = load_dataset(default_data_dir())
    model_files = sorted((shipped.root / INDICATORS_DIR).glob("*.y*ml"))
    model_text = model_files[0].read_text(encoding="utf-8")

    files: dict[Path, str] = {
        folder / "region.yaml": _region_yaml(name or folder.resolve().name, first, last),
        folder / "references.yaml": _references_yaml(),
        folder / INDICATORS_DIR / "model.yaml": _model_yaml(model_text),
    }
    for file_slug, state in slugs.items():
        files[folder / "countries" / f"{file_slug}.yaml"] = _country_yaml(state, first, shipped.model)
    for kind, schema in json_schemas().items():
        files[folder / SCHEMAS_DIR / f"{kind}.schema.json"] = json.dumps(schema, indent=2) + "\n"

    written = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise AuthoringError(f"cannot write {exc.filename or folder}: {exc.strerror or exc}") from None
    return written


# --- JSON Schemas -------------------------------------------------------------------------------


def json_schemas() -> dict[str, dict]:
    """JSON Schema (draft 2020-12) of each kind of data file, from the models harmon validates with.

    Kinds: country, indicators (the scoring model, weights included), references, region. What
    a schema cannot say (a reference key that references.yaml lacks, a status the model does
    not define, first year after last) only `harmon validate` checks.
    """
    from harmon.schema import CountryFile, ReferencesFile, RegionFile, ScoringModel

    models = {"country": CountryFile, "indicators": ScoringModel, "references": ReferencesFile, "region": RegionFile}
    result = {}
    for kind in SCHEMA_KINDS:
        schema = _fix(models[kind].model_json_schema())  # _fix builds new dicts: no copy needed
        result[kind] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://harmon.invalid/schemas/{kind}.schema.json",
            "description": f"A harmon {kind} file ({SCHEMA_FILES[kind]}). Generated by `harmon schema`; "
            "`harmon validate` checks more (references, statuses, years in order).",
            **{k: v for k, v in schema.items() if k != "description"},
        }
    return result


def _is_sources(node: dict) -> bool:
    items = node.get("items")
    return node.get("type") == "array" and isinstance(items, dict) and items.get("type") == "string" and "pattern" in items and node.get("maxItems") == 20


def _fix(node: Any) -> Any:
    """Make the generated schema say what harmon accepts.

    - `source:` may be one key or a list of keys (harmon turns one key into a list before
      validating, which pydantic's schema does not show);
    - the keys of a mapping such as `facts:` must match their pattern (pydantic gives only
      `patternProperties`, which lets any other key through).
    """
    if isinstance(node, list):
        return [_fix(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _fix(v) for k, v in node.items()}
    if _is_sources(node):
        title = node.pop("title", None)
        one = dict(node["items"])
        node = {"anyOf": [one, node]}
        if title:
            node["title"] = title
    if "patternProperties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    return node


# --- sources ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceUse:
    key: str
    document: str
    locator: str
    facts: int  # state facts citing it
    other: int  # membership, region period/milestones/activity, the model
    cited_by: tuple[str, ...]  # where, e.g. "countries/ghana.yaml: facts.trafficking_law"

    @property
    def total(self) -> int:
        return self.facts + self.other


@dataclass(frozen=True)
class SourcesReport:
    references: tuple[ReferenceUse, ...]  # in references.yaml order
    warnings: tuple[Problem, ...] = field(default=())  # references and documents nobody cites

    def to_dict(self) -> dict[str, Any]:
        return {
            "references": [
                {"key": r.key, "document": r.document, "locator": r.locator, "facts": r.facts,
                 "other": r.other, "total": r.total}
                for r in self.references
            ],
            "warnings": [p.format(None) for p in self.warnings],
        }


def citations(dataset: Any) -> list[tuple[str, str, bool]]:
    """Every citation in the dataset as (reference key, where, is a state fact)."""
    root = dataset.root
    found: list[tuple[str, str, bool]] = []

    def rel(path: Path) -> str:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return str(path)

    for key in dataset.region.period.source:
        found.append((key, "region.yaml: period", False))
    for i, milestone in enumerate(dataset.region.milestones):
        found += [(key, f"region.yaml: milestones[{i}]", False) for key in milestone.source]
    for i, activity in enumerate(dataset.region.hsu_activity):
        found += [(key, f"region.yaml: hsu_activity[{i}]", False) for key in activity.source]
    for key in dataset.model.source or ():
        found.append((key, "scoring model: source", False))
    for country in dataset.countries:
        where = rel(dataset.country_files[country.iso3])
        found += [(key, f"{where}: membership_source", False) for key in country.membership_source]
        for indicator_id, fact in country.facts.items():
            found += [(key, f"{where}: facts.{indicator_id}", True) for key in dict.fromkeys(fact.source)]
    return found


def sources_report(dataset: Any) -> SourcesReport:
    """Every reference with the number of citations of it; warnings for references and documents
    nobody cites. (A fact citing no reference, or an unknown one, cannot pass validation.)"""
    from harmon.loading import REFERENCES_FILE
    from harmon.yamlio import YamlProblem, read_yaml

    cited: dict[str, list[tuple[str, bool]]] = {key: [] for key in dataset.references.references}
    for key, where, is_fact in citations(dataset):
        cited.setdefault(key, []).append((where, is_fact))
    uses = tuple(
        ReferenceUse(
            key=key,
            document=ref.document,
            locator=ref.locator,
            facts=sum(1 for _, f in cited[key] if f),
            other=sum(1 for _, f in cited[key] if not f),
            cited_by=tuple(w for w, _ in cited[key]),
        )
        for key, ref in dataset.references.references.items()
    )
    path = dataset.root / REFERENCES_FILE
    try:
        doc = read_yaml(path)
        line_of = doc.line_of
    except YamlProblem:  # pragma: no cover - the file was read a moment ago
        line_of = lambda loc: None  # noqa: E731
    warnings = [
        Problem(path, line_of(("references", u.key)), f"warning: reference {u.key!r} is cited by nothing")
        for u in uses
        if u.total == 0
    ]
    used_documents = {u.document for u in uses}
    warnings += [
        Problem(path, line_of(("documents", key)), f"warning: document {key!r} has no reference")
        for key in dataset.references.documents
        if key not in used_documents
    ]
    return SourcesReport(uses, tuple(warnings))


# --- checks proposed for `harmon validate` ------------------------------------------------------


def iso3_codes() -> dict[str, str]:
    """Every alpha-3 code harmon accepts, with its name: ISO 3166-1, the withdrawn codes of
    ISO 3166-3 (for datasets that reach back before a state dissolved) and `EXTRA_CODES`."""
    pycountry = _pycountry()
    codes = {c.alpha_3: c.name for c in pycountry.historic_countries if getattr(c, "alpha_3", None)}
    codes.update({c.alpha_3: c.name for c in pycountry.countries})
    codes.update(EXTRA_CODES)
    return codes


def check_states(dataset: Any, country_docs: dict[Path, Any] | None = None) -> list[Problem]:
    """Problems a schema cannot see in a loaded dataset's country files.

    - `iso3` must be an ISO 3166 alpha-3 code (see `iso3_codes`), and when the `country` name
      is itself an ISO name of a state, the code must be that state's;
    - every indicator of the scoring model must be recorded in every state's file: one that is
      not is reported as "not recorded". (`status: unknown` is a recorded fact, with a source:
      what was read says nothing, or, citing `todo`, nothing has been read yet. "Not recorded" means nobody has looked; both score as missing.)

    `country_docs` (path -> parsed Document, from loading) gives the line numbers; without it
    each country file is read again for them.
    """
    from harmon.yamlio import YamlProblem, read_yaml

    pycountry = _pycountry()
    codes = iso3_codes()
    problems: list[Problem] = []
    indicator_ids = list(dataset.model.indicators)
    for country in dataset.countries:
        path = dataset.country_files[country.iso3]
        doc = (country_docs or {}).get(path)
        try:
            line_of = (doc or read_yaml(path)).line_of
        except YamlProblem:  # pragma: no cover - the file was read a moment ago
            line_of = lambda loc: None  # noqa: E731
        if country.iso3 not in codes:
            close = difflib.get_close_matches(country.iso3, list(codes), n=1)
            hint = ""
            try:
                hint = f" ({country.country} is {resolve_state(country.country).iso3})"
            except AuthoringError:
                if close:
                    hint = f" (did you mean {close[0]!r}, {codes[close[0]]}?)"
            problems.append(Problem(path, line_of(("iso3",)), f"iso3 {country.iso3!r} is not an ISO 3166 alpha-3 code{hint}"))
        else:
            try:
                named = pycountry.countries.lookup(country.country).alpha_3
            except LookupError:
                named = None
            if named is not None and named != country.iso3 and len(country.country) > 3:
                problems.append(
                    Problem(path, line_of(("iso3",)),
                            f"iso3 {country.iso3!r} is {codes[country.iso3]}, but {country.country!r} is {named}")
                )
        missing = [i for i in indicator_ids if i not in country.facts]
        if missing:
            problems.append(
                Problem(
                    path,
                    line_of(("facts",)),
                    f"not recorded: {', '.join(missing)} (record each one; as `status: unknown` "
                    "citing the reference you read, when the sources say nothing)",
                )
            )
    return problems
