"""Write the golden files: `python -m tests.golden.record` from the repository's root."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.golden.cases import GOLDEN, run_all

if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    for old in GOLDEN.glob("*.txt"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        records = run_all(Path(tmp))
    for name, record in records.items():
        (GOLDEN / f"{name}.txt").write_text(record, encoding="utf-8")
    print(f"wrote {len(records)} golden files to {GOLDEN}")
