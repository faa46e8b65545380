"""The export writers that work a chunk of rows at a time give the bytes of the one-piece way:
CSV against pandas' `to_csv`, paper tables against worded cells, Stata against pandas' own data
step, on frames that span several chunks."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from pandas.io.stata import StataWriterUTF8

from harmon.report import writers
from harmon.report.paper import UNKNOWN_MARK, UNKNOWN_NOTE, number_cell
from harmon.report.shapes import Column, Export, build_export
from harmon.report.text import csv_pieces, csv_text, distinct_cells, neutral, text_cell

HOSTILE_TEXT = ["plain", "a,b", 'say "hi"', "two\nlines", "cr\rhere", "tab\there", "=SUM(A1)", "-1", "+x", "@me",
                "", None, "naïve – ü", " lead", "trail ", '"', ","]


def mixed_frame(rows: int = 23) -> pd.DataFrame:
    """A frame of every kind of column an export or a view holds, `rows` rows (cycled values)."""
    def cycle(values: list) -> list:
        return [values[k % len(values)] for k in range(rows)]

    floats = [0.0, -0.0, 1 / 3, np.nan, np.inf, -np.inf, 1e20, -2.5, 12.34565, 0.00005]
    return pd.DataFrame({
        "text": pd.Series(cycle(HOSTILE_TEXT), dtype=object),
        "str": pd.Series(cycle(["x", "y,z", None, "=1"]), dtype="str"),
        "float": cycle(floats),
        "float32": np.array(cycle(floats), dtype=np.float32),
        "int": cycle([1925, -3, 0, 2**40]),
        "Int64": pd.array(cycle([1, None, 7]), dtype="Int64"),
        "bool": cycle([True, False]),
        "boolean": pd.array(cycle([True, None, False]), dtype="boolean"),
        "mixed": pd.Series(cycle([1, True, 1.0, "1", None, "a,b", np.nan]), dtype=object),
        "=formula name": cycle(["v"]),
    })


def pandas_csv(frame: pd.DataFrame, sep: str, raw: bool) -> str:
    """The specification: pandas' `to_csv` of the frame with every text cell (and column name)
    neutralised unless `raw`, booleans as 1/0, floats to 4 places."""
    if not raw:
        frame = frame.copy()
        for name in frame.columns:
            if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name]):
                frame[name] = frame[name].map(neutral)
        frame.columns = [neutral(c) for c in frame.columns]
    flags = [c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c])]
    frame = frame.astype({c: "Int8" for c in flags})
    return frame.to_csv(index=False, sep=sep, float_format="%.4f", lineterminator="\n")


@pytest.mark.parametrize("sep", [",", "\t"])
@pytest.mark.parametrize("raw", [False, True])
@pytest.mark.parametrize("rows", [1, 4, 50_000])
def test_csv_in_chunks_is_pandas_to_csv(sep, raw, rows):
    frame = mixed_frame()
    pieces = list(csv_pieces(frame, sep, raw, rows))
    assert len(pieces) == 1 + -(-len(frame) // rows)  # the header, then one piece per chunk
    assert "".join(pieces) == pandas_csv(frame, sep, raw)


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"only": pd.Series(["a", None, "", "x,y"], dtype=object)}),  # a lone empty field is ""
    pd.DataFrame({"only": [1.5, np.nan]}),
    pd.DataFrame({"a": pd.Series([], dtype=object), "b": pd.Series([], dtype=float)}),  # header only
    pd.DataFrame(index=range(3)),  # rows without columns
    pd.DataFrame(),
], ids=["one-text-column", "one-number-column", "no-rows", "no-columns", "empty"])
def test_csv_edge_shapes_are_pandas_to_csv(frame):
    assert csv_text(frame) == pandas_csv(frame, ",", False)


def test_csv_streamed_to_bytes_is_its_text(long_export, monkeypatch):
    # write_stream hands the pieces on a megabyte at a time: here a few hundred bytes at a time.
    monkeypatch.setattr(writers, "STREAM_BYTES", 300)
    stream = io.BytesIO()
    writers.write_stream(long_export, "tsv", stream)
    assert stream.getvalue() == writers.encode_text(long_export, "tsv").encode("utf-8")
    assert stream.getvalue().decode("utf-8") == csv_text(long_export.frame, "\t")


def test_distinct_cells_word_each_value_once_and_tell_values_apart():
    seen = []

    def word(value):
        seen.append(value)
        return repr(value)

    floats = pd.Series([0.0, -0.0, 0.0, np.nan, -0.0, 2.5])
    # 0.0 and -0.0 compare equal but are written differently: told apart by their bits.
    assert distinct_cells(floats, word, "?") == ["0.0", "-0.0", "0.0", "?", "-0.0", "2.5"]
    assert sorted(map(repr, seen)) == ["-0.0", "0.0", "2.5"]
    seen.clear()
    text = pd.Series(["b", "a", None, "b", "b"], dtype=object)
    assert distinct_cells(text, word, "") == ["'b'", "'a'", "", "'b'", "'b'"] and seen == ["b", "a"]
    # Objects of several types (1 == True == 1.0 in Python) are worded cell by cell.
    mixed = pd.Series([1, True, 1.0, None], dtype=object)
    assert distinct_cells(mixed, str, "-") == ["1", "True", "1.0", "-"]
    # Integers and booleans, missing ones included, reach `word` as Python ints and bools.
    assert distinct_cells(pd.Series(pd.array([3, None, 3], dtype="Int64")), lambda v: type(v).__name__, "") == ["int", "", "int"]
    assert distinct_cells(pd.Series([True, False]), lambda v: type(v).__name__, "") == ["bool", "bool"]


# --- paper tables (md, tex) --------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_export(dataset):
    return build_export(dataset, "long")


def worded_by_cell(export: Export) -> list[tuple[str, ...]]:
    """The rows of a paper table worded cell by cell: numbers to their decimals (one more on 0-1),
    missing numbers and integers the unknown mark, other values `text_cell`."""
    rows = []
    for row in export.frame.itertuples(index=False):
        cells = []
        for value, column in zip(row, export.columns):
            header = export.headers[column.name]
            if column.type == "number":
                cells.append(number_cell(value, export.decimals + (1 if header.fraction else 0)))
            elif pd.isna(value):
                cells.append(UNKNOWN_MARK if column.type == "integer" else "")
            else:
                cells.append(text_cell(value))
        rows.append(tuple(cells))
    return rows


def test_paper_rows_in_chunks_are_the_cells_worded_one_by_one(long_export, monkeypatch):
    monkeypatch.setattr(writers._PaperRows, "CHUNK", 7)
    table = writers.export_paper(long_export)
    rows = list(table.rows)
    assert len(rows) == len(long_export.frame) > 7 * 100
    assert rows == worded_by_cell(long_export)
    assert list(table.rows) == rows  # read again for each panel
    # A score is unknown somewhere: the note says what the mark means.
    assert any(UNKNOWN_MARK in row for row in rows) and UNKNOWN_NOTE in table.notes


def test_paper_text_is_the_same_in_chunks(long_export, monkeypatch):
    whole = {fmt: writers.encode_text(long_export, fmt) for fmt in ("md", "tex")}
    monkeypatch.setattr(writers._PaperRows, "CHUNK", 7)
    for fmt, text in whole.items():
        stream = io.BytesIO()
        writers.write_stream(long_export, fmt, stream)
        assert stream.getvalue() == text.encode("utf-8")
        assert text.endswith("\n") and not text.endswith("\n\n")


# --- Stata -------------------------------------------------------------------------------------


def pandas_dta(export: Export) -> bytes:
    """The .dta as pandas writes it with its own data step (every cell encoded, one block)."""
    ours = writers._NotesWriter.make

    def make(notes):
        class Plain(ours(notes)):
            _encode_strings = StataWriterUTF8._encode_strings
            _prepare_data = StataWriterUTF8._prepare_data
            _write_data = StataWriterUTF8._write_data

        return Plain

    stream = io.BytesIO()
    try:
        writers._NotesWriter.make = staticmethod(make)
        writers.write_stream(export, "dta", stream)
    finally:
        writers._NotesWriter.make = staticmethod(ours)
    return stream.getvalue()


def chunked_dta_read_back(export: Export, rows: int, monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    """Write `export` as Stata `rows` rows at a time; check the bytes are pandas' own; read it back."""
    want = pandas_dta(export)
    monkeypatch.setattr(writers._NotesWriter, "ROWS", rows)
    stream = io.BytesIO()
    writers.write_stream(export, "dta", stream)
    assert stream.getvalue() == want
    return pd.read_stata(io.BytesIO(stream.getvalue()))


@pytest.mark.parametrize("shape", ["wide", "long", "events"])
def test_stata_in_chunks_is_pandas_data_step(dataset, shape, monkeypatch):
    export = build_export(dataset, shape)
    assert len(chunked_dta_read_back(export, 7, monkeypatch)) == len(export.frame) > 7


def test_stata_long_text_keeps_pandas_strl(monkeypatch):
    # Text over 2045 characters is a strL, which pandas writes its own way: the same file.
    frame = pd.DataFrame({"note": pd.Series(["x" * 3000, "short", None], dtype=object), "n": [1.5, np.nan, 2.0],
                          "tag": pd.Series(["a", "é", None], dtype=object)})
    columns = tuple(Column(name, kind, name, name, "", "", "") for name, kind in
                    (("note", "string"), ("n", "number"), ("tag", "string")))
    export = Export("wide", frame, columns, {"harmon_version": "0", "dataset": "t", "shape": "wide", "from": 1,
                                             "to": 2, "dataset_version": "0", "missing": "reweight",
                                             "aggregation": "arithmetic"})
    monkeypatch.setattr(writers, "provenance_line", lambda meta: "test")
    back = chunked_dta_read_back(export, 1, monkeypatch)
    assert list(back["note"]) == ["x" * 3000, "short", ""] and list(back["tag"]) == ["a", "é", ""]
