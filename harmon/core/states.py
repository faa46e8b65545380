"""Finding a state of the dataset by a name a person types: its ISO code, its name or an alias
(`aliases:` in its file), in any case, or an unambiguous prefix of any of them."""

from __future__ import annotations

import re

from harmon.data.loading import Dataset, given
from harmon.data.schema import CountryFile
from harmon.errors import BadValue, StateNotFound
from harmon.suggest import closest


def _key(text: str) -> str:
    """Casefolded, without a leading "the" and without spaces or punctuation: "Viet Nam",
    "vietnam" and "VIET-NAM" are one key."""
    text = text.casefold().strip()
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[\W_]+", "", text)


def _names(state: CountryFile) -> list[str]:
    """Every name `state` goes by: its name, its aliases, its ISO code."""
    return [state.country, *state.aliases, state.iso3]


def find_state(dataset: Dataset, name: str) -> CountryFile:
    """The state named by `name`: its ISO code, its name or one of its `aliases`, case-insensitive,
    or an unambiguous prefix of any of them. Raises `StateNotFound` (with a "did you mean" where
    one is close)."""
    if not isinstance(name, str):
        raise BadValue("state", "must be a state's name or ISO code (a str)", given(name))
    wanted = _key(name)
    if not wanted:
        raise StateNotFound("a state needs a name or ISO code")
    states = list(dataset.countries)
    for exact in (lambda c: _key(c.iso3) == wanted, lambda c: any(_key(n) == wanted for n in _names(c))):
        found = [c for c in states if exact(c)]
        if len(found) == 1:
            return found[0]
    found = [c for c in states if any(_key(n).startswith(wanted) for n in _names(c))]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = ", ".join(f"{c.country} ({c.iso3})" for c in found)
        raise StateNotFound(f"{name!r} could be any of: {names}; give more of the name")
    by_key = {_key(n): c for c in states for n in _names(c)}
    close = closest(wanted, list(by_key), n=3)
    suggestions = list(dict.fromkeys(f"{by_key[k].country} ({by_key[k].iso3})" for k in close))
    hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
    known = ", ".join(c.iso3 for c in states)
    raise StateNotFound(f"no state {name!r} in the data{hint} (states: {known})")
