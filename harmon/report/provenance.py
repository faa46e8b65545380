"""What produced an output: harmon's version, the dataset's version and the options, built in
one place for every file and report that records it.

No date and no path: the same data and options give the same provenance, byte for byte."""

from __future__ import annotations

from typing import Any

from harmon import __version__
from harmon.data.loading import Dataset
from harmon.report.text import comment_text, plain



def provenance(dataset: Dataset, options: dict[str, Any]) -> dict[str, Any]:
    """harmon's version, the dataset's name and version, then `options` in their order."""
    return {"harmon_version": __version__, "dataset": dataset.region.name, "dataset_version": dataset.version, **options}


def export_provenance(
    dataset: Dataset, first: int, last: int, missing: str, shape: str, raw: bool = False,
    aggregation: str = "arithmetic",
) -> dict[str, Any]:
    """The provenance of an exported panel: the scoring model, the shape, period and options."""
    model = dataset.model
    return provenance(dataset, {
        "model": model.name,
        "model_version": model.version,
        "shape": shape,
        "from": first,
        "to": last,
        "missing": missing,
        "aggregation": aggregation,
        # An alternative weighting scheme (a weights file) by name and file hash; "model": none.
        "weights": dataset.weights_label,
        "raw": raw,
    })


def provenance_line(meta: dict[str, Any]) -> str:
    """The provenance as one `key=value; ...` line (for comments and Stata notes): one line
    whatever the data's names hold."""
    return comment_text("; ".join(f"{k}={plain(v)}" for k, v in meta.items()))
