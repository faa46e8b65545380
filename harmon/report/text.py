"""The formatting toolkit every output shares: missing values, numbers, JSON, CSV, Markdown and
LaTeX cells. One function per job, so that every format shows the same value the same way.

Floats in machine-readable output are rounded to `DECIMALS` places, so that the same data always
gives the same bytes."""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import re
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from harmon.core.bounds import determined

DECIMALS = 4
UNKNOWN = "unknown"


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA: a value that was not observed."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def json_number(value: Any) -> Any:
    """A JSON-ready number: None for unknown, floats rounded to DECIMALS; other values as they are."""
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    try:
        return round(float(value), DECIMALS)
    except (TypeError, ValueError):
        return value


def json_text(value: Any) -> str:
    """`value` as indented JSON text, non-ASCII kept, with a final newline."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def json_value(value: Any) -> Any:
    """A cell of a frame as a JSON value: numpy scalars as Python ones, missing as None."""
    if isinstance(value, np.generic):
        value = value.item()
    return None if is_missing(value) else value


def fmt(value: Any, decimals: int = 1, suffix: str = "") -> str:
    """`value` with `decimals` places and `suffix`, or 'unknown' when it is missing."""
    return UNKNOWN if is_missing(value) else f"{value:.{decimals}f}{suffix}"


def range_text(low: float, high: float, decimals: int = 1) -> str:
    """The bounds of a value as a table shows them: "62.5–100.0", or "=" where they coincide
    (`harmon.core.bounds.determined`); 'unknown' when either is missing."""
    if is_missing(low) or is_missing(high):
        return UNKNOWN
    if determined(low, high):
        return "="
    return f"{fmt(low, decimals)}–{fmt(high, decimals)}"


def rank_range_text(best: int, worst: int) -> str:
    """A rank range as a table shows it: "3" when the data fix the rank, else "1–7"."""
    return str(best) if best == worst else f"{best}–{worst}"


def number(value: float) -> str:
    """A weight or a level as short text: 1, 0.5, 2.25."""
    return f"{value:g}"


def plain(value: Any) -> str:
    """A value of a `key=value` line: lists comma-joined, None as none, booleans in lower case."""
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    if value is None:
        return "none"
    return str(value).lower() if isinstance(value, bool) else str(value)


def text_cell(value: Any) -> str:
    """A cell of an exported table as text: missing empty, booleans yes/no, floats to DECIMALS."""
    if is_missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        return f"{value:.{DECIMALS}f}"
    return str(value)


CSV_ROWS = 50_000  # rows formatted and written at a time: a long panel as one string would take hundreds of MB


def csv_text(frame: pd.DataFrame, sep: str = ",", raw: bool = False) -> str:
    """`frame` as CSV (or TSV with `sep="\\t"`), header row first: missing cells empty, booleans
    1 and 0, floats to DECIMALS places, text a spreadsheet would run as a formula neutralised
    (unless `raw`). pandas, DuckDB, R's read.csv and Stata's import delimited all read these
    forms the same way with no options (Stata reads true/false as text). The pieces of
    `csv_pieces`, joined."""
    return "".join(csv_pieces(frame, sep, raw))


def csv_pieces(frame: pd.DataFrame, sep: str = ",", raw: bool = False, rows: int = CSV_ROWS) -> Iterator[str]:
    """The text of `csv_text`: the header line, then the lines of `rows` rows at a time.

    The same bytes as pandas' `to_csv(index=False, sep=sep, float_format="%.4f",
    lineterminator="\\n")` of the neutralised frame with booleans as Int8 (its quoting is Python's
    csv module's, which decides it here too), but each column's cells are worded once per distinct
    value (`distinct_cells`): a long panel repeats a few hundred values millions of times."""
    field = _csv_quoter(sep)
    names = [c if raw else neutral(c) for c in frame.columns]
    yield _csv_line(names, sep)
    words = [_csv_word(frame.iloc[:, k], field, raw) for k in range(frame.shape[1])]
    lone = len(words) == 1  # a row of one empty field is written as "" (else it would be a blank line)
    for start in range(0, len(frame), rows):
        part = frame.iloc[start:start + rows]
        columns = [distinct_cells(part.iloc[:, k], word, "") for k, word in enumerate(words)]
        lines = [sep.join(cells) for cells in zip(*columns)] if columns else [""] * len(part)
        if lone:
            lines = [line or '""' for line in lines]
        yield "\n".join(lines) + "\n"


def _csv_line(cells: list[Any], sep: str) -> str:
    """One line of CSV as Python's csv module writes it (the dialect pandas' `to_csv` uses)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerow(cells)
    return buffer.getvalue()


def _csv_quoter(sep: str) -> Callable[[Any], str]:
    """A function that writes one field as the csv module does: text with none of the delimiter,
    the quote or a line break as it is; anything else as the csv module writes it (in a row of
    two fields, so that an empty field is not quoted)."""
    special = re.compile("[" + re.escape(sep) + '"\r\n]')

    def field(value: Any) -> str:
        if isinstance(value, str) and not special.search(value):
            return value
        return _csv_line([value, ""], sep)[: -len(sep) - 1]

    return field


def _csv_word(column: pd.Series, field: Callable[[Any], str], raw: bool) -> Callable[[Any], str]:
    """How a (non-missing) value of `column` is written in CSV: what pandas' `to_csv` writes."""
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return lambda value: "1" if value else "0"
    if pd.api.types.is_float_dtype(dtype):
        return lambda value: f"%.{DECIMALS}f" % value
    if pd.api.types.is_integer_dtype(dtype):
        return str
    if dtype.kind in "mM" or isinstance(dtype, (pd.PeriodDtype, pd.IntervalDtype)):
        raise TypeError(f"column {column.name!r}: no CSV form for {dtype} (harmon exports none)")
    return field if raw else lambda value: field(neutral(value))


def distinct_cells(column: pd.Series, word: Callable[[Any], str], missing: str) -> list[str]:
    """`word(value)` for each cell of `column` (`missing` where it is missing), calling `word`
    once per distinct value: floats told apart by their bits (0.0 from -0.0), text by its
    characters; a column of other objects (which could compare equal across types, 1 and True)
    cell by cell. Values are passed as Python scalars (bool, int, float, str)."""
    dtype = column.dtype
    if pd.api.types.is_float_dtype(dtype):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        known = ~np.isnan(values)
        codes = np.full(len(values), -1, dtype=np.intp)
        codes[known], uniques = pd.factorize(values[known].view(np.int64))
        words = [word(v) for v in uniques.view(np.float64).tolist()]
    elif isinstance(dtype, np.dtype) and dtype.kind == "O":
        values = column.to_numpy()
        if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
            absent = pd.isna(values)
            return [missing if gone else word(v) for v, gone in zip(values.tolist(), absent.tolist())]
        codes, uniques = pd.factorize(values)
        words = [word(v) for v in uniques.tolist()]
    else:
        codes, uniques = pd.factorize(column)
        words = [word(v) for v in np.asarray(uniques, dtype=object).tolist()]
    return np.array([*words, missing], dtype=object)[codes].tolist()


def is_text(column: pd.Series) -> bool:
    """Whether a column holds text (object or string dtype)."""
    return pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)


# What makes a spreadsheet run a cell as a formula (or DDE), and what is put in front to stop it.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells that start with = + - @ (or a tab or carriage return)
    have an apostrophe put in front, so that a spreadsheet shows them instead of running them;
    the column names too (a view's columns can be the data's labels)."""
    out = frame.copy()
    for name in out.columns:
        if is_text(out[name]):
            # Each distinct value once: a long panel repeats a few hundred texts millions of times.
            out[name] = pd.Series(distinct_cells(out[name], neutral, None), index=out.index, dtype=object)
    out.columns = [neutral(c) for c in out.columns]
    return out


def neutral(value: Any) -> Any:
    """`value` with an apostrophe in front if it is text a spreadsheet would run as a formula."""
    return NEUTRALISER + value if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) else value


# Characters that end a line somewhere (a CSV reader, LaTeX, a browser, Python's splitlines).
LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def comment_text(text: str) -> str:
    """`text` on one line, for a comment (`# `, `% `, `<!-- -->`): every line break a space, so
    that nothing in the data can end the comment and start live content."""
    return LINE_BREAKS.sub(" ", text)


def lists_joined(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every list cell (reference keys, say) joined with ';', for a flat table."""
    lists = [c for c in frame.columns if frame[c].dtype == object and frame[c].map(lambda v: isinstance(v, list)).any()]
    if not lists:
        return frame
    return frame.assign(**{c: frame[c].map(lambda v: ";".join(v) if isinstance(v, list) else v) for c in lists})


@functools.lru_cache(maxsize=1 << 16)  # a long table repeats a few hundred cells millions of times
def markdown_escape(text: str) -> str:
    """`text` safe in a Markdown table cell: backslashes and '|' escaped, no HTML from the data
    (`markdown_inline`), line breaks as spaces."""
    return markdown_inline(text.replace("\\", "\\\\").replace("|", "\\|"))


# A "<" that would open an HTML tag or comment in Markdown (not "<=" or "< 5").
HTML_OPEN = re.compile(r"<(?=[A-Za-z/!?])")


def markdown_inline(text: str) -> str:
    """`text` safe in a line of Markdown (a heading, a list item): on one line, and no '<' that
    would open HTML (written as an entity)."""
    return HTML_OPEN.sub("&lt;", comment_text(text))


def markdown_comment(text: str) -> str:
    """`text` as an HTML comment in Markdown, on one line, which nothing in `text` can end."""
    text = comment_text(text)
    while "--" in text:
        text = text.replace("--", "- -")
    return f"<!-- {text} -->"


def markdown_rows(header: Sequence[str], rows: Iterable[Sequence[str]], align: Sequence[str] | None = None) -> str:
    """A Markdown table of text cells (escaped here); `align` gives each column's rule ("---",
    "---:"), default left."""
    return "\n".join(markdown_lines(header, rows, align))


def markdown_lines(header: Sequence[str], rows: Iterable[Sequence[str]], align: Sequence[str] | None = None) -> Iterator[str]:
    """The lines of `markdown_rows`, one at a time (a long table need not be in memory at once)."""
    rule = align or ["---"] * len(header)
    yield "| " + " | ".join(markdown_escape(str(h)) for h in header) + " |"
    yield "|" + "|".join(rule) + "|"
    for row in rows:
        yield "| " + " | ".join(markdown_escape(cell) for cell in row) + " |"


def markdown_table(frame: pd.DataFrame) -> str:
    """`frame` as a Markdown table: missing cells 'unknown', floats to `DECIMALS` places, lists
    joined with '; ', and every cell escaped so that it cannot break the table."""
    return markdown_rows(list(frame.columns), [[_markdown_cell(v) for v in row] for row in frame.itertuples(index=False)])


def _markdown_cell(value: Any) -> str:
    if is_missing(value):
        return UNKNOWN
    if isinstance(value, float):
        return f"{value:.{DECIMALS}f}"
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


TEX_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                 "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def tex_escape(text: str) -> str:
    """`text` with LaTeX's special characters escaped and on one line (a blank line would end
    the table's paragraph)."""
    return "".join(TEX_SPECIALS.get(ch, ch) for ch in comment_text(text))

