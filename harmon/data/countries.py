"""Names and codes of states, from ISO 3166 (pycountry): what `init` resolves a typed name
with and what `validate` checks a state's code against."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pycountry

from harmon.errors import CountryNameUnknown
from harmon.suggest import closest

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


# Short names that people commonly use for more than one state, though ISO 3166 gives one of them
# the name exactly ("Congo" is COG's ISO name; DR Congo is COD): each stops `init` with the names
# to write instead. Names that are distinct (Niger and Nigeria, Sudan and South Sudan) are not here.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "congo": ("Republic of the Congo", "Democratic Republic of the Congo"),
    "korea": ("South Korea", "North Korea"),
    "virgin islands": ("British Virgin Islands", "Virgin Islands of the United States"),
}


# Codes accepted besides ISO 3166-1 and the withdrawn codes of ISO 3166-3.
EXTRA_CODES = {"XKX": "Kosovo"}


@dataclass(frozen=True)
class State:
    name: str  # as the user wrote it: the dataset's own spelling ("Lao PDR")
    iso3: str
    iso_name: str  # ISO 3166's name for it


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.replace("’", "'").casefold().split())


def _all_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names.setdefault(value, c.alpha_3)
    return names


def resolve_state(name: str) -> State:
    """Return the ISO 3166 state that `name` names, or raise `CountryNameUnknown` with suggestions.

    A name that commonly means more than one state (`AMBIGUOUS`: "Congo") is refused with the
    names to write. Then tried in order: an ISO name, common or official name or code (any case);
    a common other spelling (`ALIASES`: "Lao PDR", "Burma", "Ivory Coast", "Kosovo"); pycountry's
    fuzzy search, when it finds exactly one country.
    """
    text = " ".join(name.split())
    if not text:
        raise CountryNameUnknown(name, [])

    def state(code: str) -> State:
        if code in EXTRA_CODES:
            return State(text, code, EXTRA_CODES[code])
        return State(text, code, pycountry.countries.get(alpha_3=code).name)

    short = re.sub(r"^the ", "", _fold(text))  # "the Congo" is as ambiguous as "Congo"
    if short in AMBIGUOUS:
        raise CountryNameUnknown(text, list(AMBIGUOUS[short]), ambiguous=True)
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
        raise CountryNameUnknown(text, [c.name for c in found[:5]], ambiguous=True)
    names = _all_names()
    by_fold = {_fold(n): n for n in names} | {a: a.title() for a in ALIASES}
    close = closest(_fold(text), list(by_fold), n=3)
    raise CountryNameUnknown(text, [by_fold[c] for c in close])


def iso3_codes() -> dict[str, str]:
    """Every alpha-3 code harmon accepts, with its name: ISO 3166-1, the withdrawn codes of
    ISO 3166-3 (for datasets that reach back before a state dissolved) and `EXTRA_CODES`."""
    codes = {c.alpha_3: c.name for c in pycountry.historic_countries if getattr(c, "alpha_3", None)}
    codes.update({c.alpha_3: c.name for c in pycountry.countries})
    codes.update(EXTRA_CODES)
    return codes
