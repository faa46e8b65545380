"""One module per group of commands; each defines plain functions that `harmon.cli.app` registers."""
