"""Every terminal view at 40, 60, 80 and 120 columns, on the shipped ASEAN data and on a freshly
`init`ed dataset: no line wider than the terminal, every number of the wide output whole in the
narrow one, no '…' cutting a cell, and every column's header still there (in the header row,
in a legend of abbreviations, or beside its value when rows are stacked)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.table import Table
from typer.testing import CliRunner

from conftest import REPO
from harmon.authoring.init import init_dataset
from harmon.cli import app
from harmon.report.render import render

WIDTHS = (40, 60, 80, 120)
NUMBER = re.compile(r"(?<![\w.])[-+]?\d[\d,]*(?:\.\d+)?%?")

# (name, command line, view and how to compute it for its headers)
VIEWS = {
    "score": ["score", "--year", "{year}"],
    "score-by-indicator": ["score", "--year", "{year}", "--by", "indicator"],
    "explain": ["explain", "{state}", "--year", "{year}"],
    "diff": ["diff", "{first}", "{year}"],
    "status": ["status", "--year", "{year}"],
    "trend": ["trend", "--from", "{first}", "--to", "{year}"],
    "timeline": ["timeline"],
    "sources": ["sources"],
    "indicators": ["indicators"],
    "sensitivity": ["sensitivity", "--year", "{year}", "--draws", "40", "--seed", "3"],
    "adoption": ["adoption", "--from", "{first}", "--to", "{year}"],
}


@pytest.fixture(scope="module")
def datasets(tmp_path_factory) -> dict[str, tuple[Path, dict[str, str]]]:
    fresh = tmp_path_factory.mktemp("fresh") / "ecowas"
    init_dataset(fresh, "Ghana, Nigeria, Senegal, Côte d'Ivoire", name="ECOWAS", first=2001, last=2020)
    return {
        "asean": (REPO, {"year": "2011", "first": "2004", "state": "Thailand"}),
        "init": (fresh, {"year": "2020", "first": "2001", "state": "Ghana"}),
    }


def shown(args: list[str], data: Path, width: int) -> str:
    result = CliRunner().invoke(app, [*args, "--data", str(data)], env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("dataset_name", ["asean", "init"])
@pytest.mark.parametrize("view", VIEWS)
def test_every_width(view, dataset_name, datasets):
    data, values = datasets[dataset_name]
    args = [a.format(**values) for a in VIEWS[view]]
    outputs = {width: shown(args, data, width) for width in WIDTHS}
    wide = outputs[max(WIDTHS)]
    numbers = set(NUMBER.findall(wide))
    # The legends of the wide output: "Treaties = International treaties" -> {"Treaties": ...}.
    meanings = dict(re.findall(r"(?:^|; )([^;=]+?) = ([^;.]+)", " ".join(wide.split())))
    for width, text in outputs.items():
        lines = text.splitlines()
        too_wide = [line for line in lines if len(line.rstrip()) > width]
        assert not too_wide, f"{view} at {width}: {too_wide[0]!r}"
        assert text.count("…") <= wide.count("…"), f"{view} at {width}: a cell is cut"
        missing = numbers - set(NUMBER.findall(text))
        assert not missing, f"{view} at {width}: numbers not shown whole: {sorted(missing)[:5]}"
        words = set(re.findall(r"[\w%.,()/-]+", text))
        # Names and identifiers have no spaces: wrapping never splits them, only cutting would.
        cut = {w for w in re.findall(r"[A-Za-z_]\w{3,}", wide) if "_" in w} - set(re.findall(r"\w+", text))
        assert not cut, f"{view} at {width}: identifiers cut: {sorted(cut)[:5]}"
        flat = " ".join(text.split())
        for header in headers_of(view, args, data):
            if all(word in words or word in text for word in header.split()):
                continue
            # Abbreviated in place in the caption's own legend ("Trea. = International
            # treaties" for "Treaties = International treaties"): what it stands for is there.
            meaning = meanings.get(header)
            assert meaning is not None and meaning in flat, f"{view} at {width}: column {header!r} dropped"


def headers_of(view: str, args: list[str], data: Path) -> list[str]:
    """The column headers of the view's tables at full width, read from the table renderables."""
    import harmon

    dataset = harmon.load_dataset(data)
    name = args[0]
    if name not in ("score", "explain", "diff", "trend", "timeline", "status"):
        return []  # sources, indicators, sensitivity: their numbers and cuts are checked above
    year = int(args[args.index("--year") + 1]) if "--year" in args else None
    if name == "score":
        result = harmon.score_year(dataset, year)
        parts = render("score", "table", result, dataset, by_indicator="--by" in args)
    elif name == "explain":
        parts = render("explain", "table", harmon.explain(dataset, args[1], year), dataset)
    elif name == "diff":
        parts = render("diff", "table", harmon.diff(dataset, int(args[1]), int(args[2])), dataset)
    elif name == "trend":
        parts = render("trend", "table", harmon.trend(dataset, int(args[2]), int(args[4])), dataset)
    elif name == "status":
        parts = render("status", "table", harmon.status(dataset, year), dataset)
    else:
        parts = render("timeline", "table", harmon.timeline(dataset), dataset)
    tables = [p for p in getattr(parts, "renderables", [parts]) if isinstance(p, Table)]
    return [str(getattr(c.header, "plain", c.header)) for t in tables for c in t.columns if str(c.header).strip()]


def _table_for_drawing() -> Table:
    from rich.text import Text

    table = Table(title="T", caption="A caption long enough to wrap under the table.", header_style="bold")
    table.add_column("Rank", justify="right")
    table.add_column("State", min_width=6)
    table.add_column("Index", justify="right", style="bold")
    table.add_column("Range", justify="right")
    table.add_column("Mixed", justify="right")
    rows = [
        ("1–7", "Lao People's Democratic Republic", Text("100.0"), Text("62.5–100.0", style="dim italic"),
         Text.assemble(("▲", "green"), " 1.2")),
        ("–", Text("Timor-Leste (not a member)", style="dim"), Text("?", style="dim italic"), "=", "12"),
        ("10", "Viet Nam", Text("7.5", justify="left"), Text("0.0–0.0"), Text("a\nb")),
    ]
    for row in rows:
        table.add_row(*row)
    return table


@pytest.mark.parametrize("width", [60, 80, 200])
@pytest.mark.parametrize("color", [False, True])
def test_a_fitted_table_that_fits_is_drawn_as_rich_draws_it(width: int, color: bool) -> None:
    # Fitted gives number columns their width and draws one-line number cells itself (for speed):
    # the bytes must be rich's own, styles included.
    import io

    from rich.console import Console

    from harmon.report.terminal import Fitted

    def drawn(renderable) -> str:
        console = Console(file=io.StringIO(), width=width, force_terminal=color, color_system="truecolor" if color else None,
                          highlight=False, markup=False, emoji=False)
        console.print(renderable)
        return console.file.getvalue()

    assert drawn(Fitted(_table_for_drawing())) == drawn(_table_for_drawing())


@pytest.mark.parametrize("room", [1, 2, 4, 9, 10, 14])
def test_a_number_cell_is_padded_or_cut_as_rich_cuts_text(room: int) -> None:
    from rich.console import Console
    from rich.text import Text

    from harmon.report import terminal

    console = Console(width=40, color_system="truecolor", force_terminal=True)
    options = console.options.update(width=room, justify="right", overflow="ellipsis", no_wrap=True)
    for plain, style in (("62.5–100.0", "dim italic"), ("100.0", ""), ("Côte d'Ivoire", "bold")):
        ours = console.render_lines(terminal._Line(plain, style), options, pad=False)
        rich = console.render_lines(Text(plain, style=style), options, pad=False)
        assert ours == rich
