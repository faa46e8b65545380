"""The `harmon` command line: parse options, call the engine, render its result.

Exit codes: 0 success; 1 the dataset has problems; 2 a usage error (an unknown option value, a
year outside the data, a data folder that is not there); 3 an internal error (a bug: please
report it; set HARMON_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Iterator, Optional

import typer
from rich.console import Console

from harmon import __version__

if TYPE_CHECKING:
    from harmon.loading import Dataset

app = typer.Typer(
    name="harmon",
    help=(
        "Legal-harmonization indices from coded legal facts.\n\n"
        "harmon scores how far the member states of a region have adopted the same anti-trafficking "
        "law and institutions, year by year, from YAML files that record each fact with its year "
        "and source. Without --data it uses the ASEAN dataset shipped with harmon (Lau, c. 2016)."
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

EXIT_INVALID_DATA = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class Missing(str, Enum):
    reweight = "reweight"
    zero = "zero"
    backfill = "backfill"


class Aggregation(str, Enum):
    arithmetic = "arithmetic"
    geometric = "geometric"


class ScoreFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class By(str, Enum):
    dimension = "dimension"
    indicator = "indicator"


DataOption = Annotated[
    Optional[Path],
    typer.Option(
        "--data",
        help="Dataset folder (region.yaml, references.yaml, indicators/, countries/). Default: the shipped ASEAN dataset.",
        show_default=False,
        file_okay=False,
    ),
]
MissingOption = Annotated[
    Missing,
    typer.Option(
        "--missing",
        help=(
            "Missing facts: [b]reweight[/b] averages what is known (coverage says how much); [b]zero[/b] scores "
            "unknown as 0; [b]backfill[/b] carries each fact back to the years before it was observed, then reweights."
        ),
    ),
]
AggregationOption = Annotated[
    Aggregation,
    typer.Option(
        "--aggregation",
        help="How dimensions make the index: weighted [b]arithmetic[/b] mean, or [b]geometric[/b] mean "
        "(less compensation: a weak dimension costs more; a dimension under 1 point counts as 1).",
    ),
]
WeightsOption = Annotated[
    Optional[Path],
    typer.Option(
        "--weights",
        help="A weights file (YAML: name, and new weights for some dimensions/indicators) to use instead of "
        "the model's weights; see docs/method.md.",
        show_default=False,
        dir_okay=False,
    ),
]

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)


NoColorOption = Annotated[bool, typer.Option("--no-color", help="No colour (also: the NO_COLOR environment variable).")]


def _console(no_color: bool) -> Console:
    """A console for this command: no styles at all with --no-color or NO_COLOR; plain when piped."""
    plain = no_color or bool(os.environ.get("NO_COLOR"))
    return Console(highlight=False, no_color=plain, color_system=None if plain else "auto")


@contextmanager
def engine_errors(data: Optional[Path] = None) -> Iterator[None]:
    """Turn the engine's exceptions into one clear line each on stderr and an exit code."""
    from harmon.errors import DatasetInvalid, DatasetNotFound, InvalidOption, WeightsInvalid, YearOutOfRange

    try:
        yield
    except DatasetInvalid as exc:
        for problem in exc.problems:
            stderr.print(problem.format(Path.cwd()), markup=False, soft_wrap=True)
        summary = (
            f"harmon: the weights file has {len(exc.problems)} problem(s); nothing was scored."
            if isinstance(exc, WeightsInvalid)
            else f"harmon: the dataset has {len(exc.problems)} problem(s); nothing was scored. `harmon validate` lists them."
        )
        stderr.print(summary, markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_INVALID_DATA) from None
    except (DatasetNotFound, YearOutOfRange, InvalidOption) as exc:
        stderr.print(f"harmon: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None


def load(data: Optional[Path], weights: Optional[Path] = None) -> "Dataset":
    """The dataset in `data` (default: the shipped one), with the weights file `weights` applied."""
    from harmon.loading import load_dataset

    dataset = load_dataset(data)
    if weights is not None:
        from harmon.weights import apply_weights

        dataset = apply_weights(dataset, weights)
    return dataset


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _version_callback(value: bool) -> None:
    if value:
        _write(f"harmon {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", help="Show harmon's version and exit.", callback=_version_callback, is_eager=True)
    ] = False,
) -> None:
    pass


@app.command()
def score(
    year: Annotated[
        Optional[int], typer.Option("--year", "-y", help="The year to score. Default: the data's last year.", show_default=False)
    ] = None,
    data: DataOption = None,
    missing: MissingOption = Missing.reweight,
    aggregation: AggregationOption = Aggregation.arithmetic,
    weights: WeightsOption = None,
    output_format: Annotated[ScoreFormat, typer.Option("--format", "-f", help="table for people; csv, json, markdown for scripts and papers.")] = ScoreFormat.table,
    by: Annotated[By, typer.Option("--by", help="[b]indicator[/b] adds a column per indicator score (table, csv, markdown).")] = By.dimension,
    no_color: NoColorOption = False,
) -> None:
    """Score every state in one year: index, dimensions, coverage, rank, and the region's figures.

    [b]Examples[/b]

      harmon score --year 2011

      harmon score --year 2015 --format csv > 2015.csv

      harmon score --year 2004 --by indicator --missing zero

      harmon score --year 2011 --aggregation geometric --weights treaties-double.yaml
    """
    from harmon import render
    from harmon.scoring import score_year

    with engine_errors():
        dataset = load(data, weights)
        result = score_year(dataset, dataset.last_year if year is None else year, missing.value, aggregation.value)
    with_indicators = by is By.indicator
    if output_format is ScoreFormat.csv:
        _write(render.score_csv(result, with_indicators))
    elif output_format is ScoreFormat.json:
        _write(render.score_json(result))
    elif output_format is ScoreFormat.markdown:
        _write(render.score_markdown(result, with_indicators))
    else:
        _console(no_color).print(render.score_tables(result, dataset, with_indicators))


@app.command()
def validate(data: DataOption = None) -> None:
    """Check every file of a dataset and list every problem as [i]file:line: message[/i].

    Exits 0 when the dataset is clean and 1 when problems were found.
    """
    from harmon.loading import check_dataset, default_data_dir

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


@app.command()
def indicators(data: DataOption = None, no_color: NoColorOption = False) -> None:
    """Show the scoring model: dimensions, indicators, how each status scores, and the weights."""
    from harmon import render
    from harmon.loading import load_dataset

    with engine_errors():
        dataset = load_dataset(data)
    _console(no_color).print(render.indicators_table(dataset))


# Commands that live in their own modules register themselves on `app` when imported.
from harmon import cli_authoring, cli_export, cli_sensitivity, cli_views  # noqa: E402,F401


def main() -> None:
    """Entry point of the `harmon` script.

    SIGTERM and SIGHUP unwind like Ctrl-C (`harmon.interrupts`), so that an export killed
    mid-write removes its temporary file; each ends with one line and exit code 128 + signal.
    """
    import errno

    from harmon.interrupts import Terminated, handle_signals, received

    def quiet_stdout() -> None:
        # After a failed write, Python would flush stdout again at exit and print the same error
        # as "Exception ignored ..." lines: send what is left to the null device instead.
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)
        except (OSError, ValueError, AttributeError):
            pass

    def say(line: str) -> None:
        try:  # after SIGHUP or with stderr closed, even this can fail
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass

    try:
        with handle_signals():
            app()
    except Terminated as exc:
        say(f"harmon: {exc.what}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        say("harmon: interrupted")
        sys.exit(130)
    except SystemExit as exc:
        # Why: typer turns Ctrl-C into a silent exit 130; say what happened.
        if exc.code == 130 and received() is not None:
            say("harmon: interrupted")
        raise
    except OSError as exc:  # the system refused, typically writing stdout: no space, a closed pipe
        if exc.errno == errno.EPIPE:  # the reader went away (`| head`): nothing to say
            quiet_stdout()
            sys.exit(141)  # 128 + SIGPIPE, as a shell reports a writer the pipe ended
        if os.environ.get("HARMON_DEBUG"):
            raise
        quiet_stdout()
        # With no file name it was a stream: the output, since input is read through files.
        where = f"{exc.filename}" if exc.filename else "cannot write the output"
        say(f"harmon: {where}: {exc.strerror or exc}")
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # a bug, not bad input: say so in one line, traceback on request
        if os.environ.get("HARMON_DEBUG"):
            raise
        say(f"harmon: internal error: {type(exc).__name__}: {exc} (set HARMON_DEBUG=1 for details)")
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
