#!/usr/bin/env python3
"""Bounds a hostile or merely large input must not break: wall time and peak memory.

    python bench/hostile.py            # every figure (a few minutes); Markdown on stdout
    python bench/hostile.py --quick    # validate only

1. `validate` on the shipped dataset with 10,000 references added to references.yaml and 10,000
   citations of keys that do not exist (500 milestones citing 20 each, in region.yaml): each gets
   a "did you mean" hint (harmon/suggest.py), which must cost linear time (target: under 5 s).
2. `export` of the 200-state benchmark dataset (bench/generate.py: 200 states x 40 indicators,
   1925-2025) in every format and shape, and as a data package: peak resident memory of the
   process (ru_maxrss from os.wait4; target: under 600 MB each).
3. `sensitivity --draws 1000000` on the shipped dataset: time and peak memory (draws are scored
   in chunks).

Run it with the Python of the environment harmon is installed in. The recorded figures are in
bench/hostile.md. The exit code is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harmon.choices import FORMATS, SHAPES  # every shape in every file format

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
HARMON = [sys.executable, "-c", "import sys; from harmon.cli import main; sys.argv[0] = 'harmon'; main()"]
VALIDATE_SECONDS = 5.0
EXPORT_MB = 600.0


def run(args: list[str], cwd: Path) -> tuple[int, float, float]:
    """Run harmon with `args`; return its exit code, wall seconds and peak RSS in MB."""
    start = time.perf_counter()
    proc = subprocess.Popen([*HARMON, *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    return os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss / 1024


def many_references(root: Path, references: int = 10_000, bad: int = 10_000) -> Path:
    """The shipped dataset with `references` more references and `bad` unknown citations."""
    data = root / "refs"
    data.mkdir()
    for name in ("countries", "indicators"):
        shutil.copytree(REPO / name, data / name)
    extra = "".join(f"  ref-{k:05d}-section-{k % 97}:\n    document: lau2016\n    locator: \"p. {k}\"\n" for k in range(references))
    (data / "references.yaml").write_text((REPO / "references.yaml").read_text(encoding="utf-8") + extra, encoding="utf-8")
    region = (REPO / "region.yaml").read_text(encoding="utf-8")
    milestones = []
    for m in range(bad // 20):
        ks = [(m * 20 + j) % references for j in range(20)]
        keys = ", ".join(f"ref-{k:05d}-sectoin-{k % 97}" for k in ks)  # a typo of a real key each
        milestones.append(f"  - year: 2000\n    kind: plan\n    title: Milestone {m}\n    source: [{keys}]\n")
    region = region.replace("milestones:\n", "milestones:\n" + "".join(milestones), 1)
    (data / "region.yaml").write_text(region, encoding="utf-8")
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="validate only")
    args = parser.parse_args()
    missed = False
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = many_references(root)
        code, seconds, mb = run(["validate", "--data", str(data)], root)
        ok = code == 1 and seconds < VALIDATE_SECONDS
        missed |= not ok
        print("| Input | Command | Wall time | Peak memory | Target |")
        print("|---|---|---:|---:|---|")
        print(f"| 10,000 references, 10,000 bad citations | validate | {seconds:.1f} s | {mb:.0f} MB | "
              f"< {VALIDATE_SECONDS:g} s: {'met' if ok else 'MISSED'} |")
        if args.quick:
            return int(missed)
        large = root / "large"
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--states", "200", "--indicators", "40",
                        "--first", "1925", "--last", "2025", "--seed", "1", "--out", str(large)], check=True,
                       stdout=subprocess.DEVNULL)
        for shape in SHAPES:
            for fmt in FORMATS:
                out = root / f"out.{fmt}"
                code, seconds, mb = run(["export", "--data", str(large), "--shape", shape, "-o", str(out), "--force"], root)
                ok = code == 0 and mb < EXPORT_MB
                missed |= not ok
                print(f"| 200 states, 1925-2025 | export --shape {shape} -o x.{fmt} | {seconds:.1f} s | {mb:.0f} MB | "
                      f"< {EXPORT_MB:g} MB: {'met' if ok else 'MISSED'} |")
        code, seconds, mb = run(["export", "--data", str(large), "--format", "datapackage", "-o", str(root / "pkg")], root)
        ok = code == 0 and mb < EXPORT_MB
        missed |= not ok
        print(f"| 200 states, 1925-2025 | export --format datapackage | {seconds:.1f} s | {mb:.0f} MB | "
              f"< {EXPORT_MB:g} MB: {'met' if ok else 'MISSED'} |")
        code, seconds, mb = run(["sensitivity", "--draws", "1000000", "--seed", "1", "--format", "csv"], root)
        print(f"| shipped (ASEAN) | sensitivity --draws 1000000 | {seconds:.1f} s | {mb:.0f} MB | < 1 GB: "
              f"{'met' if code == 0 and mb < 1024 else 'MISSED'} |")
        missed |= not (code == 0 and mb < 1024)
    return int(missed)


if __name__ == "__main__":
    sys.exit(main())
