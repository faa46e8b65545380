"""The views: `harmon diff`, `explain`, `status`, `trend`, `timeline` and `plot`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

from harmon.cli.common import (
    AdoptedAtOption, DataOption, DecimalsOption, Missing, MissingOption, NoColorOption, PaperFormat, PaperFormatOption,
    PlotKind, Scope, ViewFormat, ViewFormatOption, load, say, show,
)
from harmon.choices import PLOT_DPI
from harmon.cli.complete import complete_dimension, complete_kind, complete_state, complete_year
from harmon.cli.errors import engine_errors



def diff(
    year_1: Annotated[int, typer.Argument(help="The earlier year.", show_default=False, autocompletion=complete_year)],
    year_2: Annotated[int, typer.Argument(help="The later year.", show_default=False, autocompletion=complete_year)],
    country: Annotated[Optional[str], typer.Option("--country", "-c", help="Only this state (ISO code or name).", show_default=False, autocompletion=complete_state)] = None,
    data: DataOption = None,
    missing: MissingOption = Missing.reweight,
    output_format: PaperFormatOption = PaperFormat.table,
    decimals: DecimalsOption = 1,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when anything changed, 0 when nothing did (like git diff).")] = False,
    no_color: NoColorOption = False,
) -> None:
    """What changed between two years: each state's index, the facts behind the change, the region.

    [b]Examples[/b]

      harmon diff 2004 2015

      harmon diff 2011 2015 --country THA

      harmon diff 2013 2014 --exit-code --format json

      harmon diff 2004 2015 --format latex > diff.tex
    """
    from harmon.core.diff import diff as compute

    with engine_errors():
        dataset = load(data)
        result = compute(dataset, year_1, year_2, country, missing.value)
    show("diff", output_format.value, result, dataset, no_color, decimals=decimals)
    if exit_code and result.changed:
        raise typer.Exit(1)


def explain(
    state: Annotated[str, typer.Argument(help="The state: ISO code, name or alias (a unique prefix will do).", show_default=False, autocompletion=complete_state)],
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="The year. Default: the data's last year.", show_default=False, autocompletion=complete_year)] = None,
    data: DataOption = None,
    missing: MissingOption = Missing.reweight,
    output_format: ViewFormatOption = ViewFormat.table,
    no_color: NoColorOption = False,
) -> None:
    """Take one state's index apart: each indicator's status, rule, weight, points and reference.

    The points add up to the index that `harmon score` shows.

    [b]Examples[/b]

      harmon explain THA --year 2011

      harmon explain singapore --year 2015 --missing zero --format csv
    """
    from harmon.core.explain import explain as compute

    with engine_errors():
        dataset = load(data)
        result = compute(dataset, state, dataset.last_year if year is None else year, missing.value)
    show("explain", output_format.value, result, dataset, no_color)


def status(
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="As known in this year. Default: the data's last year (the paper's tables).", show_default=False, autocompletion=complete_year)] = None,
    dimension: Annotated[Optional[str], typer.Option("--dimension", "-d", help="Only this dimension (its id).", show_default=False, autocompletion=complete_dimension)] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Each table's title, with {number}, {dimension} and {year} filled in, e.g. \"Table {number}. {dimension} ({year})\". Default: \"{dimension} ({year})\".", show_default=False)] = None,
    data: DataOption = None,
    output_format: PaperFormatOption = PaperFormat.table,
    no_color: NoColorOption = False,
) -> None:
    """The state x indicator matrix as known in a year: each fact's level and the year it began, a table per dimension.

    Levels are shown with the symbols the scoring model gives them (its `symbols`), else by name.

    [b]Examples[/b]

      harmon status

      harmon status --year 2011 --dimension treaties --format markdown

      harmon status --title "Table {number}. {dimension} ({year})"

      harmon status --format latex > tables-1-4.tex
    """
    from harmon.core.status import status as compute

    with engine_errors():
        dataset = load(data)
        result = compute(dataset, year, dimension)
    show("status", output_format.value, result, dataset, no_color, title=title)


def trend(
    first: Annotated[Optional[int], typer.Option("--from", help="First year. Default: the data's first.", show_default=False, autocompletion=complete_year)] = None,
    last: Annotated[Optional[int], typer.Option("--to", help="Last year. Default: the data's last.", show_default=False, autocompletion=complete_year)] = None,
    data: DataOption = None,
    missing: MissingOption = Missing.reweight,
    output_format: ViewFormatOption = ViewFormat.table,
    no_color: NoColorOption = False,
) -> None:
    """The regional figures per year, and a sparkline of each state's index.

    [b]Examples[/b]

      harmon trend

      harmon trend --from 2004 --to 2015 --format csv
    """
    from harmon.core.trend import trend as compute

    with engine_errors():
        dataset = load(data)
        result = compute(dataset, first, last, missing.value)
    show("trend", output_format.value, result, dataset, no_color)


def timeline(
    country: Annotated[Optional[str], typer.Option("--country", "-c", help="Only this state's events (ISO code or name).", show_default=False, autocompletion=complete_state)] = None,
    kind: Annotated[Optional[List[str]], typer.Option("--kind", "-k", help="Only this kind (repeatable): a milestone kind (declaration, plan, ...), an indicator or a dimension.", show_default=False, autocompletion=complete_kind)] = None,
    scope: Annotated[Scope, typer.Option("--scope", help="region: milestones only; national: states' events only.")] = Scope.all,
    data: DataOption = None,
    output_format: ViewFormatOption = ViewFormat.table,
    no_color: NoColorOption = False,
) -> None:
    """Regional milestones and national events (laws, ratifications, ...) in date order.

    [b]Examples[/b]

      harmon timeline

      harmon timeline --country THA

      harmon timeline --kind declaration --kind treaties
    """
    from harmon.core.timeline import timeline as compute

    with engine_errors():
        dataset = load(data)
        result = compute(dataset, country, kind, scope.value)
    show("timeline", output_format.value, result, dataset, no_color)


def plot(
    output: Annotated[Path, typer.Option("--output", "-o", help="The figure file: .png, .svg or .pdf.", dir_okay=False, show_default=False)],
    kind: Annotated[PlotKind, typer.Option("--kind", help="heatmap: states x years; trend: the region with its milestones; dimensions: small multiples; adoption: each indicator's adoption curve.")] = PlotKind.heatmap,
    first: Annotated[Optional[int], typer.Option("--from", help="First year. Default: the data's first.", show_default=False, autocompletion=complete_year)] = None,
    last: Annotated[Optional[int], typer.Option("--to", help="Last year. Default: the data's last.", show_default=False, autocompletion=complete_year)] = None,
    width: Annotated[float, typer.Option("--width", help="Width in inches.")] = 8.0,
    height: Annotated[float, typer.Option("--height", help="Height in inches.")] = 5.0,
    dpi: Annotated[int, typer.Option("--dpi", help="Dots per inch of a PNG (print quality for a paper; 100 is enough for a screen).")] = PLOT_DPI,
    no_footer: Annotated[bool, typer.Option("--no-footer", help="Leave out the line at the bottom that records the data version and options (for a paper whose caption says it).")] = False,
    data: DataOption = None,
    missing: MissingOption = Missing.reweight,
    adopted_at: AdoptedAtOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the figure if it exists.")] = False,
) -> None:
    """Draw a figure (matplotlib): a heatmap, the regional trend, the dimensions, or the adoption curves.

    [b]Examples[/b]

      harmon plot --kind heatmap --output heatmap.png

      harmon plot --kind trend --output trend.svg --width 10 --height 4

      harmon plot --kind adoption --output adoption.png

      harmon plot --kind dimensions --output dimensions.pdf --no-footer
    """
    from harmon.report.plot import plot as draw

    with engine_errors():
        dataset = load(data)
        path = draw(dataset, kind.value, output, missing.value, first, last, width, height, dpi, adopted_at,
                    footer=not no_footer, force=force)
    say(f"wrote {path}")
