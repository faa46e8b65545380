"""Frictionless descriptors of exported tables: the one place that says, in the Frictionless Data
standard's terms, what a CSV or TSV export holds (its fields, types, missing values, dialect) and
what produced it (provenance, sources, licence).

A plain `harmon export -o panel.csv` writes `panel.csv.resource.json` beside the file (a Tabular
Data Resource); `harmon export --format datapackage` writes the same resource descriptors into
its `datapackage.json`.

How the CSV cells are written, chosen so that pandas, DuckDB, R's `read.csv` and Stata's
`import delimited` all read a file the same way with no options: the header row first, missing
values as empty cells, booleans as 1 and 0 (Stata has no boolean type and reads `true` as text).
"""

from __future__ import annotations

from typing import Any

from harmon.data.loading import Dataset
from harmon.names import slug
from harmon.report.citations import cite_document
from harmon.report.shapes import Export

# How a csv/tsv cell says true, false and missing (the codebook repeats this in words).
TRUE_VALUE, FALSE_VALUE, MISSING_VALUE = "1", "0", ""
DELIMITERS = {"csv": ",", "tsv": "\t"}
MEDIA_TYPES = {"csv": "text/csv", "tsv": "text/tab-separated-values"}
PRIMARY_KEYS = {"wide": ["iso3", "year"], "long": ["iso3", "year", "indicator"], "region": ["year"],
                "events": ["iso3", "indicator", "year"]}
DATA_LICENSE = {"name": "MIT", "path": "https://opensource.org/licenses/MIT", "title": "MIT License"}
SHAPE_TITLES = {
    "wide": "One row per state-year: indicator and dimension scores, index, coverage, rank",
    "long": "One row per state-year-indicator: recorded status, score and source",
    "region": "One row per year: regional mean, dispersion, dyadic harmonization, dimension means, "
              "sigma-convergence and adoption shares",
    "events": "One row per member state-indicator-year at risk of adoption: adopted 0/1, unknown years "
              "marked, years since each regional milestone, share of other members that had adopted",
}
SIDECAR_SUFFIX = ".resource.json"


def sidecar_name(file_name: str) -> str:
    """The name of the descriptor written beside the exported file `file_name`."""
    return file_name + SIDECAR_SUFFIX


def table_schema(export: Export) -> dict[str, Any]:
    """The Table Schema of the export's columns: types, labels, descriptions, missing values."""
    fields = []
    for c in export.columns:
        field: dict[str, Any] = {"name": c.name, "type": c.type, "title": c.label, "description": c.description}
        if c.type == "boolean":
            field |= {"trueValues": [TRUE_VALUE], "falseValues": [FALSE_VALUE]}
        fields.append(field)
    return {"fields": fields, "primaryKey": PRIMARY_KEYS[export.shape], "missingValues": [MISSING_VALUE]}


def resource_descriptor(export: Export, path: str, fmt: str = "csv") -> dict[str, Any]:
    """The Tabular Data Resource of `export` written as `fmt` (csv or tsv) at the relative `path`."""
    resource: dict[str, Any] = {
        "name": export.shape,
        "path": path,
        "profile": "tabular-data-resource",
        "title": SHAPE_TITLES[export.shape],
        "format": fmt,
        "mediatype": MEDIA_TYPES[fmt],
        "encoding": "utf-8",
    }
    if fmt != "csv":
        resource["dialect"] = {"delimiter": DELIMITERS[fmt]}
    resource["schema"] = table_schema(export)
    return resource


def sidecar_descriptor(dataset: Dataset, export: Export, path: str, fmt: str) -> dict[str, Any]:
    """The descriptor written beside a csv/tsv export: its resource, with the provenance (the
    options that shaped it: weights, missing-data policy, aggregation), sources and licence."""
    meta = export.provenance
    return {
        **resource_descriptor(export, path, fmt),
        "name": slug(f"harmon-{dataset.region.name}-{export.shape}"),
        "description": package_description(dataset, meta),
        "version": dataset.version,
        "licenses": [DATA_LICENSE],
        "sources": sources(dataset),
        "harmon": meta,
    }


def package_description(dataset: Dataset, meta: dict[str, Any]) -> str:
    """One paragraph: what was computed, by which harmon, from which data and with which options."""
    return (
        f"Legal-harmonization scores for {dataset.region.name} computed by harmon {meta['harmon_version']} "
        f"from dataset version {dataset.version} (scoring model {dataset.model.name}, version "
        f"{dataset.model.version}; missing data: {meta['missing']}; aggregation: {meta['aggregation']}; weights: "
        f"{meta['weights']}). Each number is traced to its source in the long shape's `source` column (keys of "
        "references.yaml). Booleans are 1 (true) and 0 (false); an empty cell is missing."
    )


def sources(dataset: Dataset) -> list[dict[str, str]]:
    """The documents the dataset is coded from, as Frictionless sources."""
    return [{"title": cite_document(dataset, key)} for key in dataset.references.documents]
