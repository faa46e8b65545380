"""harmon: legal-harmonization indices from coded legal facts.

    >>> import harmon
    >>> data = harmon.load_dataset()             # the shipped ASEAN dataset
    >>> result = harmon.score_year(data, 2011)   # pandas DataFrames inside
    >>> result.countries[["country", "index", "coverage", "rank"]]

Everything the command line can do is here, as functions that return numbers, ids, DataFrames
and dataclasses; they never print, and every error they raise on purpose is a `HarmonError`.
The layers (docs/architecture.md): `harmon.data` reads and validates files, `harmon.core`
computes, `harmon.report` formats and writes, `harmon.authoring` starts new datasets,
`harmon.cli` is the command line.

The heavy parts (pandas, pydantic) are imported on first use, so that `harmon --help` is quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    # reading and validating data
    "load_dataset": "harmon.data.loading",
    "validate_dataset": "harmon.data.loading",
    "check_dataset": "harmon.data.loading",
    "default_data_dir": "harmon.data.loading",
    "Dataset": "harmon.data.loading",
    "load_weights": "harmon.data.weights",
    "load_weight_schemes": "harmon.data.weights",
    "apply_weights": "harmon.data.weights",
    # computing
    "score_year": "harmon.core.scoring",
    "score_panel": "harmon.core.scoring",
    "YearScore": "harmon.core.scoring",
    "Panel": "harmon.core.scoring",
    "explain": "harmon.core.explain",
    "Explanation": "harmon.core.explain",
    "diff": "harmon.core.diff",
    "Diff": "harmon.core.diff",
    "trend": "harmon.core.trend",
    "Trend": "harmon.core.trend",
    "status": "harmon.core.status",
    "status_cells": "harmon.core.status",
    "StatusMatrix": "harmon.core.status",
    "timeline": "harmon.core.timeline",
    "find_state": "harmon.core.states",
    "sensitivity": "harmon.core.sensitivity",
    "SensitivityResult": "harmon.core.sensitivity",
    "sources_report": "harmon.core.sources",
    "agree": "harmon.core.agree",
    "Agreement": "harmon.core.agree",
    "adoption": "harmon.core.adoption",
    "adoption_report": "harmon.core.adoption",
    "AdoptionReport": "harmon.core.adoption",
    # presenting and writing
    "render": "harmon.report.render",
    "build_export": "harmon.report.shapes",
    "Export": "harmon.report.shapes",
    "write_export": "harmon.report.writers",
    "encode_text": "harmon.report.writers",
    "write_datapackage": "harmon.report.datapackage",
    "codebook_markdown": "harmon.report.codebook",
    "plot": "harmon.report.plot",
    "figure": "harmon.report.plot",
    # starting a dataset
    "init_dataset": "harmon.authoring.init",
    "json_schemas": "harmon.authoring.schemas",
    # errors
    "HarmonError": "harmon.errors",
    "DatasetInvalid": "harmon.errors",
    "WeightsInvalid": "harmon.errors",
    "DatasetNotFound": "harmon.errors",
    "YearOutOfRange": "harmon.errors",
    "InvalidOption": "harmon.errors",
    "Problem": "harmon.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'harmon' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
