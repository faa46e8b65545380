"""`harmon agree`: how far two or more coders' datasets of the same model agree."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from harmon.cli.common import NoColorOption, ViewFormat, ViewFormatOption, show
from harmon.cli.errors import EXIT_INVALID_DATA, engine_errors


def agree(
    folders: Annotated[
        list[Path],
        typer.Argument(help="Two or more dataset folders, one per coder, of the same scoring model.",
                       show_default=False, file_okay=False),
    ],
    output_format: ViewFormatOption = ViewFormat.table,
    min_alpha: Annotated[
        Optional[float],
        typer.Option("--min-alpha", metavar="X",
                     help="Exit with code 1 when an overall alpha (level or year) is below X: for a coding project's CI.",
                     show_default=False),
    ] = None,
    no_color: NoColorOption = False,
) -> None:
    """Agreement between coders: Krippendorff's alpha, percent agreement and unknowns per indicator, then every disagreement with each side's file:line and sources.

    States or indicators that not every coder has are listed, not compared. csv gives the agreement table; json and markdown also the disagreements.

    [b]Examples[/b]

      harmon agree coder-a coder-b

      harmon agree coder-a coder-b coder-c --format markdown

      harmon agree coder-a coder-b --min-alpha 0.8
    """
    from harmon.core.agree import agree as compare
    from harmon.data.loading import load_dataset

    with engine_errors():
        if len(folders) < 2:
            from harmon.errors import InvalidOption

            raise InvalidOption("agree needs at least two dataset folders, one per coder")
        datasets = [load_dataset(folder) for folder in folders]
        result = compare(datasets, [str(folder) for folder in folders])
        show("agree", output_format.value, result, datasets[0], no_color)
    if min_alpha is not None:
        lowest = result.lowest_alpha()
        if lowest == lowest and lowest < min_alpha:  # NaN (undefined) is not below anything
            from harmon.cli.common import say

            say(f"harmon: alpha {lowest:.3f} is below --min-alpha {min_alpha:g}")
            raise typer.Exit(EXIT_INVALID_DATA)
