#!/usr/bin/env python3
"""Write a synthetic but valid harmon dataset: N states x M indicators over a range of years.

    python bench/generate.py --states 200 --indicators 40 --first 1925 --last 2025 --seed 1 --out DIR

The folder it writes (region.yaml, references.yaml, indicators/model.yaml, countries/*.yaml)
passes `harmon validate --data DIR` with "OK", including the completeness checks: every state
has a real ISO 3166 alpha-3 code and its ISO name, every indicator is recorded for every state,
every `source` is a key of references.yaml.

The mix is meant to look like a coded dataset, not like noise: indicators of both kinds (event,
status) spread over several dimensions of unequal size and weight; statuses that include
`unknown`, `unavailable` and `yes-but-limited`; start years spread over the whole range, some
facts known only from the year they were `observed`, some `absent_before` a year with a note;
states that joined the organisation in different years (a founding group and later waves).

The output is a function of the arguments only: the same seed gives byte-identical files (given
the same pycountry version, whose ISO list supplies the codes and names). Only the standard
library, PyYAML and pycountry (both harmon dependencies) are used; no harmon code is imported,
so the generator does not depend on the engine it benchmarks.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from pathlib import Path

import yaml

# The parts of a real model: two level scales, as in harmon's own indicators/model.yaml.
LEVELS = {
    "event": {"yes": 1, "no": 0, "unknown": None},
    "provision": {"yes": 1, "yes-but-limited": 0.5, "no": 0, "unavailable": None, "unknown": None},
}
DIMENSION_NAMES = [
    ("criminalization", "Criminalization", "Crim."),
    ("specialization", "Specialization in law enforcement", "Spec."),
    ("regional", "Regional institutions", "Regional"),
    ("treaties", "International treaties", "Treaties"),
    ("prevention", "Prevention", "Prev."),
    ("protection", "Victim protection", "Prot."),
    ("prosecution", "Prosecution", "Pros."),
    ("cooperation", "International cooperation", "Coop."),
    ("data", "Data and monitoring", "Data"),
    ("funding", "Funding", "Fund."),
]
EVENT_WORDS = ["law", "act", "ratified", "accession", "decree", "amendment", "agreement", "plan"]
STATUS_WORDS = ["unit", "training", "support", "shelter", "hotline", "database", "taskforce", "budget"]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _states(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """n (iso3, name) pairs drawn from ISO 3166-1, in a seeded order."""
    import pycountry

    pool = sorted((c.alpha_3, c.name) for c in pycountry.countries)
    if n > len(pool):
        sys.exit(f"generate.py: at most {len(pool)} states (the ISO 3166-1 list has {len(pool)} codes)")
    return sorted(rng.sample(pool, n))


def _model(n_indicators: int, rng: random.Random) -> tuple[dict, list[dict]]:
    """The scoring model and its indicators (with their kind and levels), in model order."""
    n_dims = max(1, min(len(DIMENSION_NAMES), round(n_indicators / 5)))
    # Unequal dimensions: every dimension gets one indicator, the rest are dealt at random.
    sizes = [1] * n_dims
    for _ in range(n_indicators - n_dims):
        sizes[rng.randrange(n_dims)] += 1
    dimensions, indicators = [], []
    number = 0
    for (dim_id, label, short), size in zip(DIMENSION_NAMES, sizes):
        items = []
        for _ in range(size):
            number += 1
            kind = "event" if rng.random() < 0.5 else "status"
            word = rng.choice(EVENT_WORDS if kind == "event" else STATUS_WORDS)
            indicator = {
                # Short enough for Stata with the region export's prefix (adoption_ + 23 characters).
                "id": f"{dim_id[:4]}_{word}_{number}",
                "label": f"{label}: {word} {number}",
                "kind": kind,
                "levels": "event" if kind == "event" else "provision",
                "weight": rng.choice([1, 1, 1, 2]),
            }
            items.append(indicator)
            indicators.append(indicator)
        dimensions.append(
            {"id": dim_id, "label": label, "short": short, "weight": rng.choice([1, 1, 2]), "indicators": items}
        )
    model = {
        "name": "Synthetic benchmark model",
        "version": "1",
        "source": "bench-model",
        "levels": LEVELS,
        "dimensions": dimensions,
    }
    return model, indicators


def _references(dimensions: list[dict], states: list[tuple[str, str]]) -> dict:
    documents = {
        "bench-report": {"author": "Synthetic Secretariat", "title": "Progress report on legal harmonization", "year": 2020},
        "bench-survey": {"author": "Synthetic Survey Team", "title": "Country survey of anti-trafficking law", "year": 2021},
        "bench-members": {"author": "Synthetic Secretariat", "title": "Member states", "year": None},
    }
    references = {
        "bench-model": {"document": "bench-report", "locator": "§2 Method"},
        "bench-period": {"document": "bench-report", "locator": "§1 Scope"},
        "bench-members": {"document": "bench-members", "locator": "List of members"},
    }
    for k, dim in enumerate(dimensions, 1):
        references[f"bench-table{k}"] = {"document": "bench-report", "locator": f"Table {k} ({dim['label']})"}
    for iso3, name in states:
        references[f"survey-{iso3.lower()}"] = {"document": "bench-survey", "locator": f"Country profile: {name}"}
    return {"documents": documents, "references": references}


def _fact(indicator: dict, table: str, own: str, first: int, last: int, rng: random.Random) -> dict:
    """One state's fact on one indicator."""
    sources = rng.choice([[table], [table], [own], [table, own]])
    source: str | list[str] = sources[0] if len(sources) == 1 else sources
    r = rng.random()
    if indicator["kind"] == "event":
        if r < 0.15:
            return {"status": "unknown", "source": source}
        if r < 0.35:  # not happened by the year it was observed: known absent up to then
            return {"status": "no", "observed": rng.randint(first, last), "source": source}
        fact: dict = {"status": "yes", "year": rng.randint(first, last)}
        if rng.random() < 0.2:
            fact["observed"] = rng.randint(fact["year"], last)
        if rng.random() < 0.3:
            fact["title"] = f"{indicator['label'].split(': ')[1].capitalize()} of {fact['year']}"
        fact["source"] = source
        return fact
    # A standing condition.
    if r < 0.15:
        return {"status": "unknown", "source": source}
    if r < 0.20:
        return {"status": "unavailable", "observed": rng.randint(first, last), "source": source}
    status = "yes" if r < 0.65 else "yes-but-limited" if r < 0.82 else "no"
    fact = {"status": status}
    if rng.random() < 0.5:
        fact["year"] = rng.randint(first, last)
        if rng.random() < 0.3:
            fact["observed"] = rng.randint(fact["year"], last)
    else:
        fact["observed"] = rng.randint(first, last)
    known_from = fact.get("year", fact.get("observed"))
    if rng.random() < 0.12:
        fact["absent_before"] = rng.randint(first, known_from)
        fact["source"] = source
        fact["note"] = "The sources date the legal basis of this provision; it cannot have existed before."
        return fact
    fact["source"] = source
    return fact


def _dump(path: Path, header: str, data: dict) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    path.write_text(header + text, encoding="utf-8")


def generate(out: Path, n_states: int, n_indicators: int, first: int, last: int, seed: int) -> None:
    if n_states < 1 or n_indicators < 1:
        sys.exit("generate.py: --states and --indicators must be at least 1")
    if not 1900 <= first <= last:
        sys.exit("generate.py: need 1900 <= --first <= --last")
    rng = random.Random(seed)
    states = _states(n_states, rng)
    model, indicators = _model(n_indicators, rng)
    table_of = {i["id"]: f"bench-table{k}" for k, d in enumerate(model["dimensions"], 1) for i in d["indicators"]}

    (out / "indicators").mkdir(parents=True, exist_ok=True)
    (out / "countries").mkdir(exist_ok=True)
    stamp = f"# Synthetic benchmark data: bench/generate.py --states {n_states} --indicators {n_indicators} " \
            f"--first {first} --last {last} --seed {seed}\n"

    span = last - first
    milestones = [
        {"year": y, "kind": kind, "title": f"Synthetic {kind} of {y}", "source": "bench-period"}
        for y, kind in sorted((rng.randint(first, last), rng.choice(["declaration", "plan", "convention"]))
                              for _ in range(min(12, span + 1)))
    ]
    _dump(out / "region.yaml", stamp, {
        "name": "Synthetic",
        "title": f"Synthetic region of {n_states} states, {first}-{last}",
        "period": {"first": first, "last": last, "source": "bench-period"},
        "milestones": milestones,
    })
    _dump(out / "references.yaml", stamp, _references(model["dimensions"], states))
    _dump(out / "indicators" / "model.yaml", stamp, model)

    # Membership: a founding group in the first year, then waves of accession over the period.
    founders = max(2, n_states // 10)
    order = list(range(n_states))
    rng.shuffle(order)
    member_since = {}
    for rank, c in enumerate(order):
        member_since[c] = first if rank < founders else rng.randint(first, max(first, last - span // 10))

    used_files: set[str] = set()
    for c, (iso3, name) in enumerate(states):
        own = f"survey-{iso3.lower()}"
        facts = {i["id"]: _fact(i, table_of[i["id"]], own, first, last, rng) for i in indicators}
        filename = _slug(name) or iso3.lower()
        if filename in used_files:
            filename = f"{filename}-{iso3.lower()}"
        used_files.add(filename)
        _dump(out / "countries" / f"{filename}.yaml", stamp, {
            "country": name,
            "iso3": iso3,
            "member_since": member_since[c],
            "membership_source": "bench-members",
            "facts": facts,
        })


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--states", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--first", type=int, default=1925)
    parser.add_argument("--last", type=int, default=2025)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created; must be empty or absent)")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        sys.exit(f"generate.py: {args.out} is not empty")
    generate(args.out, args.states, args.indicators, args.first, args.last, args.seed)


if __name__ == "__main__":
    main()
