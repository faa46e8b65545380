"""Commands for coding a region: `init`, `schema` and `sources` (see docs/authoring.md)."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from harmon.cli import EXIT_USAGE, DataOption, _write, app, engine_errors, stderr, stdout


class SchemaKind(str, Enum):
    country = "country"
    indicators = "indicators"
    references = "references"
    region = "region"


class SourcesFormat(str, Enum):
    table = "table"
    json = "json"


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="The new dataset folder (created if need be).", show_default=False, metavar="FOLDER")],
    states: Annotated[
        list[str],
        typer.Option(
            "--states",
            "-s",
            metavar="NAMES",
            help='The member states, e.g. "Ghana, Nigeria, Senegal" (use ; between names that hold a comma). '
            "Resolved to ISO 3166 codes.",
            show_default=False,
        ),
    ],
    name: Annotated[Optional[str], typer.Option("--name", help="The region's name. Default: the folder's name.", show_default=False)] = None,
    first: Annotated[int, typer.Option("--first", help="First year of the dataset's period.")] = 2000,
    last: Annotated[Optional[int], typer.Option("--last", help="Last year of the period. Default: this year.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Write into a folder that is not empty, overwriting harmon's files in it.")] = False,
) -> None:
    """Start a dataset for a new region: one file per state, a copy of the scoring model to edit.

    Every indicator starts recorded as [i]status: unknown[/i] citing the placeholder reference [i]todo[/i], so the new dataset validates and scores at once; the files' comments explain the format, and docs/authoring.md walks from here to [b]harmon score[/b].

    [b]Examples[/b]

      harmon init ecowas --states "Ghana, Nigeria, Senegal" --first 2001

      harmon validate --data ecowas
    """
    from harmon.authoring import init_dataset

    with engine_errors():
        written = init_dataset(folder, states, force, name=name, first=first, last=last)
    countries = sum(1 for p in written if p.parent.name == "countries")
    stdout.print(
        f"{folder}: new dataset with {countries} state(s); next: record facts in {folder / 'countries'}, "
        f"then `harmon validate --data {folder}`",
        markup=False,
        soft_wrap=True,
    )


@app.command()
def schema(
    kind: Annotated[Optional[SchemaKind], typer.Argument(help="One kind of file. Default: every kind.", show_default=False)] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Write one <kind>.schema.json per kind into this folder.", file_okay=False, show_default=False),
    ] = None,
) -> None:
    """JSON Schemas of the data files, generated from the model harmon validates with.

    Without --output: the schema of KIND, or every schema in one JSON object keyed by kind. Name a schema in a YAML file's first line and editors check and complete it as you type:

      # yaml-language-server: $schema=../schemas/country.schema.json

    [b]Examples[/b]

      harmon schema --output docs/schemas

      harmon schema country > country.schema.json
    """
    from harmon.authoring import json_schemas

    schemas = json_schemas()
    if kind is not None:
        schemas = {kind.value: schemas[kind.value]}
    if output is None:
        shown = next(iter(schemas.values())) if kind is not None else schemas
        _write(json.dumps(shown, indent=2) + "\n")
        return
    try:
        output.mkdir(parents=True, exist_ok=True)
        for name, body in schemas.items():
            path = output / f"{name}.schema.json"
            path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
            _write(f"{path}\n")
    except OSError as exc:
        stderr.print(f"harmon: cannot write {exc.filename or output}: {exc.strerror or exc}", markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None


@app.command()
def sources(
    data: DataOption = None,
    output_format: Annotated[SourcesFormat, typer.Option("--format", "-f", help="table for people; json for scripts.")] = SourcesFormat.table,
) -> None:
    """Every reference with the number of facts and other entries citing it.

    References and documents nobody cites are reported on stderr as warnings (exit status 0).
    """
    from rich.table import Table

    from harmon.authoring import sources_report
    from harmon.loading import load_dataset

    with engine_errors():
        dataset = load_dataset(data)
    report = sources_report(dataset)
    if output_format is SourcesFormat.json:
        _write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        table = Table(title=f"{dataset.region.name}: references and what cites them", title_justify="left")
        for header in ("Reference", "Document", "Locator"):
            table.add_column(header, overflow="fold")
        for header in ("Facts", "Other", "Total"):
            table.add_column(header, justify="right")
        for use in report.references:
            table.add_row(use.key, use.document, use.locator, str(use.facts), str(use.other), str(use.total))
        stdout.print(table)
        stdout.print(
            "Facts: state facts citing the reference; Other: membership years, the region file and the scoring model.",
            markup=False,
            soft_wrap=True,
        )
    for warning in report.warnings:
        stderr.print(warning.format(Path.cwd()), markup=False, soft_wrap=True)
