"""Shell completion from the dataset: state names and ISO codes, years, dimension and indicator
ids, milestone kinds. Each function takes typer's context (for a `--data` given earlier on the
line) and what has been typed so far, and returns the candidates that start with it.

Completion runs as the user types: it never fails (a dataset that cannot be read completes
nothing) and loads the engine only when asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harmon.data.loading import Dataset


def _dataset(ctx: Any) -> "Dataset | None":
    from harmon.data.loading import load_dataset
    from harmon.errors import HarmonError

    data = (getattr(ctx, "params", None) or {}).get("data")
    try:
        return load_dataset(data)
    except (HarmonError, OSError):
        return None


def _starting(candidates: list[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    typed = incomplete.casefold()
    return [(value, help_text) for value, help_text in dict(candidates).items() if value.casefold().startswith(typed)]


def complete_state(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """ISO codes, names and aliases of the dataset's states, each with the state's name as help."""
    dataset = _dataset(ctx)
    if dataset is None:
        return []
    candidates = [(n, f"{c.country} ({c.iso3})") for c in dataset.countries for n in (c.iso3, c.country, *c.aliases)]
    return _starting(candidates, incomplete)


def complete_year(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """The years of the dataset's period."""
    dataset = _dataset(ctx)
    if dataset is None:
        return []
    return _starting([(str(y), "") for y in range(dataset.first_year, dataset.last_year + 1)], incomplete)


def complete_dimension(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """The ids of the scoring model's dimensions, with their labels."""
    dataset = _dataset(ctx)
    if dataset is None:
        return []
    return _starting([(d.id, d.label) for d in dataset.model.dimensions], incomplete)


def complete_kind(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Timeline kinds: the regional milestones' kinds, the indicator and dimension ids."""
    dataset = _dataset(ctx)
    if dataset is None:
        return []
    model = dataset.model
    kinds = [(m.kind, "milestone kind") for m in dataset.region.milestones]
    kinds += [(i, ind.label) for i, ind in model.indicators.items()] + [(d.id, d.label) for d in model.dimensions]
    return _starting(kinds, incomplete)
