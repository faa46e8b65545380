"""The documents harmon ships (docs/method.md, docs/authoring.md), found where they are: inside
the installed package (the wheel carries them as `harmon/_docs/`) or in the source checkout."""

from __future__ import annotations

from pathlib import Path

from harmon.choices import DOCUMENTS
from harmon.errors import InvalidOption


def documents_dir() -> Path:
    """The folder of the shipped documents: inside the installed package, or the checkout's docs/."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "_docs"
    return packaged if packaged.is_dir() else package.parent / "docs"


def document_text(name: str) -> str:
    """The Markdown text of the shipped document `name` (a key of `harmon.choices.DOCUMENTS`)."""
    if name not in DOCUMENTS:
        raise InvalidOption(f"no document {name!r}; expected one of: {', '.join(DOCUMENTS)}")
    return (documents_dir() / DOCUMENTS[name]).read_text(encoding="utf-8")
