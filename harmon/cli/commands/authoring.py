"""Coding another region: `harmon init`, `harmon schema` and `harmon sources`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from harmon.cli.common import DataOption, Document, NoColorOption, SchemaKind, SourcesFormat, load, say, show, stdout, write
from harmon.cli.errors import EXIT_USAGE, engine_errors



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

    Every indicator starts recorded as [i]status: unknown[/i] citing the placeholder reference [i]todo[/i], so the new dataset validates and scores at once; the files' comments explain the format, and [b]harmon docs authoring[/b] walks from here to [b]harmon score[/b].

    [b]Examples[/b]

      harmon init ecowas --states "Ghana, Nigeria, Senegal" --first 2001

      harmon validate --data ecowas
    """
    from harmon.authoring.init import init_dataset

    with engine_errors():
        written = init_dataset(folder, states, force, name=name, first=first, last=last)
    countries = sum(1 for p in written if p.parent.name == "countries")
    stdout.print(
        f"{folder}: new dataset with {countries} state(s); next: record facts in {folder / 'countries'}, "
        f"then `harmon validate --data {folder}`",
        markup=False,
        soft_wrap=True,
    )


def schema(
    kind: Annotated[Optional[SchemaKind], typer.Argument(help="One kind of file. Default: every kind.", show_default=False)] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Write one <kind>.schema.json per kind into this folder.", file_okay=False, show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace schema files that exist in the folder.")] = False,
) -> None:
    """JSON Schemas of the data files, generated from the model harmon validates with.

    Without --output: the schema of KIND, or every schema in one JSON object keyed by kind. Name a schema in a YAML file's first line and editors check and complete it as you type:

      # yaml-language-server: $schema=../schemas/country.schema.json

    [b]Examples[/b]

      harmon schema --output docs/schemas

      harmon schema country > country.schema.json
    """
    from harmon.authoring.schemas import json_schemas, schema_text, write_schemas

    schemas = json_schemas()
    if kind is not None:
        schemas = {kind.value: schemas[kind.value]}
    if output is None:
        write(schema_text(next(iter(schemas.values())) if kind is not None else schemas))
        return
    try:
        with engine_errors():
            written = write_schemas(output, schemas, force)
    except OSError as exc:
        say(f"harmon: cannot write {exc.filename or output}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_USAGE) from None
    write("".join(f"{path}\n" for path in written))


def sources(
    data: DataOption = None,
    output_format: Annotated[SourcesFormat, typer.Option("--format", "-f", help="table for people; json for scripts.")] = SourcesFormat.table,
    no_color: NoColorOption = False,
) -> None:
    """Every reference with the number of facts and other entries citing it.

    References and documents nobody cites are reported on stderr as warnings (exit status 0).

    [b]Examples[/b]

      harmon sources

      harmon sources --data my-region --format json
    """
    from harmon.core.sources import sources_report

    with engine_errors():
        dataset = load(data)
    report = sources_report(dataset)
    show("sources", output_format.value, report, dataset, no_color)
    for warning in report.warnings:
        say(warning.format(Path.cwd()))


def docs(
    name: Annotated[Document, typer.Argument(help="[b]method[/b]: every formula with worked examples; [b]authoring[/b]: coding a new region.", show_default=False)],
) -> None:
    """Print one of harmon's documents (Markdown), the copy installed with harmon.

    [b]Examples[/b]

      harmon docs method | less

      harmon docs authoring > authoring.md
    """
    from harmon.data.documents import document_text

    with engine_errors():
        write(document_text(name.value))
