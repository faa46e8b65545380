"""Who cites what: every reference of the dataset with the number of facts and other entries that
cite it, and the references and documents nobody cites."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from harmon.data.loading import REFERENCES_FILE, Dataset
from harmon.data.yamlio import YamlProblem, read_yaml
from harmon.errors import Problem


@dataclass(frozen=True)
class ReferenceUse:
    key: str
    document: str
    locator: str
    facts: int  # state facts citing it
    other: int  # membership, region period/milestones/figures, the model
    cited_by: tuple[str, ...]  # where, e.g. "countries/ghana.yaml: facts.trafficking_law"

    @property
    def total(self) -> int:
        return self.facts + self.other


@dataclass(frozen=True)
class SourcesReport:
    references: tuple[ReferenceUse, ...]  # in references.yaml order
    warnings: tuple[Problem, ...] = field(default=())  # references and documents nobody cites


def citations(dataset: Dataset) -> list[tuple[str, str, bool]]:
    """Every citation in the dataset as (reference key, where, is a state fact)."""
    root = dataset.root
    found: list[tuple[str, str, bool]] = []

    def rel(path: Path) -> str:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return str(path)

    for key in dataset.region.period.source:
        found.append((key, "region.yaml: period", False))
    for i, milestone in enumerate(dataset.region.milestones):
        found += [(key, f"region.yaml: milestones[{i}]", False) for key in milestone.source]
    for i, figure in enumerate(dataset.region.figures):
        found += [(key, f"region.yaml: figures[{i}]", False) for key in figure.source]
    for key in dataset.model.source or ():
        found.append((key, "scoring model: source", False))
    for country in dataset.countries:
        where = rel(dataset.country_files[country.iso3])
        found += [(key, f"{where}: membership_source", False) for key in country.membership_source or ()]
        for k, spell in enumerate(country.membership or ()):
            found += [(key, f"{where}: membership[{k}]", False) for key in spell.source]
        for indicator_id, recorded in country.facts.items():
            history = country.history(indicator_id)
            for k, fact in enumerate(history):
                entry = f"facts.{indicator_id}" + (f"[{k}]" if isinstance(recorded, list) else "")
                found += [(key, f"{where}: {entry}", True) for key in dict.fromkeys(fact.source)]
    return found


def sources_report(dataset: Dataset) -> SourcesReport:
    """Every reference with the number of citations of it; warnings for references and documents
    nobody cites. (A fact citing no reference, or an unknown one, cannot pass validation.)"""
    cited: dict[str, list[tuple[str, bool]]] = {key: [] for key in dataset.references.references}
    for key, where, is_fact in citations(dataset):
        cited.setdefault(key, []).append((where, is_fact))
    uses = tuple(
        ReferenceUse(
            key=key,
            document=ref.document,
            locator=ref.locator,
            facts=sum(1 for _, f in cited[key] if f),
            other=sum(1 for _, f in cited[key] if not f),
            cited_by=tuple(w for w, _ in cited[key]),
        )
        for key, ref in dataset.references.references.items()
    )
    path = dataset.root / REFERENCES_FILE
    try:
        doc = read_yaml(path)
        line_of = doc.line_of
    except YamlProblem:  # pragma: no cover - the file was read a moment ago
        line_of = lambda loc: None  # noqa: E731
    warnings = [
        Problem(path, line_of(("references", u.key)), f"warning: reference {u.key!r} is cited by nothing")
        for u in uses
        if u.total == 0
    ]
    used_documents = {u.document for u in uses}
    warnings += [
        Problem(path, line_of(("documents", key)), f"warning: document {key!r} has no reference")
        for key in dataset.references.documents
        if key not in used_documents
    ]
    return SourcesReport(uses, tuple(warnings))
