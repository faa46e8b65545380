"""Commands registered on the harmon CLI (being written)."""

from harmon.cli import app  # noqa: F401
