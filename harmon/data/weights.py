"""Alternative weighting schemes: read a weights file, check it against the scoring model, and
apply it to a dataset.

A weights file (docs/method.md, "Weights") gives new relative weights to some dimensions and
indicators; the ones it does not list keep the model's weight:

    name: Treaties count double
    dimensions: {treaties: 2}
    indicators: {mlat: 0.5}

A file for `harmon sensitivity --weights-from` may instead hold `schemes:`, a list of those.
Problems are reported like those of the data, as `WeightsInvalid` (a `DatasetInvalid`): each
names file and line.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from harmon.errors import Problem, WeightsInvalid
from harmon.data.loading import Dataset, as_path, validate_document
from harmon.data.schema import ScoringModel, WeightScheme, WeightSchemesFile
from harmon.data.yamlio import Document, YamlProblem, read_yaml
from harmon.suggest import did_you_mean


def load_weights(path: Path | str, model: ScoringModel) -> WeightScheme:
    """Read the one weighting scheme in `path`, checked against `model`; return it.

    Raises `WeightsInvalid` naming file and line when the file is unreadable, malformed, names a
    dimension or indicator the model lacks, or holds a list of schemes.
    """
    return _one_scheme(_read(as_path(path, "path")), model)


def load_weight_schemes(path: Path | str, model: ScoringModel) -> tuple[WeightScheme, ...]:
    """Read the schemes in `path` (a `schemes:` list, or one scheme), checked against `model`."""
    doc = _read(as_path(path, "path"))
    if not (isinstance(doc.data, dict) and "schemes" in doc.data):
        return (_one_scheme(doc, model),)
    listed, problems = validate_document(doc, WeightSchemesFile)
    if listed is None:
        raise WeightsInvalid(problems)
    _raise_unknown_ids(doc, [(("schemes", k), s) for k, s in enumerate(listed.schemes)], model)
    return tuple(listed.schemes)


def reweighted_model(model: ScoringModel, scheme: WeightScheme) -> ScoringModel:
    """`model` with the weights of `scheme` in place of its own."""
    dimensions = [
        d.model_copy(update={
            "weight": scheme.dimensions.get(d.id, d.weight),
            "indicators": [i.model_copy(update={"weight": scheme.indicators.get(i.id, i.weight)}) for i in d.indicators],
        })
        for d in model.dimensions
    ]
    return model.model_copy(update={"dimensions": dimensions})


def apply_weights(dataset: Dataset, path: Path | str) -> Dataset:
    """`dataset` scored with the weighting scheme in the file `path` instead of the model's
    weights; its `weights` records the scheme's name, file and hash for provenance."""
    doc = _read(as_path(path, "path"))
    scheme = _one_scheme(doc, dataset.model)
    digest = hashlib.sha256(doc.source).hexdigest()[:12]  # of the bytes parsed, not a second read
    return dataclasses.replace(
        dataset,
        model=reweighted_model(dataset.model, scheme),
        weights={"name": scheme.name, "file": doc.path.name, "sha256": digest},
    )


def _one_scheme(doc: Document, model: ScoringModel) -> WeightScheme:
    if isinstance(doc.data, dict) and "schemes" in doc.data:
        raise WeightsInvalid([Problem(doc.path, doc.line_of(("schemes",)),
                                      "this file lists several schemes; a weights file for one scoring holds one")])
    scheme, problems = validate_document(doc, WeightScheme)
    if scheme is None:
        raise WeightsInvalid(problems)
    _raise_unknown_ids(doc, [((), scheme)], model)
    return scheme


def _read(path: Path) -> Document:
    try:
        return read_yaml(path)
    except YamlProblem as exc:
        raise WeightsInvalid([exc.problem]) from None


def _raise_unknown_ids(doc: Document, schemes: list[tuple[tuple, WeightScheme]], model: ScoringModel) -> None:
    known = {"dimensions": [d.id for d in model.dimensions], "indicators": list(model.indicators)}
    problems = []
    for loc, scheme in schemes:
        for part, ids in (("dimensions", scheme.dimensions), ("indicators", scheme.indicators)):
            for key in ids:
                if key not in known[part]:
                    hint = did_you_mean(key, known[part])
                    problems.append(Problem(doc.path, doc.line_of(loc + (part, key)),
                                            f"unknown {part[:-1]} {key!r}: not in the scoring model{hint}"))
    if problems:
        raise WeightsInvalid(problems)
