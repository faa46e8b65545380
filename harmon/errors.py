"""Every exception harmon raises on purpose, in one catalogue.

The library raises them and never prints; only the command line (`harmon.cli.errors`) turns
them into a line on stderr and an exit code. Messages name the problem in the library's terms
(a parameter, a file, a year), never a command-line flag: where a flag is what a user of the
command line must change, the exception carries the parameter's name and the command line
words the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one data file, at a line where there is one."""

    path: Path
    line: int | None
    message: str

    def format(self, relative_to: Path | None = None) -> str:
        """Return the problem as `file:line: message` (or `file: message` with no line)."""
        shown = self.path
        if relative_to is not None:
            try:
                shown = self.path.relative_to(relative_to)
            except ValueError:
                pass
        shown = printable(str(shown))  # a file name can hold a line break or an escape sequence
        where = f"{shown}:{self.line}" if self.line is not None else f"{shown}"
        return f"{where}: {self.message}"


def printable(text: str) -> str:
    """`text` with line breaks and other unprintable characters escaped, as repr does."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class HarmonError(Exception):
    """Base class of every error harmon raises on purpose."""


class DatasetInvalid(HarmonError):
    """The dataset has problems; `problems` lists every one found, in file and line order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line or 0, p.message))
        super().__init__(f"{len(self.problems)} problem(s) in the dataset")


class WeightsInvalid(DatasetInvalid):
    """A weights file (--weights, --weights-from) has problems; `problems` lists them."""


class DatasetNotFound(HarmonError):
    """The data folder does not exist or is not a harmon dataset."""


class YearOutOfRange(HarmonError):
    """A year outside the dataset's period was asked for."""

    def __init__(self, year: int, first: int, last: int):
        self.year, self.first, self.last = year, first, last
        super().__init__(f"year {year} is outside the data's period {first}-{last}")


class InvalidOption(HarmonError):
    """An option value the engine cannot use (an unknown missing-data policy, say)."""


class BadValue(InvalidOption):
    """A parameter's value is outside what it may be: `parameter` (the library's name for it),
    the `rule` it breaks and what was `given` (as text; None when not worth repeating)."""

    def __init__(self, parameter: str, rule: str, given: str | None = None):
        self.parameter, self.rule, self.given = parameter, rule, given
        super().__init__(f"{parameter} {rule}" + ("" if given is None else f", got {given}"))


class PeriodReversed(InvalidOption):
    """A period whose first year is after its last."""

    def __init__(self, first: int, last: int):
        self.first, self.last = first, last
        super().__init__(f"the first year {first} is after the last year {last}")


class StateNotFound(InvalidOption):
    """A state name or ISO code that matches no state of the dataset, or more than one."""


class UnknownKind(InvalidOption):
    """A timeline kind that no milestone or indicator has."""


class CountryNameUnknown(InvalidOption):
    """A name that no ISO 3166 country matches (when starting a dataset); `suggestions` are the
    closest names, or the several countries it matches when `ambiguous`."""

    def __init__(self, name: str, suggestions: list[str], ambiguous: bool = False):
        self.name, self.suggestions, self.ambiguous = name, suggestions, ambiguous
        if ambiguous:
            # Quoted, each: ISO names hold commas ("Korea, Republic of").
            message = f"state {name!r} is ambiguous: it could be {' or '.join(repr(s) for s in suggestions)}; write the one you mean"
        elif suggestions:
            message = f"unknown state {name!r}: no ISO 3166 country of that name (did you mean {' or '.join(repr(s) for s in suggestions)}?)"
        else:
            message = f"unknown state {name!r}: no ISO 3166 country of that name"
        super().__init__(message)


class AuthoringError(InvalidOption):
    """A new dataset cannot be made as asked: states that collide, a folder in use."""


class NoStates(AuthoringError):
    """A new dataset was asked for with no member states."""

    def __init__(self) -> None:
        super().__init__("no states given: name them")


class FolderNotEmpty(AuthoringError):
    """A new dataset's folder already holds files (and overwriting was not asked for)."""

    def __init__(self, folder: Path):
        self.folder = folder
        super().__init__(f"{folder} is not empty: choose a new folder")


class OutputError(InvalidOption):
    """An output cannot be written as asked."""


class OutputExists(OutputError):
    """The output exists and replacing it was not asked for."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"{path} exists")


class OutputInsideData(OutputError):
    """The output would replace, or be written inside, a file or folder of the dataset being read."""

    def __init__(self, path: Path, guarded: Path):
        self.path, self.guarded = path, guarded
        super().__init__(f"{path} is part of the dataset being read ({guarded}): not writing there (choose another place)")


class OutputNotWritable(OutputError):
    """The system refused to write the output (a folder in the way, no space, no permission)."""


class FormatUnknown(OutputError):
    """An output's format cannot be told from its name; `formats` are those that can be asked for."""

    def __init__(self, output: str, formats: tuple[str, ...]):
        self.output, self.formats = output, formats
        super().__init__(f"cannot tell the format of {output!r} from its extension ({', '.join(formats)})")


class MissingExtra(OutputError):
    """An optional library that this output needs is not installed."""


class PlotUnavailable(MissingExtra):
    """Drawing needs matplotlib, which is not installed."""

    def __init__(self) -> None:
        super().__init__(f"plots need matplotlib: {install_hint('plot')}")


def install_hint(extra: str) -> str:
    """How to install one of harmon's optional extras, for a message: from an index, or from a
    clone of the repository (where the README installs from)."""
    return f"pip install 'harmon[{extra}]' (in a clone of harmon: pip install '.[{extra}]')"
