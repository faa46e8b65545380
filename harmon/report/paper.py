"""Tables for a paper: the one implementation of Markdown and LaTeX tables that `score`, `status`,
`diff` and `export` (md, tex) share.

A `PaperTable` holds cells already worded (numbers to the chosen decimals, unknown as `–`), short
headers grouped under a spanning header (indicators under their dimension), a caption, a label
and notes (the legend of the short headers, what `–` means). `paper_markdown` and `paper_latex`
draw it; a table with more number columns than fit a page is drawn in panels that each repeat
the key columns (the state, the year). LaTeX uses booktabs (`\\toprule`, `\\cmidrule`), in a
`table` environment with `\\caption` and `\\label`, ready to `\\input`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

from harmon.names import slug
from harmon.report.text import comment_text, is_missing, markdown_comment, markdown_inline, markdown_lines, tex_escape

UNKNOWN_MARK = "–"  # an en dash: unknown, explained in the notes
UNKNOWN_NOTE = "– unknown: the sources do not say (never the same as 0)."
PAGE_COLUMNS = 12  # number columns that fit a page in a small font, besides the key columns
DEFAULT_DECIMALS = 1  # for 0-100 values; 0-1 values get one more


@dataclass(frozen=True)
class PaperColumn:
    """A column: its short `header`, the `group` it spans under (empty: none) and whether it
    holds numbers (right-aligned)."""

    header: str
    group: str = ""
    numeric: bool = True
    wide: bool = False  # long text: a paragraph column in LaTeX


@dataclass
class PaperTable:
    """A table for a paper: worded `rows`, its `columns`, the first `keys` of which are repeated
    in each panel; `caption`, `label` (LaTeX) and `notes` under it."""

    caption: str
    label: str
    columns: list[PaperColumn]
    rows: Iterable[Sequence[str]]  # read once per panel: a list, or an iterable that makes them again each time
    notes: list[str] = field(default_factory=list)
    keys: int = 1
    preamble: list[str] = field(default_factory=list)  # LaTeX comments: provenance, packages


def number_cell(value: Any, decimals: int = DEFAULT_DECIMALS, suffix: str = "") -> str:
    """A number to `decimals` places (with `suffix`), or the unknown mark."""
    if is_missing(value):
        return UNKNOWN_MARK
    return f"{float(value):.{decimals}f}{suffix}"


def table_label(*parts: Any) -> str:
    """A LaTeX label from `parts`: `tab:harmon-asean-score-2011`."""
    return "tab:" + slug("-".join(str(p) for p in ("harmon", *parts)))


def with_unknown_note(table: PaperTable, shown: bool | None = None) -> PaperTable:
    """`table` with the note on `–` added when a cell is unknown: when `shown` (None: when a cell
    of its rows is the unknown mark)."""
    if shown is None:
        shown = any(UNKNOWN_MARK == cell for row in table.rows for cell in row)
    if shown and UNKNOWN_NOTE not in table.notes:
        table.notes.append(UNKNOWN_NOTE)
    return table


def panels(table: PaperTable, per_panel: int = PAGE_COLUMNS) -> list[list[int]]:
    """The column indices of each panel: the keys, then at most `per_panel` other columns (a wide
    text column counts as four), a spanning group kept whole where it fits."""
    keys = list(range(table.keys))
    rest = list(range(table.keys, len(table.columns)))
    out: list[list[int]] = []
    current: list[int] = []
    k = 0
    while k < len(rest):
        group = table.columns[rest[k]].group
        run = [rest[k]]
        while group and k + len(run) < len(rest) and table.columns[rest[k + len(run)]].group == group:
            run.append(rest[k + len(run)])
        if current and _room(table, current) + _room(table, run) > per_panel:
            out.append(current)
            current = []
        current += run
        k += len(run)
    if current or not out:
        out.append(current)
    return [keys + p for p in out]


def _room(table: PaperTable, indices: list[int]) -> int:
    return sum(4 if table.columns[i].wide else 1 for i in indices)


def signed_cell(value: Any, decimals: int = DEFAULT_DECIMALS) -> str:
    """A change with its sign (+12.5, -4.2, 0.0), or the unknown mark."""
    if is_missing(value):
        return UNKNOWN_MARK
    shown = f"{float(value):+.{decimals}f}"
    return shown[1:] if float(shown) == 0 else shown


def _groups(columns: Sequence[PaperColumn]) -> list[tuple[str, int, int]]:
    """(group, first, last) runs of spanning headers, positions 1-based as LaTeX counts."""
    runs: list[tuple[str, int, int]] = []
    for k, column in enumerate(columns, 1):
        if runs and column.group and runs[-1][0] == column.group and runs[-1][2] == k - 1:
            runs[-1] = (column.group, runs[-1][1], k)
        else:
            runs.append((column.group, k, k))
    return runs


def paper_markdown(table: PaperTable, per_panel: int = PAGE_COLUMNS) -> str:
    """The table as Markdown: a bold caption, one pipe table per panel (a spanning group written
    into its columns' headers, `Crim.: 1a`), the notes below; the lines of
    `paper_markdown_lines`, the blank ones at the end left out."""
    return "".join(paper_markdown_lines(table, per_panel))


def paper_markdown_lines(table: PaperTable, per_panel: int = PAGE_COLUMNS) -> Iterator[str]:
    """The lines of `paper_markdown`, each with its newline, as they are made (a long table need
    not be in memory at once): the blank lines of `_markdown_lines` kept between lines, dropped
    at the end."""
    blanks, wrote = 0, False
    for line in _markdown_lines(table, per_panel):
        if not line:
            blanks += 1
            continue
        yield "\n" * blanks + line + "\n"
        blanks, wrote = 0, True
    if not wrote:
        yield "\n"


def _markdown_lines(table: PaperTable, per_panel: int) -> Iterator[str]:
    # Data text may hold line breaks, '<' or '-->': every line here is made one safe line.
    lines = [markdown_comment(line) for line in table.preamble]
    lines += ["" if lines else None, f"**{markdown_inline(table.caption)}**", ""]
    yield from (line for line in lines if line is not None)
    parts = panels(table, per_panel)
    for n, indices in enumerate(parts):
        if len(parts) > 1:
            yield from (f"*Panel {chr(ord('A') + n)}*", "")
        columns = [table.columns[i] for i in indices]
        # A spanning group named once, on the first column of its run: `Adoption share: 1a | 1b | ...`.
        header = [f"{c.group}: {c.header}" if c.group and (k == 0 or columns[k - 1].group != c.group) else c.header
                  for k, c in enumerate(columns)]
        align = ["---:" if c.numeric else "---" for c in columns]
        yield from markdown_lines(header, ([row[i] for i in indices] for row in table.rows), align)
        yield ""
    for note in table.notes:
        yield from (markdown_inline(note), "")


TEX_SYMBOLS = {UNKNOWN_MARK: "--", "→": r"$\rightarrow$", "✓": r"$\checkmark$", "✗": r"$\times$",
               "▲": r"$\blacktriangle$", "▼": r"$\blacktriangledown$"}
TEX_PACKAGES = "Needs \\usepackage{booktabs} and \\usepackage{amssymb} in the preamble; \\input this file."


@functools.lru_cache(maxsize=1 << 16)  # a long table repeats a few hundred cells millions of times
def _tex(text: str) -> str:
    out = tex_escape(text)
    for symbol, tex in TEX_SYMBOLS.items():
        out = out.replace(symbol, tex)
    return out


def indicator_codes(model: Any) -> dict[str, str]:
    """A short code per indicator for narrow headers: its dimension's number and a letter (1a, 1b, 2a, ...)."""
    return {i.id: f"{n}{chr(ord('a') + k)}" for n, d in enumerate(model.dimensions, 1) for k, i in enumerate(d.indicators)}


def indicator_legend(model: Any) -> str:
    """The codes in words: `1a = Specific anti-trafficking law; ...`."""
    codes = indicator_codes(model)
    return "; ".join(f"{codes[i]} = {ind.label}" for i, ind in model.indicators.items()) + "."


def dimension_header(dimension: Any) -> str:
    """A dimension's short name for a header (its label when it has none)."""
    return dimension.short or dimension.label


def paper_latex(table: PaperTable, per_panel: int = PAGE_COLUMNS) -> str:
    """The table as a LaTeX `table` environment (booktabs): caption, label, a tabular per panel
    with spanning headers over their columns (`\\cmidrule`), notes in a footnote-size paragraph;
    the lines of `paper_latex_lines`."""
    return "".join(paper_latex_lines(table, per_panel))


def paper_latex_lines(table: PaperTable, per_panel: int = PAGE_COLUMNS) -> Iterator[str]:
    """The lines of `paper_latex`, each with its newline, as they are made."""
    return (line + "\n" for line in _latex_lines(table, per_panel))


def _latex_lines(table: PaperTable, per_panel: int) -> Iterator[str]:
    yield from (f"% {comment_text(line)}" for line in [*table.preamble, TEX_PACKAGES])
    yield from (
        "\\begin{table}[htbp]",
        "\\centering",
        "\\small",
        f"\\caption{{{_tex(table.caption)}}}",
        f"\\label{{{table.label}}}",
    )
    parts = panels(table, per_panel)
    for n, indices in enumerate(parts):
        columns = [table.columns[i] for i in indices]
        if n:
            yield "\\par\\medskip"
        if len(parts) > 1:
            yield f"\\textit{{Panel {chr(ord('A') + n)}}}\\par\\smallskip"
        share = 0.7 / max(1, sum(c.wide for c in columns))  # the wide text columns share 70% of the line
        spec = "".join("r" if c.numeric else f"p{{{share:.2f}\\linewidth}}" if c.wide else "l" for c in columns)
        yield "\\begin{tabular}{" + spec + "}"
        yield "\\toprule"
        runs = _groups(columns)
        if any(group for group, _, _ in runs):
            yield " & ".join(
                f"\\multicolumn{{{last - first + 1}}}{{c}}{{{_tex(group)}}}" if group else "" for group, first, last in runs
            ) + " \\\\"
            yield " ".join(f"\\cmidrule(lr){{{first}-{last}}}" for group, first, last in runs if group)
        yield " & ".join(_tex(c.header) for c in columns) + " \\\\"
        yield "\\midrule"
        yield from (" & ".join(_tex(row[i]) for i in indices) + " \\\\" for row in table.rows)
        yield "\\bottomrule"
        yield "\\end{tabular}"
    if table.notes:
        yield from ("\\par\\smallskip", "\\begin{minipage}{\\linewidth}\\footnotesize",
                    *(_tex(note) + "\\par" for note in table.notes), "\\end{minipage}")
    yield "\\end{table}"
