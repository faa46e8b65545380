"""The vocabularies every layer shares, each declared once: the engine checks values against
them, the writers dispatch on them and the command line offers them as its choices."""

from __future__ import annotations

from typing import Iterable

from harmon.errors import InvalidOption

# How unknown indicator scores are treated (docs/method.md, "Missing data").
MISSING_POLICIES = ("reweight", "zero", "backfill")
# How dimension scores make the index (docs/method.md, "Aggregation").
AGGREGATIONS = ("arithmetic", "geometric")

# The shapes of an exported panel: a row per state-year, per state-year-indicator, per year, and
# per member state-indicator-year at risk of adoption (for event-history models).
SHAPES = ("wide", "long", "region", "events")
# Each export format, in the order the command line lists them, with its kind: text formats
# can go to stdout; binary ones need a file (or a pipe).
_EXPORT_FORMAT_KINDS = {
    "csv": "text", "tsv": "text", "json": "text", "xlsx": "binary", "dta": "binary",
    "parquet": "binary", "tex": "text", "md": "text",
}
TEXT_FORMATS = tuple(f for f, kind in _EXPORT_FORMAT_KINDS.items() if kind == "text")
BINARY_FORMATS = tuple(f for f, kind in _EXPORT_FORMAT_KINDS.items() if kind == "binary")
FORMATS = tuple(_EXPORT_FORMAT_KINDS)  # every file format, in the order the command line lists them
# A folder of CSV files with a datapackage.json: a format of `export`, not a file format.
DATAPACKAGE = "datapackage"
EXPORT_FORMATS = (*FORMATS, DATAPACKAGE)
# The file extension that names each format.
EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".xlsx": "xlsx", ".dta": "dta", ".parquet": "parquet",
              ".tex": "tex", ".md": "md", ".markdown": "md"}

# How a view (score, diff, explain, status, trend, timeline) is shown.
VIEW_FORMATS = ("table", "csv", "json", "markdown")
SENSITIVITY_FORMATS = ("table", "csv", "json")
SOURCES_FORMATS = ("table", "json")
# What `score --by` adds: a column per dimension (always) or per indicator too.
SCORE_BY = ("dimension", "indicator")
# Which events a timeline shows.
TIMELINE_SCOPES = ("all", "region", "national")

PLOT_KINDS = ("heatmap", "trend", "dimensions", "adoption")
PLOT_FORMATS = ("png", "svg", "pdf")

# The kinds of data file a JSON Schema describes, and the file each describes in a dataset.
SCHEMA_FILES = {
    "country": "countries/*.yaml",
    "indicators": "indicators/*.yaml",
    "references": "references.yaml",
    "region": "region.yaml",
}
SCHEMA_KINDS = tuple(SCHEMA_FILES)

# The factors `sensitivity` can vary.
SENSITIVITY_FACTORS = ("weights", "missing", "aggregation", "drop_one")


def check_choice(value: str, choices: Iterable[str], what: str) -> str:
    """Return `value` if it is one of `choices`, else raise `InvalidOption` naming `what`."""
    choices = tuple(choices)
    if value not in choices:
        raise InvalidOption(f"unknown {what} {value!r}; expected one of: {', '.join(choices)}")
    return value


def check_missing_policy(missing: str) -> str:
    """Return `missing` if it is a known missing-data policy, else raise `InvalidOption`."""
    return check_choice(missing, MISSING_POLICIES, "missing-data policy")


def check_aggregation(aggregation: str) -> str:
    """Return `aggregation` if it is a known way to aggregate dimensions, else raise `InvalidOption`."""
    return check_choice(aggregation, AGGREGATIONS, "aggregation")


def check_shape(shape: str) -> str:
    """Return `shape` if it is a known export shape, else raise `InvalidOption`."""
    return check_choice(shape, SHAPES, "shape")
