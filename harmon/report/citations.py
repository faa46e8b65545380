"""Citations: every way an output names a source of references.yaml, in one place."""

from __future__ import annotations

from typing import Iterable

from harmon.data.loading import Dataset



def year_text(year: int | None) -> str:
    """A document's year, or n.d. (no date)."""
    return str(year) if year is not None else "n.d."


def cite_document(dataset: Dataset, key: str) -> str:
    """A document of references.yaml as one citation line: `Author (year). Title. Publisher.`"""
    doc = dataset.references.documents[key]
    parts = [f"{doc.author} ({year_text(doc.year)}). {doc.title}."]
    if doc.publisher:
        parts.append(f"{doc.publisher}.")
    return " ".join(parts)


def cite_reference(dataset: Dataset, key: str) -> str:
    """A reference key as `key (Author year, locator)`."""
    ref = dataset.references.references[key]
    doc = dataset.references.documents[ref.document]
    return f"{key} ({doc.author} {year_text(doc.year)}, {ref.locator})"


def cite_keys(dataset: Dataset, keys: Iterable[str]) -> str:
    """Reference keys cited `cite_reference`-style, `; `-separated; `-` for none."""
    return "; ".join(cite_reference(dataset, k) for k in keys) or "-"


def reference_rows(dataset: Dataset, keys: Iterable[str]) -> list[dict[str, str]]:
    """Each reference key as {key, author, title, locator} (what a reader needs to look it up)."""
    refs = dataset.references
    rows = []
    for key in keys:
        ref = refs.references[key]
        doc = refs.documents[ref.document]
        rows.append({"key": key, "author": doc.author, "title": doc.title, "locator": ref.locator})
    return rows


def reference_line(row: dict[str, str]) -> str:
    """One row of `reference_rows` as `author, "title", locator`."""
    return f'{row["author"]}, "{row["title"]}", {row["locator"]}'


def reference_text(dataset: Dataset, keys: Iterable[str]) -> str:
    """References in one line: `author, "title", locator; ...`."""
    return "; ".join(reference_line(r) for r in reference_rows(dataset, keys))
