"""The `harmon` command line (typer + rich), a thin layer over the library: `app` is the typer
application and `main` the console script's entry point (`harmon.cli.app`)."""

from harmon.cli.app import app, main

__all__ = ["app", "main"]
