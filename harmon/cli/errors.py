"""From the library's exceptions to what a command-line user reads: one line on stderr and an
exit code. Where a library parameter is a command-line flag, the message names the flag.

Exit codes: 0 success; 1 the dataset has problems; 2 a usage error (an unknown option value, a
year outside the data, a data folder that is not there, an output that cannot be written);
3 an internal error (a bug: please report it; set HARMON_DEBUG=1 for the traceback).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import typer

from harmon import errors
from harmon.cli.common import say

EXIT_INVALID_DATA = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

# The command-line flag of each library parameter that an error can name.
FLAGS = {
    "first": "--from", "last": "--to", "draws": "--draws", "seed": "--seed", "weight_spread": "--weight-spread",
    "size": "--width and --height", "dpi": "--dpi", "adopted_at": "--adopted-at", "window": "--window",
}


def message(exc: Exception) -> str:
    """What the command line says for a usage error `exc`, in its own terms (flags, not parameters)."""
    if isinstance(exc, errors.BadValue):
        flag = FLAGS.get(exc.parameter, exc.parameter)
        return f"{flag} {exc.rule}" + ("" if exc.given is None else f", got {exc.given}")
    if isinstance(exc, errors.PeriodReversed):
        return f"--from {exc.first} is after --to {exc.last}"
    if isinstance(exc, errors.OutputExists):
        return f"{exc.path} exists; use --force to replace it"
    if isinstance(exc, errors.FormatUnknown):
        return f"cannot tell the format of {exc.output!r} from its extension; give --format ({', '.join(exc.formats)})"
    if isinstance(exc, errors.NoStates):
        return 'no states given: name them, e.g. --states "Ghana, Nigeria, Senegal"'
    if isinstance(exc, errors.FolderNotEmpty):
        return f"{exc.folder} is not empty: choose a new folder, or pass --force to overwrite harmon's files in it"
    return str(exc)


@contextmanager
def engine_errors() -> Iterator[None]:
    """Turn the library's exceptions into one clear line each on stderr and an exit code."""
    try:
        yield
    except errors.DatasetInvalid as exc:
        for problem in exc.problems:
            say(problem.format(Path.cwd()))
        summary = (
            f"harmon: the weights file has {len(exc.problems)} problem(s); nothing was scored."
            if isinstance(exc, errors.WeightsInvalid)
            else f"harmon: the dataset has {len(exc.problems)} problem(s); nothing was scored. `harmon validate` lists them."
        )
        say(summary)
        raise typer.Exit(EXIT_INVALID_DATA) from None
    except (errors.DatasetNotFound, errors.YearOutOfRange, errors.InvalidOption) as exc:
        say(f"harmon: {message(exc)}")
        raise typer.Exit(EXIT_USAGE) from None
