""""Did you mean": the one way every layer suggests a known name for a mistyped one."""

from __future__ import annotations

import difflib
from typing import Iterable, Sequence

CUTOFF = 0.6  # difflib's similarity ratio below which a name is not suggested


def closest(word: str, candidates: Iterable[str], n: int = 1, prefix: bool = False) -> list[str]:
    """Up to `n` of `candidates` closest to `word`, best first; [] when none is close.

    With `prefix`, candidates that start with `word` (case-folded) come first, in their order,
    and the similarity search runs only when none does."""
    pool: Sequence[str] = candidates if isinstance(candidates, (list, tuple)) else list(candidates)
    if prefix:
        folded = word.casefold()
        starts = [c for c in pool if c.startswith(folded)]
        if starts:
            return starts[:n]
    return difflib.get_close_matches(word, pool, n=n, cutoff=CUTOFF)


def did_you_mean(word: str, candidates: Iterable[str], prefix: bool = False) -> str:
    """` (did you mean 'x'?)` for the closest candidate, or "" when none is close."""
    found = closest(word, candidates, 1, prefix)
    return f" (did you mean {found[0]!r}?)" if found else ""
