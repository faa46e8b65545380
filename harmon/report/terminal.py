"""Shared pieces of the terminal tables: styled cells, changes with arrows, numbered reference
footnotes, sparklines, and `Fitted`, which makes any table fit the terminal's width. Nothing here
prints; each returns a rich renderable or text."""

from __future__ import annotations

import re
from typing import Any, Iterable

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Column, Table
from rich.text import Text

from harmon.data.loading import Dataset
from harmon.report.citations import reference_rows, year_text
from harmon.report.text import UNKNOWN, is_missing

SPARKS = "▁▂▃▄▅▆▇█"
UP, DOWN, SAME = "▲", "▼", "="


def styled(text: str, style: str = "") -> Text:
    """`text` as a table cell: dim italic when it is 'unknown', else in `style`."""
    return Text(text, style="dim italic" if text == UNKNOWN else style)


def score_text(value: Any) -> str:
    """An indicator score s as short text: 1, 0.5, 0 or unknown."""
    return "?" if is_missing(value) else f"{value:g}"


def policy_score(recorded: Any, scored: Any) -> str:
    """The score the policy uses, marked * where it filled in an unknown one (zero, backfill)."""
    if is_missing(recorded) and not is_missing(scored):
        return score_text(scored) + "*"
    return score_text(recorded)


def change(value: Any, decimals: int = 1) -> Text:
    if is_missing(value):
        return Text(UNKNOWN, style="dim italic")
    if round(value, decimals) == 0:
        return Text(f"{SAME} {abs(value):.{decimals}f}", style="dim")
    arrow, style = (UP, "green") if value > 0 else (DOWN, "red")
    return Text(f"{arrow} {abs(value):.{decimals}f}", style=style)


class Footnotes:
    """Reference keys numbered in order of first use, for tables that cite them as [n]."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.keys: list[str] = []

    def mark(self, keys: list[str]) -> str:
        numbers = []
        for key in keys:
            if key not in self.keys:
                self.keys.append(key)
            numbers.append(str(self.keys.index(key) + 1))
        return f"[{','.join(numbers)}]" if numbers else ""

    def renderable(self) -> Text:
        """`[n] author, locator` per reference, then each document cited once with its title."""
        refs = self.dataset.references
        text = Text()
        documents: list[str] = []
        for n, row in enumerate(reference_rows(self.dataset, self.keys), 1):
            document = refs.references[row["key"]].document
            if document not in documents:
                documents.append(document)
            text.append(f"[{n}] ", style="bold")
            text.append(f"{row['author']}, {row['locator']}\n")
        for key in documents:
            doc = refs.documents[key]
            text.append(f"{doc.author}" + (f" ({year_text(doc.year)})" if doc.year else "") + ": ")
            text.append(doc.title, style="italic")
            text.append("\n")
        text.rstrip()
        return text


def sparkline(values: list[float], low: float = 0.0, high: float = 100.0, shown: list[bool] | None = None) -> str:
    """One character per value on a fixed scale from `low` to `high`; '·' for unknown; ' ' where
    `shown` is false (a year the state was not a member)."""
    out = []
    for k, v in enumerate(values):
        if shown is not None and not shown[k]:
            out.append(" ")
            continue
        if is_missing(v):
            out.append("·")
            continue
        k = 0 if high <= low else int(round((min(max(v, low), high) - low) / (high - low) * (len(SPARKS) - 1)))
        out.append(SPARKS[k])
    return "".join(out)


# --- tables that fit any width -----------------------------------------------------------------

WIDE = 10_000  # a width no table needs: to measure what a table takes when nothing is squeezed
ELLIPSIS = "…"


class Fitted:
    """A table drawn to fit the console's width, whatever its columns: never cutting a number
    (right-justified columns are never wrapped or cut) and never leaving a column out.

    Tried in order, the first that fits is drawn: the table as it is (text columns may wrap
    between words); headers wider than their column abbreviated, with a legend below; the columns
    split over several tables, each repeating the leading key columns (up to the state or item
    name), with full headers, then abbreviated ones; each row stacked as `header  value` lines.
    """

    def __init__(self, table: Table):
        self.table = table
        # The key columns, repeated in each part of a split table: the first column, and the
        # second too when the first is a number before a name (Rank, State).
        lefts = [k for k, c in enumerate(table.columns) if c.justify in ("left", "default", None)]
        self.keys = 2 if lefts and lefts[0] == 1 and len(table.columns) > 2 else 1

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        headers, legend, caption = _abbreviated(console, options, self.table)
        # Whole, its cells can fit only if their narrowest does (headers aside): else no copy.
        if _narrowest(self.table) <= width + 2:
            drawn = _drawing(console, options, _copy(self.table, self.table.columns), width)
            if drawn is not None:
                yield from drawn  # the drawing that was checked: not drawn a second time
                return
            drawn = _drawing(console, options, _copy(self.table, self.table.columns, headers, caption_text=caption), width)
            if drawn is not None:
                yield from drawn
                yield from _legend(legend)
                return
        # Full headers if they fit, else short ones.
        for names, notes, text in (({}, [], None), (headers, legend, caption)):
            panels = _panels(console, options, self.table, names, self.keys, width, text)
            if panels is not None:
                for k, panel in enumerate(panels):
                    if k:
                        yield Text("")
                    yield from panel
                yield from _legend(notes)
                return
        yield from _stacked(self.table, width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)


def fitted(renderable: Any) -> Any:
    """`renderable` with every rich Table in it (alone or in a Group) made a `Fitted` table."""
    if isinstance(renderable, Table):
        return Fitted(renderable)
    if isinstance(renderable, Group):
        return Group(*(fitted(part) for part in renderable.renderables))
    return renderable


def _is_number(column: Column) -> bool:
    return column.justify == "right"


def _copy(table: Table, columns: Iterable[Column], headers: dict[int, str] | None = None,
          title: bool = True, caption: bool = True, caption_text: str | None = None) -> Table:
    """A table like `table` with only `columns` (by their place in it), headers renamed by
    `headers`, its caption replaced by `caption_text` when given; number columns never wrapped."""
    shown_caption = (caption_text if caption_text is not None else table.caption) if caption else None
    new = Table(
        title=table.title if title else None, caption=shown_caption,
        header_style=table.header_style, box=table.box, show_header=table.show_header, show_edge=table.show_edge,
        pad_edge=table.pad_edge, padding=table.padding, show_lines=table.show_lines, leading=table.leading,
        style=table.style, row_styles=table.row_styles, title_style=table.title_style,
        caption_style=table.caption_style, title_justify=table.title_justify, caption_justify=table.caption_justify,
        collapse_padding=table.collapse_padding, border_style=table.border_style, expand=table.expand,
    )
    chosen = list(columns)
    for column in chosen:
        header = (headers or {}).get(column._index, column.header)
        new.add_column(
            header, justify=column.justify, style=column.style, header_style=column.header_style,
            no_wrap=column.no_wrap or _is_number(column), min_width=column.min_width, max_width=column.max_width,
            # '…' for anything cut, so that `_drawing` sees it (folding would split a word unseen).
            ratio=column.ratio, overflow="ellipsis", vertical=column.vertical,
            width=column.width if column.width is not None else _number_width(column, header),
        )
    cells = [_lines(column.cells) if new.columns[k].width is not None and _is_number(column) else list(column.cells)
             for k, column in enumerate(chosen)]
    for r, row in enumerate(table.rows):
        new.add_row(*(c[r] for c in cells), style=row.style, end_section=row.end_section)
    return new


def _drawing(console: Console, options: ConsoleOptions, table: Table, width: int) -> list[Segment] | None:
    """`table` drawn `width` wide, as segments, if it shows every cell whole; else None. Rich marks
    what it cuts with '…', so the drawing may hold no more of them than the cells themselves."""
    if _narrowest(table) > width + 2:
        return None  # clearly too wide: skip drawing it
    # Drawn without cropping: rich draws a table it cannot squeeze wider than asked.
    lines = list(Segment.split_lines(console.render(table, options.update(width=width))))
    # (Only blank padding may pass the edge: the console crops it.)
    if any(cell_len("".join(segment.text for segment in line).rstrip()) > width for line in lines):
        return None
    drawn = sum(segment.text.count(ELLIPSIS) for line in lines for segment in line)
    texts = [table.title, table.caption, *(c.header for c in table.columns), *(cell for c in table.columns for cell in c.cells)]
    if drawn > sum(_plain(t).count(ELLIPSIS) for t in texts if t is not None):
        return None
    return [segment for line in lines for segment in (*line, Segment.line())]


def _size(cell: Any, whole: bool) -> int:
    """The width a cell needs at least: its longest line if it may not wrap (`whole`), else its
    longest word. Plain text: counted, not rendered, since rich's measuring costs as much as
    drawing and a table is measured for every layout tried."""
    lines = _plain(cell).split("\n")
    if whole:
        return max(cell_len(line) for line in lines)
    return max((cell_len(word) for line in lines for word in line.split()), default=0)


class _Line:
    """A number cell drawn as rich draws a one-line `Text` in a right-justified column that does
    not wrap (padded on the left; cut with '…' when too narrow), without rich's general text
    layout, which made most of the time of drawing a table of a few hundred rows."""

    __slots__ = ("plain", "style")

    def __init__(self, plain: str, style: Any):
        self.plain, self.style = plain, style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        text = self.plain
        if cell_len(text) > width:
            text = set_cell_size(text, width - 1) + ELLIPSIS
        style = console.get_style(self.style) if self.style else None
        yield Segment(" " * (width - cell_len(text)) + text, style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(cell_len(self.plain), cell_len(self.plain))


def _lines(cells: Iterable[Any]) -> list[Any]:
    """`cells` with each one that `_Line` draws the same as rich (one line of text in one style)
    made a `_Line`."""
    out = []
    for cell in cells:
        plain, style = (cell, "") if isinstance(cell, str) else (cell.plain, cell.style)
        simple = "\n" not in plain and "\t" not in plain and "\r" not in plain and (
            isinstance(cell, str) or (
                isinstance(cell, Text) and not cell.spans and cell.justify in (None, "right")
                and cell.overflow is None and cell.no_wrap is None and cell.end == "\n"))
        out.append(_Line(plain, style) if simple else cell)
    return out


def _number_width(column: Column, header: Any) -> int | None:
    """The width rich would give a number column (its widest line, header included, within its
    minimum and maximum), computed from the text; None for a column that is not all text.

    Why: a column of fixed width is not measured again by rich, cell by cell, each time a layout
    is drawn; for a table of a few hundred rows that measuring took a third of the drawing."""
    if not _is_number(column) or column.ratio:
        return None
    cells = [header, *column.cells]
    if not all(isinstance(cell, (str, Text)) for cell in cells):
        return None
    # As rich measures text (Text.__rich_measure__): the longest of its lines.
    width = max((cell_len(line) for cell in cells for line in _plain(cell).splitlines()), default=0)
    if column.min_width is not None:
        width = max(width, column.min_width)
    if column.max_width is not None:
        width = min(width, column.max_width)
    return max(width, 1)


def _narrowest(table: Table) -> int:
    """A lower bound of the width `table` can be drawn in: each column as narrow as its cells
    allow (numbers and unwrapped columns whole), with the padding between columns."""
    gap = table.padding[1] + table.padding[3]
    columns = [
        max([column.min_width or 0, *(_size(cell, column.no_wrap or _is_number(column)) for cell in column.cells)])
        for column in table.columns
    ]
    return sum(columns) + gap * max(len(columns) - 1, 0)


def _plain(header: Any) -> str:
    return header.plain if isinstance(header, (Text, _Line)) else str(header)


def _abbreviated(console: Console, options: ConsoleOptions,
                 table: Table) -> tuple[dict[int, str], list[str], str | None]:
    """Short headers for the number columns whose header is wider than their cells, the legend
    that gives each in full, and the table's caption with the short headers in its own legend.

    Why the caption: a caption that already explains a header ("Regional = Regional
    institutions") gets the short one in its place ("Regi. = Regional institutions"), rather than
    a second legend that readers would have to chain ("Regi. = Regional")."""
    headers: dict[int, str] = {}
    legend: list[str] = []
    caption = table.caption if isinstance(table.caption, str) else None
    taken = {_plain(c.header) for c in table.columns}
    for column in table.columns:
        full = _plain(column.header)
        if not _is_number(column):
            continue
        room = max([4, *(_size(c, True) for c in column.cells)])
        if len(full) <= room + 1:  # a header one wider than its cells is not worth a legend entry
            continue
        size = max(room - 1, 2)
        short = full[:size].rstrip() + "."
        while short in taken and size < len(full):
            size += 1
            short = full[:size].rstrip() + "."
        if short in taken or len(short) >= len(full):
            continue
        taken.add(short)
        headers[column._index] = short
        entry = re.compile(rf"(^|; ){re.escape(full)} = ")
        if caption is not None and entry.search(caption):
            caption = entry.sub(lambda m: f"{m.group(1)}{short} = ", caption, count=1)
        else:
            legend.append(f"{short} = {full}")
    return headers, legend, caption


def _legend(legend: list[str]) -> Iterable[RenderableType]:
    if legend:
        yield Text("; ".join(legend) + ".", style="dim")


def _panels(console: Console, options: ConsoleOptions, table: Table, headers: dict[int, str], keys: int,
            width: int, caption: str | None = None) -> list[list[Segment]] | None:
    """The columns split over tables that each fit `width`, the key columns repeated in each, as
    their drawings; None when the keys and a single other column do not fit.

    Each part is filled by an estimate (the widths of its cells and the gaps between columns),
    then drawn to check it, and given a column less while it does not fit. The drawing that was
    checked is the one shown: the table's title on the first part, its caption (or `caption`,
    when given) on the last."""
    key_columns, rest = table.columns[:keys], table.columns[keys:]
    if not rest:
        return None
    wide = options.update_width(WIDE)
    gap = table.padding[1] + table.padding[3] + (1 if table.box and table.box.head_vertical.strip() else 0)

    def need(column: Column) -> int:
        whole = column.no_wrap or _is_number(column)
        cells = [headers.get(column._index, column.header), *column.cells]
        return max([column.min_width or 0, *(_size(cell, whole) for cell in cells)]) + gap

    def part(group: list[Column], first: bool, last: bool) -> Table:
        return _copy(table, [*key_columns, *group], headers, title=first, caption=last, caption_text=caption)

    base = Measurement.get(console, wide, _copy(table, key_columns, headers, title=False, caption=False)).minimum
    groups: list[list[Column]] = []
    drawings: list[list[Segment]] = []
    todo = list(rest)
    while todo:
        group, used = [], base
        for column in todo:
            used += need(column)
            if group and used > width:
                break
            group.append(column)
        # The last part carries the caption; it wraps under the table and never decides its fit.
        while (drawn := _drawing(console, options, part(group, not groups, len(group) == len(todo)), width)) is None:
            if len(group) == 1:
                return None
            group.pop()
        groups.append(group)
        drawings.append(drawn)
        todo = todo[len(group):]
    return drawings


def _stacked(table: Table, width: int) -> Iterable[RenderableType]:
    """Each row as lines of `header  value`, rows apart: the layout of last resort."""
    if table.title:
        yield Text(_plain(table.title), style="bold", justify="left")
    columns = [list(c.cells) for c in table.columns]
    names = [_plain(c.header) for c in table.columns]
    for r in range(len(table.rows)):
        block = Table(show_header=False, box=None, padding=(0, 1), pad_edge=False)
        block.add_column(style="bold", max_width=max(min(max(map(len, names)), width // 3), 6))
        # An identifier longer than the room left is folded onto the next line, never cut.
        block.add_column(ratio=1, overflow="fold")
        for name, cells in zip(names, columns):
            block.add_row(name, cells[r])
        yield Text("")
        yield block
    if table.caption:
        yield Text("")
        yield Text(_plain(table.caption), style="dim")
