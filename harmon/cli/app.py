"""The `harmon` command line: the app, its commands in the order `--help` lists them, and the
entry point that turns signals and system errors into one line and an exit code.

Every command reads the same way: parse its options, call the library (`harmon.core`,
`harmon.report`, `harmon.authoring`), render the result in the format asked for. The commands
live in `harmon.cli.commands`, one module per group; they never import this module.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from harmon import __version__
from harmon.cli.commands import adoption, agree, authoring, export, score, sensitivity, views
from harmon.cli.common import readable_streams, write
from harmon.cli.errors import EXIT_INTERNAL, EXIT_USAGE
from harmon.cli.help import HelpCommand, HelpGroup

app = typer.Typer(
    name="harmon",
    help=(
        "Legal-harmonization indices from coded legal facts.\n\n"
        "harmon scores how far the member states of a region have adopted the same law and "
        "institutions, year by year, from YAML files that record each fact with its year and "
        "source. Without --data it uses the dataset shipped with harmon.\n\n"
        "[b]Examples[/b]\n\n"
        "  harmon score --year 2011                  [dim]# the index of every state in 2011[/dim]\n\n"
        "  harmon explain Thailand --year 2011       [dim]# one state's index taken apart[/dim]\n\n"
        "  harmon diff 2004 2015                     [dim]# what changed, and why[/dim]\n\n"
        "  harmon export -o panel.csv                [dim]# the panel for pandas, R or Stata[/dim]\n\n"
        "  harmon score --year 2011 -f latex         [dim]# a table for a paper[/dim]\n\n"
        "  harmon docs method                        [dim]# how the numbers are computed[/dim]\n\n"
        "Every command has its own examples: [b]harmon COMMAND --help[/b]."
    ),
    cls=HelpGroup,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# The commands, in the order `harmon --help` lists them.
COMMANDS = (
    score.score, score.validate, score.indicators,
    authoring.init, authoring.schema, authoring.sources, authoring.docs,
    export.export, export.codebook,
    sensitivity.sensitivity,
    views.diff, views.explain, views.status, views.trend, views.timeline, views.plot,
    agree.agree, adoption.adoption,
)
for command in COMMANDS:
    app.command(cls=HelpCommand)(command)


def _version_callback(value: bool) -> None:
    if value:
        write(f"harmon {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", help="Show harmon's version and exit.", callback=_version_callback, is_eager=True)
    ] = False,
) -> None:
    pass


def main() -> None:
    """Entry point of the `harmon` script.

    SIGTERM and SIGHUP unwind like Ctrl-C (`harmon.interrupts`), so that an export killed
    mid-write removes its temporary file; each ends with one line and exit code 128 + signal.
    """
    import errno

    from harmon.interrupts import Terminated, handle_signals, received

    def quiet_stdout() -> None:
        # After a failed write, Python would flush stdout again at exit and print the same error
        # as "Exception ignored ..." lines: send what is left to the null device instead.
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)
        except (OSError, ValueError, AttributeError):
            pass

    def say(line: str) -> None:
        try:  # after SIGHUP or with stderr closed, even this can fail
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass

    readable_streams()
    try:
        with handle_signals():
            app()
    except Terminated as exc:
        say(f"harmon: {exc.what}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        say("harmon: interrupted")
        sys.exit(130)
    except SystemExit as exc:
        # Why: typer turns Ctrl-C into a silent exit 130; say what happened.
        if exc.code == 130 and received() is not None:
            say("harmon: interrupted")
        raise
    except OSError as exc:  # the system refused, typically writing stdout: no space, a closed pipe
        if exc.errno == errno.EPIPE:  # the reader went away (`| head`): nothing to say
            quiet_stdout()
            sys.exit(141)  # 128 + SIGPIPE, as a shell reports a writer the pipe ended
        if os.environ.get("HARMON_DEBUG"):
            raise
        quiet_stdout()
        # With no file name it was a stream: the output, since input is read through files.
        where = f"{exc.filename}" if exc.filename else "cannot write the output"
        say(f"harmon: {where}: {exc.strerror or exc}")
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # a bug, not bad input: say so in one line, traceback on request
        if os.environ.get("HARMON_DEBUG"):
            raise
        say(f"harmon: internal error: {type(exc).__name__}: {exc} (set HARMON_DEBUG=1 for details)")
        sys.exit(EXIT_INTERNAL)


def run() -> None:
    """The console script: `main`, then the process ends without Python freeing its objects one by
    one (what it holds after a large dataset took a fifth of a second; the system reclaims the
    memory at once). Every file harmon writes is complete and closed before `main` returns, and
    the standard streams are flushed here. `main` itself returns normally, for callers in-process."""
    try:
        main()
        code: int | str | None = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): Python prints it and exits 1
        try:
            sys.stderr.write(f"{code}\n")
        except (AttributeError, OSError, ValueError):  # stderr closed (None) or broken
            pass
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):  # closed (None) or broken: nothing to say on it
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
