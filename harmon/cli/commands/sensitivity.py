"""`harmon sensitivity`: how robust the ranks are under other reasonable modelling choices."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

from harmon.choices import AGGREGATIONS, MISSING_POLICIES
from harmon.cli.common import (
    Aggregation, DataOption, Missing, NoColorOption, SensitivityFormat, WeightsOption, load, progress_bar, say, show,
)
from harmon.cli.complete import complete_year
from harmon.cli.errors import engine_errors



def sensitivity(
    year: Annotated[
        Optional[int], typer.Option("--year", "-y", help="The year to analyse. Default: the data's last year.", show_default=False, autocompletion=complete_year)
    ] = None,
    draws: Annotated[int, typer.Option("--draws", "-n", help="Monte Carlo draws (rank and index intervals are over these).")] = 1000,
    seed: Annotated[
        Optional[int], typer.Option("--seed", help="Random seed: the same seed gives the same numbers. Default: a fresh one, shown in the output.", show_default=False)
    ] = None,
    weight_spread: Annotated[
        Optional[float],
        typer.Option(
            "--weight-spread",
            help="Each weight is multiplied by a factor drawn from 1 +- this many percent. "
            "Default: 25, or 0 with --weights-from.",
            show_default=False,
        ),
    ] = None,
    weights_from: Annotated[
        Optional[Path],
        typer.Option(
            "--weights-from",
            help="A file of alternative weighting schemes (`schemes:`, a list of weights files' contents): each draw uses one.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    missing: Annotated[
        Optional[List[Missing]],
        typer.Option("--missing", help="A missing-data policy to draw from (repeat the option for several). Default: all three; the first is the nominal one.", show_default=False),
    ] = None,
    aggregation: Annotated[
        Optional[List[Aggregation]],
        typer.Option("--aggregation", help="An aggregation to draw from (repeatable). Default: arithmetic and geometric; the first is the nominal one.", show_default=False),
    ] = None,
    drop_one: Annotated[bool, typer.Option("--drop-one", help="Also draw one indicator (or none) to leave out.")] = False,
    output_format: Annotated[SensitivityFormat, typer.Option("--format", "-f", help="table for people; csv, json for scripts.")] = SensitivityFormat.table,
    plot: Annotated[
        Optional[Path], typer.Option("--plot", help="Also draw the rank intervals to this file (.png, .svg, .pdf).", dir_okay=False, show_default=False)
    ] = None,
    data: DataOption = None,
    weights: WeightsOption = None,
    no_color: NoColorOption = False,
    force: Annotated[bool, typer.Option("--force", help="Replace the --plot file if it exists.")] = False,
) -> None:
    """How robust are the ranks? Score a year under many other reasonable modelling choices and report rank intervals and which choice matters.

    Each draw perturbs the weights, picks a missing-data policy and an aggregation (and, with --drop-one, leaves an indicator out). The output gives each state's nominal and median rank, its 5-95% rank and index intervals, the share of state pairs whose order never flips, and how much of each state's rank variance each choice explains (first-order Sobol' indices). Method: [b]harmon docs method[/b], "Sensitivity".

    [b]Examples[/b]

      harmon sensitivity --year 2011 --draws 1000 --seed 7

      harmon sensitivity --year 2011 --drop-one --format csv > robustness.csv

      harmon sensitivity --year 2015 --weight-spread 0 --missing reweight --aggregation arithmetic --aggregation geometric
    """
    from harmon.core.sensitivity import sensitivity as analyse

    with engine_errors():
        dataset = load(data, weights)
        schemes = None
        if weights_from is not None:
            from harmon.data.weights import load_weight_schemes

            schemes = load_weight_schemes(weights_from, dataset.model)
        if plot is not None:
            from harmon.report.plot import check_output

            check_output(plot, force=force, protected=dataset.data_paths)  # before the draws, not after them
        with progress_bar("scoring draws") as progress:
            result = analyse(
                dataset,
                dataset.last_year if year is None else year,
                draws=draws,
                seed=seed,
                weight_spread=None if weight_spread is None else weight_spread / 100,
                schemes=schemes,
                missing=[m.value for m in missing] if missing else MISSING_POLICIES,
                aggregation=[a.value for a in aggregation] if aggregation else AGGREGATIONS,
                drop_one=drop_one,
                progress=progress,
            )
        if plot is not None:
            from harmon.report.plot import rank_intervals

            rank_intervals(result, dataset, plot, force=force)
    show("sensitivity", output_format.value, result, dataset, no_color)
    if plot is not None:
        say(f"wrote {plot}")
