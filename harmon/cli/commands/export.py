"""`harmon export` and `harmon codebook`: the panel in a file for a paper, and its codebook."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer

from harmon.choices import BINARY_FORMATS, DATAPACKAGE, SHAPES
from harmon.cli.common import (
    AdoptedAtOption, Aggregation, AggregationOption, DataOption, ExportFormat, Missing, MissingOption, Shape, WeightsOption, load,
    progress_bar, say, write,
)
from harmon.cli.complete import complete_year
from harmon.cli.errors import engine_errors
from harmon.errors import InvalidOption


FromOption = Annotated[
    Optional[int], typer.Option("--from", help="First year. Default: the data's first year.", show_default=False, autocompletion=complete_year)
]
ToOption = Annotated[Optional[int], typer.Option("--to", help="Last year. Default: the data's last year.", show_default=False, autocompletion=complete_year)]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the output if it exists.")]


def export(
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o",
            help="File to write ([b]-[/b] = stdout for text formats), or a folder for --format datapackage.",
            show_default=False,
        ),
    ],
    from_year: FromOption = None,
    to_year: ToOption = None,
    output_format: Annotated[
        Optional[ExportFormat],
        typer.Option("--format", "-f", help="Default: from the output's extension (.csv .tsv .json .xlsx .dta .parquet .tex .md).", show_default=False),
    ] = None,
    shape: Annotated[
        Shape,
        typer.Option("--shape", help="[b]wide[/b]: a row per state-year; [b]long[/b]: per state-year-indicator; [b]region[/b]: per year; [b]events[/b]: per member state-indicator-year at risk of adoption."),
    ] = Shape.wide,
    data: DataOption = None,
    missing: MissingOption = Missing.reweight,
    aggregation: AggregationOption = Aggregation.arithmetic,
    weights: WeightsOption = None,
    force: ForceOption = False,
    raw: Annotated[
        bool, typer.Option("--raw", help="Do not neutralise text cells starting with = + - @ (csv, tsv, xlsx).")
    ] = False,
    decimals: Annotated[
        int, typer.Option("--decimals", min=0, max=4, help="md, tex: decimals of values on 0-100 (values on 0-1 get one more).")
    ] = 1,
    no_metadata: Annotated[
        bool, typer.Option("--no-metadata", help="csv, tsv: do not write the FILE.resource.json descriptor beside the file.")
    ] = False,
    adopted_at: AdoptedAtOption = None,
) -> None:
    """Export the country-year panel for a paper: csv, tsv, json, xlsx, Stata (dta), parquet, LaTeX, Markdown, or a Frictionless data package.

    csv and tsv files are plain tables (header row first) that pandas, DuckDB, R and Stata read with no options; harmon's version, the dataset's version, the options and every column's description go to a Frictionless descriptor beside the file (FILE.resource.json; --no-metadata: none). Other formats carry them inside the file. Writes are atomic; an existing file is replaced only with --force.

    [b]Examples[/b]

      harmon export --from 1997 --to 2015 --output panel.csv

      harmon export -o panel.dta

      harmon export --shape region -o region.tex

      harmon export --shape events -o events.csv

      harmon export --format datapackage -o panel
    """
    from harmon.files import check_new
    from harmon.report.datapackage import write_datapackage
    from harmon.report.shapes import build_export
    from harmon.report.frictionless import DELIMITERS
    from harmon.report.writers import (
        encode_bytes, format_for, require_format, sidecar_path, write_export, write_stream,
    )

    with engine_errors():
        to_stdout = output == "-"
        chosen = output_format.value if output_format else None
        fmt = (chosen or "csv") if to_stdout else format_for(output, chosen)
        require_format(fmt)  # a missing extra before the scoring, which can take a while
        if to_stdout and fmt == DATAPACKAGE:
            raise InvalidOption("a data package is a folder: give --output DIR")
        if to_stdout and fmt in BINARY_FORMATS and sys.stdout.isatty():
            raise InvalidOption(f"{fmt} is a binary format: not writing it to a terminal; redirect stdout or give --output FILE")
        dataset = load(data, weights)
        if fmt == DATAPACKAGE:
            write_datapackage(dataset, output, from_year, to_year, missing.value, force, aggregation.value)
            say(f"wrote {output}/: {', '.join(f'{s}.csv' for s in SHAPES)}, datapackage.json")
            return
        if not to_stdout:
            check_new(Path(output), force, dataset.data_paths)  # before the scoring, which can take a while
        result = replace(
            build_export(dataset, shape.value, from_year, to_year, missing.value, raw, aggregation=aggregation.value,
                         adopted_at=adopted_at),
            decimals=decimals,
        )
        if not to_stdout:
            with progress_bar(f"writing {fmt}") as progress:
                write_export(result, output, fmt, force, raw, dataset.data_paths, progress,
                             None if no_metadata else dataset)
            rows, cols = result.frame.shape
            say(f"wrote {output}: {rows} rows x {cols} columns ({shape.value}, {fmt})")
            if not no_metadata and fmt in DELIMITERS:
                say(f"wrote {sidecar_path(output)}: its columns and provenance (Frictionless)")
        else:
            if fmt in BINARY_FORMATS:  # their writers seek, which a pipe cannot
                sys.stdout.buffer.write(encode_bytes(result, fmt, raw))
            else:
                write_stream(result, fmt, sys.stdout.buffer, raw)
            sys.stdout.buffer.flush()


def codebook(
    output: Annotated[
        str, typer.Option("--output", "-o", help="Markdown file to write; [b]-[/b] = stdout.")
    ] = "-",
    from_year: FromOption = None,
    to_year: ToOption = None,
    data: DataOption = None,
    missing: MissingOption = Missing.reweight,
    aggregation: AggregationOption = Aggregation.arithmetic,
    weights: WeightsOption = None,
    force: ForceOption = False,
    shape: Annotated[Shape, typer.Option("--shape", help="The export shape to document (see export --shape).")] = Shape.wide,
) -> None:
    """Write the codebook of an exported panel (Markdown; default: the wide shape): every variable's meaning, scoring rule, values, source, years covered and missing share.

    [b]Examples[/b]

      harmon codebook --output codebook.md

      harmon codebook --from 2004 --to 2015

      harmon codebook --shape events
    """
    from harmon.files import atomic_write, check_new
    from harmon.report.codebook import codebook_markdown

    with engine_errors():
        dataset = load(data, weights)
        if output != "-":
            check_new(Path(output), force, dataset.data_paths)  # before the work
        text = codebook_markdown(dataset, from_year, to_year, missing.value, aggregation=aggregation.value, shape=shape.value)
        if output == "-":
            write(text)
        else:
            atomic_write(Path(output), lambda stream: stream.write(text.encode("utf-8")), force, dataset.data_paths)
