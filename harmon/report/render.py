"""The registry of renderers: for each view (score, diff, explain, ...) and output format
(table, csv, json, markdown), the one function that turns the engine's result into output.

A renderer takes the engine's result, the dataset and the view's options, and returns text (the
machine-readable formats) or, for a terminal (`table`), a rich renderable or a list of them in
which a plain string is a paragraph shown unwrapped. Nothing here prints.
A new format or view is one function with a `@renderer` line; the command line asks `render`.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from harmon.errors import InvalidOption

Renderer = Callable[..., Any]
RENDERERS: dict[tuple[str, str], Renderer] = {}
# The module of harmon.report whose `@renderer` lines register each view: only that one is
# imported to render the view (all of them cost every command some 50 ms of imports). A test
# checks this against the registrations.
VIEW_MODULES = {
    "score": "score", "indicators": "score", "sources": "sources", "sensitivity": "sensitivity",
    "adoption": "adoption", "agree": "agree",
    **dict.fromkeys(("diff", "explain", "status", "timeline", "trend"), "views"),
}


def renderer(view: str, *formats: str) -> Callable[[Renderer], Renderer]:
    """Register the decorated function as the renderer of `view` in each of `formats`."""

    def register(function: Renderer) -> Renderer:
        for fmt in formats:
            RENDERERS[(view, fmt)] = function
        return function

    return register


def formats_of(view: str) -> tuple[str, ...]:
    """The formats `view` can be rendered in, in registration order."""
    _load(view)
    return tuple(fmt for v, fmt in RENDERERS if v == view)


def render(view: str, fmt: str, result: Any, dataset: Any, **options: Any) -> Any:
    """`result` of `view` in `fmt`: text, or a rich renderable for `table`."""
    _load(view)
    try:
        function = RENDERERS[(view, fmt)]
    except KeyError:
        raise InvalidOption(f"{view} cannot be shown as {fmt!r}; formats: {', '.join(formats_of(view))}") from None
    return function(result, dataset, **options)


def _load(view: str) -> None:
    # The renderers register themselves when their modules are imported.
    for module in [VIEW_MODULES[view]] if view in VIEW_MODULES else sorted(set(VIEW_MODULES.values())):
        importlib.import_module(f"harmon.report.{module}")
