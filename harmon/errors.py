"""The exceptions the engine raises. Only the CLI turns them into messages and exit codes."""

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


def install_hint(extra: str) -> str:
    """How to install one of harmon's optional extras, for a message: from an index, or from a
    clone of the repository (where the README installs from)."""
    return f"pip install 'harmon[{extra}]' (in a clone of harmon: pip install '.[{extra}]')"
