"""`harmon adoption`: when the member states adopted each indicator, and how adoptions fall
around the region's milestones."""

from __future__ import annotations

from typing import Annotated, List, Optional

import typer

from harmon.cli.common import AdoptedAtOption, DataOption, NoColorOption, ViewFormat, ViewFormatOption, load, show
from harmon.cli.errors import engine_errors



def adoption(
    first: Annotated[Optional[int], typer.Option("--from", help="First year. Default: the data's first.", show_default=False)] = None,
    last: Annotated[Optional[int], typer.Option("--to", help="Last year. Default: the data's last.", show_default=False)] = None,
    adopted_at: AdoptedAtOption = None,
    milestone: Annotated[
        Optional[List[str]],
        typer.Option("--milestone", "-m", metavar="ID",
                     help="Count adoptions around this milestone only, per indicator (repeatable). "
                          "Ids: kind-year, as `--format json` lists them.", show_default=False),
    ] = None,
    window: Annotated[int, typer.Option("--window", "-w", help="Years before and after each milestone.")] = 3,
    data: DataOption = None,
    output_format: ViewFormatOption = ViewFormat.table,
    no_color: NoColorOption = False,
) -> None:
    """Diffusion: the cumulative share of member states that had adopted each indicator, by year, with the region's milestones; then how many adoptions fell in the years before and after each milestone.

    [b]Examples[/b]

      harmon adoption

      harmon adoption --milestone declaration-2004 --window 3

      harmon adoption --adopted-at 1 --format csv
    """
    from harmon.core.adoption import adoption_report

    with engine_errors():
        dataset = load(data)
        result = adoption_report(dataset, first, last, adopted_at, milestone, window)
    show("adoption", output_format.value, result, dataset, no_color)
