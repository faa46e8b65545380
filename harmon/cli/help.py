"""How `--help` names what each option takes: in words a reader knows (YEAR, FILE, N), never a
Python type (`<int>`, `<bool>`, `<list[...]>`), and a choice's values listed whole in the help text,
where they wrap between words instead of mid-word in a narrow type column.

One place for every command: the app and each command are built with `HelpGroup` and
`HelpCommand`, which adjust each option just before the help is drawn, so that an option added
later is shown the same way with nothing more to do.
"""

from __future__ import annotations

from typing import Any

import typer.core

# What an option or argument takes, by its name; other names fall back on their type (`_BY_TYPE`).
_BY_NAME = {
    "year": "YEAR", "from_year": "YEAR", "to_year": "YEAR", "first": "YEAR", "last": "YEAR",
    "year_1": "YEAR1", "year_2": "YEAR2", "draws": "N", "seed": "N", "dpi": "N",
    "weight_spread": "PERCENT", "width": "INCHES", "height": "INCHES",
    "country": "STATE", "state": "STATE", "states": "NAMES", "name": "NAME", "dimension": "DIMENSION",
    "kind": "KIND", "folder": "FOLDER", "output": "FILE", "plot": "FILE", "weights": "FILE", "weights_from": "FILE",
    "data": "DIR",
}
_BY_TYPE = {"int": "N", "float": "NUMBER", "str": "TEXT", "file": "FILE", "dir": "DIR", "path": "PATH"}


def _placeholder(param: Any, ctx: Any) -> str | None:
    """What `param` takes in capitals (None for a flag, which takes nothing)."""
    if getattr(param, "is_flag", False):
        return None
    choices = _choices(param)
    if choices:
        longs = [o for o in getattr(param, "opts", []) if o.startswith("--")]
        return (longs[0][2:] if longs else param.name or "value").upper().replace("_", "-")
    if param.name in _BY_NAME:
        return _BY_NAME[param.name]
    shown = param.display_type(ctx).strip("<>") if hasattr(param, "display_type") else "value"
    return _BY_TYPE.get(shown.removeprefix("list[").removesuffix("]"), shown.upper())


def _choices(param: Any) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or not descriptor.is_choice or not descriptor.choices:
        return []
    return [getattr(c, "value", str(c)) for c in descriptor.choices]


def teach(param: Any, ctx: Any) -> None:
    """Show `param` in words: its placeholder, and its choices (and whether it repeats) in its help."""
    if getattr(param, "_taught", False):
        return
    param._taught = True
    shown = _placeholder(param, ctx)
    param.metavar = shown
    # An argument is listed by its metavar already: no second placeholder in the type column.
    typed = None if isinstance(param, typer.core.TyperArgument) else shown
    param.display_type_rich = lambda ctx, typed=typed: typed
    extra = []
    choices = _choices(param)
    help_text = param.help or "" if hasattr(param, "help") else ""
    if choices and not all(f"[b]{c}[/b]" in help_text or f" {c}" in f" {help_text}" for c in choices):
        extra.append("One of: " + ", ".join(choices) + ".")
    if getattr(param, "multiple", False) and "repeat" not in help_text.lower():
        extra.append("Repeatable.")
    if extra and hasattr(param, "help"):
        param.help = " ".join([help_text, *extra]).strip()


class _Teaching:
    # Before parsing too, so that a usage error names a parameter as the help does (YEAR2, not year_2).
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        self._teach(ctx)
        return super().parse_args(ctx, args)  # type: ignore[misc]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._teach(ctx)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def _teach(self, ctx: Any) -> None:
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            teach(param, ctx)


class HelpCommand(_Teaching, typer.core.TyperCommand):
    """A command whose help names what each option takes in words."""


class HelpGroup(_Teaching, typer.core.TyperGroup):
    """The app: its own options named in words, like its commands'."""
