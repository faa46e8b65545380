"""The file writers: a registry from each export format to the one function that writes it.

Text formats register their text piece by piece (`@pieces`: files and stdout are written as it
is made; `encode_text` joins it); binary formats a writer (`Export` -> a binary stream). `write_export` writes a file atomically
(`harmon.report.files`). Spreadsheet-bound output neutralises text that a spreadsheet would
run as a formula. The same data and options give the same bytes.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import sys
import zipfile
from importlib import import_module
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from harmon.choices import BINARY_FORMATS, DATAPACKAGE, EXTENSIONS, FORMATS
from harmon.errors import FormatUnknown, InvalidOption, MissingExtra, install_hint
from harmon.data.loading import Dataset
from harmon.files import atomic_write_all
from harmon.report.frictionless import DELIMITERS, sidecar_descriptor, sidecar_name
from harmon.report.provenance import provenance_line
from harmon.report.shapes import Export, PaperHeader, label
from harmon.report.paper import (
    UNKNOWN_MARK, PaperColumn, PaperTable, number_cell, paper_latex_lines, paper_markdown_lines, table_label, with_unknown_note,
)
from harmon.report.text import csv_pieces, distinct_cells, is_text, json_value, neutralise, plain, text_cell


Encoder = Callable[[Export, bool], str]  # (export, raw) -> text: the joined pieces of a text format
Writer = Callable[[Export, BinaryIO, bool, "Progress | None"], None]  # (export, stream, raw, progress)
ENCODERS: dict[str, Encoder] = {}
WRITERS: dict[str, Writer] = {}


def _registrar(table: dict[str, Any], formats: tuple[str, ...]) -> Callable[[Any], Any]:
    def register(function: Any) -> Any:
        for fmt in formats:
            table[fmt] = function
        return function

    return register


def writer(*formats: str) -> Callable[[Writer], Writer]:
    """Register the decorated function as the writer of the binary formats `formats`."""
    return _registrar(WRITERS, formats)


def encode_text(export: Export, fmt: str, raw: bool = False) -> str:
    """The export as text in `fmt` (csv, tsv, json, md, tex); deterministic for the same input."""
    if fmt not in ENCODERS:
        raise InvalidOption(f"{fmt} is not a text format")
    return ENCODERS[fmt](export, raw)


STREAM_BYTES = 1 << 20  # text joined and written about a megabyte at a time


def write_stream(export: Export, fmt: str, stream: BinaryIO, raw: bool = False, progress: Progress | None = None) -> None:
    """Write the export in `fmt` to the binary `stream` (every text format piece by piece: a long
    panel as one string would take hundreds of megabytes). `progress(rows done, rows)` is called
    as the rows of JSON and xlsx are written."""
    if fmt in PIECES:
        pending: list[str] = []
        size = 0
        for piece in PIECES[fmt](export, raw, progress):
            pending.append(piece)
            size += len(piece)
            if size > STREAM_BYTES:
                stream.write("".join(pending).encode("utf-8"))
                pending, size = [], 0
        stream.write("".join(pending).encode("utf-8"))
    elif fmt in WRITERS:
        WRITERS[fmt](export, stream, raw, progress)
    else:
        raise InvalidOption(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")


def encode_bytes(export: Export, fmt: str, raw: bool = False) -> bytes:
    """The export in any format as bytes (for stdout: Stata and parquet writers seek, a pipe cannot)."""
    buffer = io.BytesIO()
    write_stream(export, fmt, buffer, raw)
    return buffer.getvalue()


def write_export(
    export: Export, output: str | Path, fmt: str, force: bool = False, raw: bool = False,
    protected: Iterable[Path] = (), progress: Progress | None = None, metadata: Dataset | None = None,
) -> Path:
    """Write the export to the file `output` atomically (`harmon.files.atomic_write_all`: never over a
    file that is not regular, nor into `protected`, the dataset's files); return its path. With
    `metadata` (the dataset), a csv or tsv gets its Frictionless descriptor beside it
    (`sidecar_path`), written the same way; neither file is replaced unless `force`."""
    if fmt in BINARY_FORMATS:
        require_format(fmt)  # fail before touching the disk
    path = Path(output)
    protected = tuple(protected)
    sidecar = sidecar_path(path) if metadata is not None and fmt in DELIMITERS else None
    files = [(path, lambda stream: write_stream(export, fmt, stream, raw, progress))]
    if sidecar is not None:
        text = json.dumps(sidecar_descriptor(metadata, export, path.name, fmt), indent=2, ensure_ascii=False) + "\n"
        files.append((sidecar, lambda stream: stream.write(text.encode("utf-8"))))
    # Both refused before either is written, and put in place together: two runs racing to the
    # same file leave one run's file and descriptor, never one of each.
    atomic_write_all(files, force, protected)
    return path


def sidecar_path(output: str | Path) -> Path:
    """Where the Frictionless descriptor of the csv/tsv file `output` goes: beside it."""
    path = Path(output)
    return path.with_name(sidecar_name(path.name))


Progress = Callable[[int, int], None]  # (rows written, rows)
Pieces = Callable[[Export, bool, "Progress | None"], Iterator[str]]  # (export, raw, progress) -> text
PIECES: dict[str, Pieces] = {}


def pieces(fmt: str) -> Callable[[Pieces], Pieces]:
    """Register the decorated function as the text of format `fmt`, piece by piece: files and
    stdout are written as it goes (a long panel as one string would take hundreds of megabytes);
    its encoder joins the pieces."""
    def register(function: Pieces) -> Pieces:
        PIECES[fmt] = function
        ENCODERS[fmt] = lambda export, raw: "".join(function(export, raw, None))
        return function

    return register


@pieces("csv")
def _csv(export: Export, raw: bool, progress: Progress | None = None) -> Iterator[str]:
    return csv_pieces(export.frame, DELIMITERS["csv"], raw)


@pieces("tsv")
def _tsv(export: Export, raw: bool, progress: Progress | None = None) -> Iterator[str]:
    return csv_pieces(export.frame, DELIMITERS["tsv"], raw)


def _counted(rows: Iterable[Any], total: int, progress: Progress | None, every: int = 10_000) -> Iterator[Any]:
    """`rows` as they are, calling `progress(done, total)` every `every` rows and at the end."""
    done = 0
    for done, row in enumerate(rows, 1):
        if progress is not None and done % every == 0:
            progress(done, total)
        yield row
    if progress is not None:
        progress(done, total)


@pieces("json")
def _json_pieces(export: Export, raw: bool = False, progress: Progress | None = None) -> Iterator[str]:
    """The JSON document of the export as pieces of text, its rows made as they are written."""
    doc = {
        "metadata": export.provenance,
        "fields": [{"name": c.name, "type": c.type, "description": c.description} for c in export.columns],
        "data": _Rows(export.frame, progress),
    }
    yield from json.JSONEncoder(indent=1, ensure_ascii=False, allow_nan=False).iterencode(doc)
    yield "\n"


class _Rows(list):
    """The rows of a frame as a list to the JSON encoder, made a chunk at a time as it iterates.

    Why a list: the encoder writes lists only; with an indent it is the pure-Python encoder,
    which asks only the length (empty or not) and iterates."""

    CHUNK = 10_000

    def __init__(self, frame: pd.DataFrame, progress: Progress | None = None):
        super().__init__()
        self.frame, self.progress = frame, progress

    def __len__(self) -> int:
        return len(self.frame)

    def __bool__(self) -> bool:
        return len(self.frame) > 0

    def __iter__(self) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        for start in range(0, len(self.frame), self.CHUNK):
            for row in self.frame.iloc[start:start + self.CHUNK].to_dict(orient="records"):
                yield {k: json_value(v) for k, v in row.items()}
            if self.progress is not None:
                self.progress(min(start + self.CHUNK, len(self.frame)), len(self.frame))


def export_paper(export: Export) -> PaperTable:
    """The export as a table for a paper: short headers grouped (indicators under their dimension),
    numbers to `export.decimals` (one more on 0-1), unknown as the unknown mark, booleans yes/no,
    a legend of the short headers, in panels that fit a page. Its rows are worded as they are
    read (`_PaperRows`)."""
    headers = [export.headers.get(c.name, PaperHeader(c.name)) for c in export.columns]
    columns = [PaperColumn(h.short, h.group, numeric=c.type in ("number", "integer")) for h, c in zip(headers, export.columns)]
    words = [_paper_word(c.type, export.decimals + (1 if h.fraction else 0)) for h, c in zip(headers, export.columns)]
    rows = _PaperRows(export.frame, words)
    meta = export.provenance
    legend = "; ".join(f"{h.short} = {h.meaning}" for h in headers if h.meaning)
    keys = {"wide": 3, "long": 3, "region": 1}.get(export.shape, 1)
    return with_unknown_note(PaperTable(
        caption=f"{meta['dataset']}: {export.shape} panel, {meta['from']}-{meta['to']}",
        label=table_label(meta["dataset"], export.shape, meta["from"], meta["to"]),
        columns=columns, rows=rows, keys=keys, preamble=[provenance_line(meta)],
        notes=[legend + ".", f"Missing data: {meta['missing']}; aggregation: {meta['aggregation']}; weights: {meta['weights']}."],
    ), rows.shows(UNKNOWN_MARK))


def _paper_word(kind: str, decimals: int) -> tuple[Callable[[Any], str], str]:
    """How a value of a column of Frictionless type `kind` is worded in a paper table, and how a
    missing one is: numbers to `decimals` places, other values as `text_cell` words them;
    missing numbers and integers the unknown mark, other missing cells empty."""
    if kind == "number":
        return (lambda value: number_cell(value, decimals)), UNKNOWN_MARK
    return text_cell, UNKNOWN_MARK if kind == "integer" else ""


class _PaperRows:
    """The worded rows of a frame (each column's `(word, missing)`), made a chunk of rows at a
    time each time they are iterated, every distinct value of a column worded once
    (`distinct_cells`): a long panel's cells as text all at once would take gigabytes."""

    CHUNK = 20_000

    def __init__(self, frame: pd.DataFrame, words: list[tuple[Callable[[Any], str], str]]):
        self.frame, self.words = frame, words

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        for start in range(0, len(self.frame), self.CHUNK):
            part = self.frame.iloc[start:start + self.CHUNK]
            yield from zip(*(distinct_cells(part.iloc[:, k], word, missing) for k, (word, missing) in enumerate(self.words)))

    def shows(self, cell: str) -> bool:
        """Whether some row has the cell `cell`."""
        return any(cell in distinct_cells(self.frame.iloc[:, k], word, missing) for k, (word, missing) in enumerate(self.words))


@pieces("md")
def _markdown(export: Export, raw: bool, progress: Progress | None = None) -> Iterator[str]:
    return paper_markdown_lines(export_paper(export))


@pieces("tex")
def _latex(export: Export, raw: bool, progress: Progress | None = None) -> Iterator[str]:
    return paper_latex_lines(export_paper(export))


def format_for(output: str | Path, explicit: str | None = None) -> str:
    """The format to write: `explicit` if given, else the one the output's extension names."""
    if explicit is not None:
        if explicit not in FORMATS + (DATAPACKAGE,):
            raise InvalidOption(f"unknown format {explicit!r}; expected one of: {', '.join(FORMATS + (DATAPACKAGE,))}")
        return explicit
    suffix = Path(str(output)).suffix.lower()
    if suffix not in EXTENSIONS:
        raise FormatUnknown(str(output), FORMATS + (DATAPACKAGE,))
    return EXTENSIONS[suffix]


_EXTRAS = {"xlsx": ("openpyxl", "excel"), "parquet": ("pyarrow", "parquet")}


def require_format(fmt: str) -> Any:
    """The module that writing `fmt` needs (None when it needs none); raise `MissingExtra`, with
    the install hint, when it is not installed. Callers check this before the work they write."""
    if fmt not in _EXTRAS:
        return None
    module, extra = _EXTRAS[fmt]
    try:
        return import_module(module)
    except ImportError:
        raise MissingExtra(f"writing {fmt} needs {module}: {install_hint(extra)}") from None


def fixed_time() -> datetime.datetime:
    """The time stamp binary formats carry (xlsx properties and zip entries, Stata's header):
    SOURCE_DATE_EPOCH (seconds since 1970, UTC) when set, else 2000-01-01 00:00 UTC, never the
    clock, so that the same data gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(epoch) if epoch.isdigit() else FIXED_EPOCH
    return datetime.datetime.fromtimestamp(max(seconds, ZIP_EPOCH), datetime.timezone.utc).replace(tzinfo=None)


FIXED_EPOCH = 946684800  # 2000-01-01 00:00:00 UTC
ZIP_EPOCH = 315532800  # 1980-01-01: nothing earlier fits a zip entry's date


@writer("xlsx")
def _write_xlsx(export: Export, stream: BinaryIO, raw: bool, progress: Progress | None = None) -> None:
    openpyxl = require_format("xlsx")
    frame = export.frame if raw else neutralise(export.frame)
    meta = pd.DataFrame({"key": list(export.provenance), "value": [plain(v) for v in export.provenance.values()]})
    variables = pd.DataFrame({"variable": [c.name for c in export.columns], "label": [c.label for c in export.columns],
                              "description": [c.description for c in export.columns]})
    if not raw:
        meta, variables = neutralise(meta), neutralise(variables)
    # Every sheet is neutralised (unless --raw: then openpyxl makes "=..." a formula, as asked).
    # Write-only mode streams rows to the file instead of building every cell as an object.
    book = openpyxl.Workbook(write_only=True)
    when = fixed_time()
    book.properties.created = book.properties.modified = when
    for name, sheet in ((export.shape, frame), ("variables", variables), ("provenance", meta)):
        page = book.create_sheet(name)
        page.append(list(sheet.columns))
        rows = sheet.itertuples(index=False)
        for row in _counted(rows, len(sheet), progress) if sheet is frame else rows:
            page.append([json_value(v) for v in row])
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    # Not `book.save`, which stamps the workbook with the clock's time as it saves.
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    _zip_with_time(buffer, stream, when)


def _zip_with_time(source: io.BytesIO, stream: BinaryIO, when: datetime.datetime) -> None:
    """Copy the zip in `source` to `stream` with every entry dated `when` (zip files record each
    entry's time of writing)."""
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as new:
        for entry in old.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, entry.external_attr
            with old.open(entry) as part, new.open(info, "w", force_zip64=True) as copy:
                shutil.copyfileobj(part, copy, 1 << 20)


class _NotesWriter:
    """Makes a pandas Stata 118 writer that also writes `_dta` notes (characteristics) and writes
    its data a chunk of rows at a time.

    Why not pandas' own data step: it encodes every text cell to a new bytes object, pads each,
    and builds the whole data block as records, then as one bytes object (about 1 GB for a long
    panel). Here each distinct text is encoded once (the column then holds the same few bytes
    objects) and the records of `ROWS` rows at a time are made and written; the bytes are the
    same. Columns pandas writes as strL (text over 2045 characters) or as dates keep pandas' path."""

    ROWS = 50_000

    @staticmethod
    def make(notes: list[str]) -> type:
        from pandas.io.stata import StataWriterUTF8

        class Writer(StataWriterUTF8):
            def _write_characteristics(self) -> None:  # noqa: D401 - pandas hook
                self._update_map("characteristics")
                order = self._byteorder
                chars = [("_dta", "note0", str(len(notes)))] + [("_dta", f"note{k}", n) for k, n in enumerate(notes, 1)]
                parts = []
                for var, name, text in chars:
                    payload = var.encode().ljust(129, b"\0") + name.encode().ljust(129, b"\0") + text.encode("utf-8") + b"\0"
                    parts.append(b"<ch>" + int(len(payload)).to_bytes(4, "little" if order == "<" else "big") + payload + b"</ch>")
                self._write_bytes(b"<characteristics>" + b"".join(parts) + b"</characteristics>")

            def _encode_strings(self) -> None:  # pandas hook: the text columns as bytes
                if self._convert_dates or getattr(self, "_convert_strl", None):
                    return super()._encode_strings()
                for col in self.data:
                    column = self.data[col]
                    if column.dtype.type is not np.object_:
                        continue
                    if pd.api.types.infer_dtype(column, skipna=True) != "string" and len(column):
                        return super()._encode_strings()  # pandas' own error for what it cannot write
                    codes, uniques = pd.factorize(column.to_numpy())
                    if max((len(u) for u in uniques), default=0) <= self._max_string_length:  # else a strL
                        encoded = np.array([*(u.encode(self._encoding) for u in uniques), b""], dtype=object)
                        self.data[col] = pd.Series(encoded[codes], index=column.index, dtype=object)

            def _prepare_data(self) -> Any:  # pandas hook: None = made a chunk at a time by _write_data
                if self._convert_dates or STRL in self.typlist:
                    return super()._prepare_data()
                return None

            def _write_data(self, records: Any) -> None:  # pandas hook
                if records is not None:
                    return super()._write_data(records)
                native = self._byteorder == ("<" if sys.byteorder == "little" else ">")
                fields = []
                for k, col in enumerate(self.data):
                    typ = self.typlist[k]
                    dtype = np.dtype(f"S{typ}") if typ <= self._max_string_length else self.data[col].dtype
                    fields.append((f"v{k}", dtype if native else dtype.newbyteorder(self._byteorder)))
                layout = np.dtype(fields)
                columns = [self.data[col].to_numpy() for col in self.data]
                self._update_map("data")
                self._write_bytes(b"<data>")
                for start in range(0, self.nobs, _NotesWriter.ROWS):
                    part = np.empty(min(_NotesWriter.ROWS, self.nobs - start), dtype=layout)
                    for k, values in enumerate(columns):
                        part[f"v{k}"] = values[start:start + len(part)]
                    self._write_bytes(part.tobytes())
                self._write_bytes(b"</data>")

        return Writer


STRL = 32768  # pandas' Stata type code of a strL (long text)


def stata_notes(export: Export) -> list[str]:
    """The notes a Stata file carries: provenance and how to cite."""
    return [
        f"harmon export: {provenance_line(export.provenance)}",
        "Variables are documented by `harmon codebook`; formulas: `harmon docs method`.",
    ]


@writer("dta")
def _write_dta(export: Export, stream: BinaryIO, raw: bool = False, progress: Progress | None = None) -> None:
    frame = export.frame.copy()
    for name in frame.columns:
        if is_text(frame[name]):
            values = frame[name].to_numpy(dtype=object, copy=True)
            values[pd.isna(values)] = ""
            frame[name] = pd.Series(values, index=frame.index, dtype=object)
        elif pd.api.types.is_bool_dtype(frame[name]):
            frame[name] = frame[name].astype("int8")
        elif str(frame[name].dtype) == "Int64":
            frame[name] = frame[name].astype("float64")
    meta = export.provenance
    data_label = label(f"harmon {meta['harmon_version']} {meta['dataset']} {meta['shape']} {meta['from']}-{meta['to']}"
                        f" data {meta['dataset_version']} missing {meta['missing']} {meta['aggregation']}")
    writer_class = _NotesWriter.make(stata_notes(export))
    writer = writer_class(
        stream, frame, write_index=False, version=118, data_label=data_label, time_stamp=fixed_time(),
        variable_labels={c.name: label(c.label) for c in export.columns},  # any label: the data's names can be long
    )
    writer.write_file()


@writer("parquet")
def _write_parquet(export: Export, stream: BinaryIO, raw: bool = False, progress: Progress | None = None) -> None:
    pa = require_format("parquet")
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(export.frame, preserve_index=False)
    labels = {c.name: c for c in export.columns}
    fields = [f.with_metadata({b"description": labels[f.name].description.encode()}) for f in table.schema]
    schema = pa.schema(fields, metadata={**(table.schema.metadata or {}), b"harmon": json.dumps(export.provenance).encode()})
    pq.write_table(table.cast(schema), stream)
