"""The Frictionless data package: a folder with the four shapes as CSV and a datapackage.json
that describes their fields, sources, licence and versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harmon.choices import SHAPES
from harmon.core.scoring import score_panel
from harmon.data.loading import Dataset
from harmon.names import slug
from harmon.files import atomic_folder, check_target
from harmon.report.frictionless import DATA_LICENSE, package_description, resource_descriptor, sources
from harmon.report.shapes import Export, build_export
from harmon.report.writers import write_stream



def write_datapackage(
    dataset: Dataset, output: str | Path, first: int | None = None, last: int | None = None,
    missing: str = "reweight", force: bool = False, aggregation: str = "arithmetic",
) -> Path:
    """Write a Frictionless data package folder: wide.csv, long.csv, region.csv, events.csv and
    datapackage.json (field types and descriptions, sources, licence, versions); return its path.
    Atomic: the folder is built beside the target and swapped into place; an existing folder is
    replaced (with `force`) only if harmon wrote it (`harmon.files.atomic_folder`)."""
    first, last = dataset.check_period(first, last)
    target = check_target(output, force, dataset.data_paths, folder=True)  # before the scoring, which can take a while
    panel = score_panel(dataset, range(first, last + 1), missing, aggregation)
    exports = [build_export(dataset, shape, first, last, missing, panel=panel) for shape in SHAPES]

    def fill(folder: Path) -> None:
        for export in exports:
            with open(folder / f"{export.shape}.csv", "wb") as stream:
                write_stream(export, "csv", stream, raw=True)
        descriptor = datapackage_descriptor(dataset, exports)
        (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    owned = [f"{shape}.csv" for shape in SHAPES] + ["datapackage.json"]
    return atomic_folder(target, fill, force, dataset.data_paths, owned)


def datapackage_descriptor(dataset: Dataset, exports: list[Export]) -> dict[str, Any]:
    """datapackage.json for the four shapes (Frictionless Tabular Data Package)."""
    meta = dict(exports[0].provenance)
    meta.pop("shape", None)
    meta.pop("raw", None)
    region = dataset.region
    return {
        "profile": "tabular-data-package",
        "name": slug(f"harmon-{region.name}-panel"),
        "title": f"{region.title or region.name}: legal-harmonization panel, {meta['from']}-{meta['to']}",
        "description": package_description(dataset, meta),
        "version": dataset.version,
        "licenses": [DATA_LICENSE],
        "sources": sources(dataset),
        "contributors": [{"title": "harmon developers", "role": "author"}],
        "harmon": meta,
        "resources": [resource_descriptor(e, f"{e.shape}.csv") for e in exports],
    }
