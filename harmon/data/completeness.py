"""Completeness checks that `harmon validate` adds to loading: ISO codes, and every indicator
recorded in every state's file. Loading leaves them out so that a partly coded dataset can be
scored while it is being coded."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pycountry

from harmon.data.countries import iso3_codes, resolve_state
from harmon.data.yamlio import YamlProblem, read_yaml
from harmon.errors import CountryNameUnknown, Problem
from harmon.suggest import closest

if TYPE_CHECKING:
    from harmon.data.loading import Dataset

def check_states(dataset: "Dataset", country_docs: dict[Path, Any] | None = None) -> list[Problem]:
    """Problems a schema cannot see in a loaded dataset's country files.

    - `iso3` must be an ISO 3166 alpha-3 code (see `iso3_codes`), and when the `country` name
      is itself an ISO name of a state, the code must be that state's;
    - every indicator of the scoring model must be recorded in every state's file: one that is
      not is reported as "not recorded". (`status: unknown` is a recorded fact, with a source:
      what was read says nothing, or, citing `todo`, nothing has been read yet. "Not recorded" means nobody has looked; both score as missing.)

    `country_docs` (path -> parsed Document, from loading) gives the line numbers; without it
    each country file is read again for them.
    """
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
            close = closest(country.iso3, list(codes))
            hint = ""
            try:
                hint = f" ({country.country} is {resolve_state(country.country).iso3})"
            except CountryNameUnknown:
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
