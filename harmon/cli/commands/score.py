"""`harmon score`, `harmon validate` and `harmon indicators`: one year's scores, checking a
dataset, the scoring model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from harmon.cli.common import (
    Aggregation, AggregationOption, By, DataOption, DecimalsOption, Missing, MissingOption, NoColorOption, PaperFormat,
    PaperFormatOption, WeightsOption,
    load, show, stderr, stdout,
)
from harmon.cli.complete import complete_year
from harmon.cli.errors import EXIT_INVALID_DATA, engine_errors
from harmon.errors import Problem



def score(
    year: Annotated[
        Optional[int], typer.Option("--year", "-y", help="The year to score. Default: the data's last year.", show_default=False, autocompletion=complete_year)
    ] = None,
    data: DataOption = None,
    missing: MissingOption = Missing.reweight,
    aggregation: AggregationOption = Aggregation.arithmetic,
    weights: WeightsOption = None,
    output_format: PaperFormatOption = PaperFormat.table,
    by: Annotated[By, typer.Option("--by", help="[b]indicator[/b]: a column per indicator score (in markdown and latex, "
                                   "grouped under its dimension, instead of the dimension scores).")] = By.dimension,
    decimals: DecimalsOption = 1,
    no_color: NoColorOption = False,
) -> None:
    """Score every state in one year: index, dimensions, coverage, rank, and the region's figures.

    [b]Examples[/b]

      harmon score --year 2011

      harmon score --year 2015 --format csv > 2015.csv

      harmon score --year 2004 --by indicator --missing zero

      harmon score --year 2011 --aggregation geometric --weights treaties-double.yaml

      harmon score --year 2011 --format latex --by indicator > score-2011.tex
    """
    from harmon.core.scoring import score_year

    with engine_errors():
        dataset = load(data, weights)
        result = score_year(dataset, dataset.last_year if year is None else year, missing.value, aggregation.value)
    show("score", output_format.value, result, dataset, no_color, by_indicator=by is By.indicator, decimals=decimals)


def validate(
    data: DataOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list the files in countries/ and indicators/ that were not read (hidden files, editor leftovers, other extensions).")] = False,
) -> None:
    """Check every file of a dataset and list every problem as [i]file:line: message[/i].

    Exits 0 when the dataset is clean and 1 when problems were found.

    [b]Examples[/b]

      harmon validate

      harmon validate --data my-region
    """
    from harmon.data.loading import check_dataset, default_data_dir

    with engine_errors():
        dataset, problems = check_dataset(data)
        if dataset is None:
            for problem in problems:
                stdout.print(problem.format(Path.cwd()), markup=False, soft_wrap=True)
            files = len({p.path for p in problems})
            stderr.print(f"{len(problems)} problem(s) in {files} file(s)", markup=False)
            raise typer.Exit(EXIT_INVALID_DATA)
    root = data if data is not None else default_data_dir()
    stdout.print(
        f"{root}: OK: {len(dataset.countries)} states, {len(dataset.model.indicators)} indicators in "
        f"{len(dataset.model.dimensions)} dimensions, {dataset.first_year}-{dataset.last_year} "
        f"(data version {dataset.version})",
        markup=False,
        soft_wrap=True,
    )
    if verbose:
        for path in dataset.ignored:
            stdout.print(f"{Problem(path, None, 'not a data file (hidden, a leftover, or not .yaml/.yml): not read').format(Path.cwd())}",
                         markup=False, soft_wrap=True)


def indicators(data: DataOption = None, no_color: NoColorOption = False) -> None:
    """Show the scoring model: dimensions, indicators, how each status scores, and the weights.

    [b]Examples[/b]

      harmon indicators

      harmon indicators --data my-region --no-color
    """
    with engine_errors():
        dataset = load(data)
    show("indicators", "table", None, dataset, no_color)
