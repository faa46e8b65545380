"""File-safe names, the one way every layer makes them (a state's file, a data package)."""

from __future__ import annotations

import re
import unicodedata


def slug(name: str) -> str:
    """`name` as lower-case ASCII letters and digits joined by '-': "Lao PDR" -> "lao-pdr";
    "state" when nothing is left."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "state"
