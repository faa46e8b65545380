"""The bounds on what harmon reads, in one place.

A dataset is hand-coded YAML: a few kB per file, a few hundred states, a few dozen indicators.
These bounds are far above that and far below what would make harmon slow or crash, so that a
broken or hostile dataset is refused with one clear line before any heavy work. The biggest
dataset the defaults are meant for (every state of the world, 200 of them, with 40 indicators
over 1925-2025) fits with room to spare.

Three of them can be raised (or lowered) for one run with an environment variable: the number of
states, of indicators and the size of a file. The others guard the parser itself and are fixed.
"""

from __future__ import annotations

import os

from harmon.errors import InvalidOption

# Per data file: a country file is about 3 kB.
MAX_FILE_BYTES = 1 << 20
# Levels of nested mappings and lists in a file (harmon's files use 5). Fixed: a deeper file is
# refused at the level too deep, as the parser's events are read (yamlio builds values in a loop,
# never recursing per level, in C or in Python).
MAX_DEPTH = 32
# Values (scalars, mappings, lists) in one file: a 1 MiB file of `[1,1,1,...]` holds half a million.
MAX_NODES = 200_000
# Entries looked at in countries/ or indicators/ before giving up on the folder.
MAX_FILES = 10_000
# States (country files) in a dataset.
MAX_STATES = 500
# Indicators in the scoring model.
MAX_INDICATORS = 200

ENV_MAX_FILE_BYTES = "HARMON_MAX_FILE_BYTES"
ENV_MAX_STATES = "HARMON_MAX_STATES"
ENV_MAX_INDICATORS = "HARMON_MAX_INDICATORS"


def max_file_bytes() -> int:
    """MAX_FILE_BYTES, or the value of HARMON_MAX_FILE_BYTES."""
    return _from_env(ENV_MAX_FILE_BYTES, MAX_FILE_BYTES)


def max_states() -> int:
    """MAX_STATES, or the value of HARMON_MAX_STATES."""
    return _from_env(ENV_MAX_STATES, MAX_STATES)


def max_indicators() -> int:
    """MAX_INDICATORS, or the value of HARMON_MAX_INDICATORS."""
    return _from_env(ENV_MAX_INDICATORS, MAX_INDICATORS)


def _from_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise InvalidOption(f"{name}={raw!r}: expected a whole number of at least 1 (the default is {default:,})")
    return value
