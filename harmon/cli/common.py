"""What every command shares: the choices offered (built from `harmon.choices`), the shared
options, the consoles, loading the dataset and showing a rendered result.

Kept free of the engine's imports (pandas, numpy, yaml) so that `harmon --help` stays quick.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata
from enum import Enum
from pathlib import Path
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, Callable, Iterator, Optional

import typer
from rich.console import Console

from harmon import choices

if TYPE_CHECKING:
    from harmon.data.loading import Dataset


def choice_enum(name: str, values: tuple[str, ...]) -> Any:
    """An Enum of `values` (each member named and valued as itself), for typer's choices."""
    return Enum(name, {value: value for value in values}, type=str)


Missing = choice_enum("Missing", choices.MISSING_POLICIES)
Aggregation = choice_enum("Aggregation", choices.AGGREGATIONS)
ViewFormat = choice_enum("ViewFormat", choices.VIEW_FORMATS)
PaperFormat = choice_enum("PaperFormat", choices.PAPER_VIEW_FORMATS)
By = choice_enum("By", choices.SCORE_BY)
Shape = choice_enum("Shape", choices.SHAPES)
ExportFormat = choice_enum("ExportFormat", choices.EXPORT_FORMATS)
SensitivityFormat = choice_enum("SensitivityFormat", choices.SENSITIVITY_FORMATS)
SourcesFormat = choice_enum("SourcesFormat", choices.SOURCES_FORMATS)
SchemaKind = choice_enum("SchemaKind", choices.SCHEMA_KINDS)
PlotKind = choice_enum("PlotKind", choices.PLOT_KINDS)
Scope = choice_enum("Scope", choices.TIMELINE_SCOPES)
Document = choice_enum("Document", tuple(choices.DOCUMENTS))

DataOption = Annotated[
    Optional[Path],
    typer.Option(
        "--data",
        help="Dataset folder (region.yaml, references.yaml, indicators/, countries/). Default: the dataset shipped with harmon.",
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
        help="A weights file (YAML: a name, and new weights for some dimensions or indicators) to use instead of "
        "the model's weights; see [b]harmon docs method[/b], \"Weights\".",
        show_default=False,
        dir_okay=False,
    ),
]
AdoptedAtOption = Annotated[
    Optional[float],
    typer.Option(
        "--adopted-at", metavar="SCORE",
        help="A state has adopted an indicator when its score reaches SCORE (1: full provision only). "
             "Default: any level above 0.",
        show_default=False,
    ),
]
NoColorOption = Annotated[bool, typer.Option("--no-color", help="No colour (also: the NO_COLOR environment variable).")]
ViewFormatOption = Annotated[
    ViewFormat, typer.Option("--format", "-f", help="table for people; csv, json for scripts; markdown for notes.")
]
PaperFormatOption = Annotated[
    PaperFormat,
    typer.Option("--format", "-f", help="table for people; csv, json for scripts; markdown, latex (booktabs, with "
                 "caption and label) for a paper."),
]
DecimalsOption = Annotated[
    int,
    typer.Option("--decimals", min=0, max=4, help="markdown, latex: decimals of indices and scores on 0-100 "
                 "(scores on 0-1 get one more)."),
]

# Text is data: no console interprets rich markup ("[/x]", "[link=...]") or emoji codes in what
# it prints, so a name in the data is shown as written, never obeyed. Styles come from `Text`
# objects and table styles only. This is the one place that says so for every command.
PLAIN_TEXT = {"highlight": False, "markup": False, "emoji": False}
stdout = Console(**PLAIN_TEXT)
stderr = Console(stderr=True, **PLAIN_TEXT)


def console(no_color: bool) -> Console:
    """A console for this command: no styles at all with --no-color or NO_COLOR; plain when piped."""
    plain = no_color or bool(os.environ.get("NO_COLOR"))
    return Console(**PLAIN_TEXT, no_color=plain, color_system=None if plain else "auto")


# What a symbol becomes on a stream that cannot show it (PYTHONIOENCODING=ascii, a Windows
# console or redirect in cp1252): a word or ASCII look-alike, never a crash.
SYMBOL_FALLBACK = {
    "✓": "yes", "✗": "no", "→": "->", "←": "<-", "▲": "+", "▼": "-", "–": "-", "—": "-", "…": "...",
    "·": ".", "±": "+/-", "§": "S.", "×": "x", "≥": ">=", "≤": "<=", "•": "*", "‘": "'", "’": "'",
    "“": '"', "”": '"', "▁": "_", "▂": "_", "▃": ".", "▄": ".", "▅": ":", "▆": ":", "▇": "|", "█": "|",
}
FALLBACK_ERRORS = "harmon-fallback"


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for ch in error.object[error.start:error.end]:
        # A symbol by its word; a letter by its base letters (é -> e); anything else as "?".
        folded = SYMBOL_FALLBACK.get(ch) or unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        out.append(folded or "?")
    return "".join(out), error.end


def readable_streams() -> None:
    """Let stdout and stderr write any text in their own encoding: what the encoding cannot hold
    is written by `SYMBOL_FALLBACK` (✓ as "yes") or folded to ASCII, never an error."""
    codecs.register_error(FALLBACK_ERRORS, _fallback)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding and not encoding.startswith("utf") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors=FALLBACK_ERRORS)
            except (OSError, ValueError):  # pragma: no cover - a stream that cannot change
                pass


@contextmanager
def progress_bar(label: str) -> Iterator[Optional[Callable[[int, int], None]]]:
    """A rich progress bar on stderr, as `progress(done, total)`, while long work runs; none
    (None) when stderr is not a terminal, so that captured output never holds one."""
    if not stderr.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn(label, markup=False), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=stderr, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def write(text: str) -> None:
    """Write machine-readable text to stdout as it is (no wrapping, no markup)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def say(line: str) -> None:
    """One line for people on stderr (what was written, a warning), never wrapped or styled."""
    stderr.print(line, markup=False, soft_wrap=True)


def load(data: Optional[Path], weights: Optional[Path] = None) -> "Dataset":
    """The dataset in `data` (default: the shipped one), with the weights file `weights` applied."""
    from harmon.data.loading import load_dataset

    dataset = load_dataset(data)
    if weights is not None:
        from harmon.data.weights import apply_weights

        dataset = apply_weights(dataset, weights)
    return dataset


def show(view: str, output_format: str, result: Any, dataset: "Dataset", no_color: bool = False, **options: Any) -> None:
    """Render `result` of `view` in `output_format` and show it: text to stdout as it is, a table
    on a console."""
    from harmon.report.render import render
    from harmon.report.terminal import fitted

    shown = render(view, output_format, result, dataset, **options)
    if isinstance(shown, str):
        write(shown)
        return
    screen = console(no_color)
    for part in shown if isinstance(shown, list) else [shown]:
        if isinstance(part, str):
            screen.print(part, markup=False)  # notes wrap between words
        else:
            screen.print(fitted(part))
