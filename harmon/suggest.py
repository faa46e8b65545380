""""Did you mean": the one way every layer suggests a known name for a mistyped one.

The cost stays linear in the input: a small pool of names is searched whole with difflib; a large
one (thousands of reference keys) through an index of each name's one-character deletions, which
finds the names within a typo or two of a word in time independent of the pool's size, and only
those few (at most `MAX_CANDIDATES`) are ranked by difflib.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Iterable, Sequence

CUTOFF = 0.6  # difflib's similarity ratio below which a name is not suggested
SMALL_POOL = 1000  # up to this many names, difflib searches them all (ISO 3166 has some 250)
MAX_CANDIDATES = 50  # the most names of a large pool that difflib ranks for one word
MAX_WORD = 200  # longer words are not looked up in the index (a name is not that long)


class Suggester:
    """The names `candidates`, indexed once, for many "did you mean" look-ups."""

    def __init__(self, candidates: Iterable[str]):
        self.pool: Sequence[str] = candidates if isinstance(candidates, (list, tuple)) else list(candidates)
        self._index: dict[str, list[int]] | None = None
        self._seen: dict[tuple[str, int, bool], list[str]] = {}

    def closest(self, word: str, n: int = 1, prefix: bool = False) -> list[str]:
        """Up to `n` of the names closest to `word`, best first; [] when none is close. With
        `prefix`, names that start with `word` (case-folded) come first."""
        key = (word, n, prefix)
        if key not in self._seen:  # the same mistake is often made many times
            self._seen[key] = self._closest(word, n, prefix)
        return self._seen[key]

    def _closest(self, word: str, n: int, prefix: bool) -> list[str]:
        if prefix:
            folded = word.casefold()
            starts = [c for c in self.pool if c.startswith(folded)]
            if starts:
                return starts[:n]
        if len(self.pool) <= SMALL_POOL:
            return difflib.get_close_matches(word, self.pool, n=n, cutoff=CUTOFF)
        return difflib.get_close_matches(word, self._candidates(word), n=n, cutoff=CUTOFF)

    def _candidates(self, word: str) -> list[str]:
        if len(word) > MAX_WORD:
            return []
        if self._index is None:
            self._index = defaultdict(list)
            for k, name in enumerate(self.pool):
                if len(name) <= MAX_WORD:
                    for variant in _deletions(name.casefold()):
                        self._index[variant].append(k)
        found: dict[int, None] = {}
        for variant in _deletions(word.casefold()):
            for k in self._index.get(variant, ()):
                found[k] = None
                if len(found) >= MAX_CANDIDATES:
                    return [self.pool[k] for k in found]
        return [self.pool[k] for k in found]


def _deletions(word: str) -> set[str]:
    """`word` and every string made by deleting one of its characters: two words share one when
    they are within one insertion, deletion or substitution (or a swap) of each other."""
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


def closest(word: str, candidates: Iterable[str], n: int = 1, prefix: bool = False) -> list[str]:
    """Up to `n` of `candidates` closest to `word`, best first; [] when none is close.

    With `prefix`, candidates that start with `word` (case-folded) come first, in their order,
    and the similarity search runs only when none does. For many words against one large pool,
    build a `Suggester` once."""
    return Suggester(candidates).closest(word, n, prefix)


def did_you_mean(word: str, candidates: Iterable[str] | Suggester, prefix: bool = False) -> str:
    """` (did you mean 'x'?)` for the closest candidate, or "" when none is close."""
    suggester = candidates if isinstance(candidates, Suggester) else Suggester(candidates)
    found = suggester.closest(word, 1, prefix)
    return f" (did you mean {found[0]!r}?)" if found else ""
