"""The `harmon` command line (typer + rich), a thin layer over the library: `app` is the typer
application, `main` the entry point that runs it, and `run` the console script, which ends the
process after `main` (`harmon.cli.app`)."""

from harmon.cli.app import app, main, run

__all__ = ["app", "main", "run"]
