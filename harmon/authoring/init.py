"""Starting a dataset for a new region: a folder that validates and scores at once, with every
indicator of a copy of the shipped scoring model recorded as unknown in every state's file."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any, Iterable

from harmon.authoring.schemas import json_schemas
from harmon.data.countries import State, resolve_state
from harmon.data.loading import (
    COUNTRIES_DIR, INDICATORS_DIR, MODEL_FILE, REFERENCES_FILE, REGION_FILE, default_data_dir, as_path, given,
    load_dataset, whole_year,
)
from harmon.data.schema import MAX_YEAR, MIN_YEAR
from harmon.data.yamlio import YAML11_BOOL_WORDS
from harmon.errors import AuthoringError, BadValue, FolderNotEmpty, NoStates, OutputNotWritable
from harmon.files import atomic_write, check_new
from harmon.names import slug

# The placeholder reference every generated fact cites until the real source is written in.
PLACEHOLDER = "todo"
# Where `init` puts the JSON Schemas inside a new dataset folder, so that editors validate it.
SCHEMAS_DIR = "schemas"


def parse_states(text: str | Iterable[str]) -> list[str]:
    """Split "Ghana, Nigeria, Senegal" into names; with a `;` anywhere, split on `;` only.

    (ISO names can hold a comma: "Korea, Republic of"; write such lists with semicolons.)
    """
    parts = [text] if isinstance(text, str) else list(text) if isinstance(text, Iterable) else None
    if parts is None or not all(isinstance(part, str) for part in parts):
        raise BadValue("states", "must be a str or an iterable of str", given(text))
    names: list[str] = []
    for part in parts:
        sep = ";" if ";" in part else ","
        names += [n.strip() for n in part.split(sep) if n.strip()]
    return names


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
        "# references.yaml. `harmon docs authoring` walks through it.\n"
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
        "#     title: Declaration on regional legal cooperation\n"
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
        "# One fact (or a history of facts) per indicator of the scoring model (indicators/model.yaml).\n",
        "# Each fact names its\n",
        "# `status` (a level of the indicator's scale), the `year` it began or, with no start year\n",
        "# in the sources, the year it was `observed`, and its `source` (a key of references.yaml).\n",
        "#\n",
        f"# Every fact starts as `status: unknown` citing the placeholder `{PLACEHOLDER}`: nobody has read\n",
        "# the sources for it yet (`harmon sources` counts what still cites it). Unknown is missing,\n",
        "# never 0, so the dataset validates and scores at once, with coverage 0. Replace each fact\n",
        "# with what the sources say, and cite them; for example:\n",
        "#   a_law:\n",
        '#     status: "yes"        # quote yes and no: unquoted, YAML reads them as true/false\n',
        "#     year: 2003           # an event: the year it happened\n",
        "#     title: Act No. 29 of 2003\n",
        "#     source: some-reference\n",
        "#   a_standing_provision:\n",
        '#     status: "yes"\n',
        "#     observed: 2012       # a status: the year it started, or was observed\n",
        "#     source: [one-reference, another]\n",
        "#     note: anything a reader should know\n",
        "# When a fact changes (a law repealed, a provision upgraded), record its history: a list of\n",
        "# facts, oldest first, each holding from its year (or observed year) until the next starts:\n",
        "#   a_law:\n",
        '#     - {status: "yes", year: 2003, source: some-reference}\n',
        '#     - {status: "no", year: 2011, source: another}   # repealed in 2011\n',
        "# An entry with only `observed` leaves the years since the entry before it unknown.\n",
        "#\n",
        "# Membership: `member_since: YEAR`, or, for a state that left, was suspended or rejoined,\n",
        "# spells (years inclusive; no `to`: still a member) instead of member_since and its source:\n",
        "#   membership:\n",
        "#     - {from: 1991, to: 2011, source: some-reference}\n",
        "#     - {from: 2014, source: another}             # suspended 2012-2013\n",
        f"country: {_q(state.name)}\n",
        "# Other names people use for the state, for commands that take a state's name:\n",
        "# aliases: [Another Name]\n",
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
        + "# A copy of the scoring model shipped with harmon. It is yours to edit: add, remove or\n"
        "# reweight indicators and dimensions, define other levels and their `symbols`, or say that\n"
        "# an indicator `requires` another (absent while that one is). Every state file must then\n"
        "# record each indicator (`harmon validate` names any that is not recorded). See\n"
        "# `harmon docs authoring`.\n"
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

    Raises `CountryNameUnknown` for a name no ISO 3166 country matches and `AuthoringError` for a
    folder that is not empty (unless `force`: then the files named above are overwritten and
    any other file is left as it is), a duplicate state or a bad period.
    """
    folder = as_path(folder, "folder")
    first = whole_year(first, "first")
    last = MAX_YEAR if last is None else whole_year(last, "last")
    if name is not None and not isinstance(name, str):
        raise BadValue("name", "must be a str or None", given(name))
    if not MIN_YEAR <= first <= last <= MAX_YEAR:
        raise AuthoringError(f"period {first}-{last}: years must be in order, within {MIN_YEAR}-{MAX_YEAR}")
    names = parse_states(states)
    if not names:
        raise NoStates()
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
        raise FolderNotEmpty(folder)

    shipped = load_dataset(default_data_dir())
    model_files = sorted((shipped.root / INDICATORS_DIR).glob("*.y*ml"))
    model_text = model_files[0].read_text(encoding="utf-8")

    files: dict[Path, str] = {
        folder / REGION_FILE: _region_yaml(name or folder.resolve().name, first, last),
        folder / REFERENCES_FILE: _references_yaml(),
        folder / INDICATORS_DIR / MODEL_FILE: _model_yaml(model_text),
    }
    for file_slug, state in slugs.items():
        files[folder / COUNTRIES_DIR / f"{file_slug}.yaml"] = _country_yaml(state, first, shipped.model)
    for kind, schema in json_schemas().items():
        files[folder / SCHEMAS_DIR / f"{kind}.schema.json"] = json.dumps(schema, indent=2) + "\n"

    for path in files:  # every file checked (no symbolic link, nothing but a file) before any is written
        check_new(path, force)
    written = []
    for path, text in files.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputNotWritable(f"cannot write {exc.filename or folder}: {exc.strerror or exc}") from None
        written.append(atomic_write(path, lambda stream, text=text: stream.write(text.encode("utf-8")), force))
    return written
