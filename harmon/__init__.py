"""harmon: legal-harmonization indices from coded legal facts.

    >>> import harmon
    >>> data = harmon.load_dataset()             # the shipped ASEAN dataset
    >>> result = harmon.score_year(data, 2011)   # pandas DataFrames inside
    >>> result.countries[["country", "index", "coverage", "rank"]]

The heavy parts (pandas, pydantic) are imported on first use, so that `harmon --help` is quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_dataset": "harmon.loading",
    "validate_dataset": "harmon.loading",
    "default_data_dir": "harmon.loading",
    "Dataset": "harmon.loading",
    "score_year": "harmon.scoring",
    "score_panel": "harmon.scoring",
    "YearScore": "harmon.scoring",
    "Panel": "harmon.scoring",
    "HarmonError": "harmon.errors",
    "DatasetInvalid": "harmon.errors",
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
