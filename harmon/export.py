"""Country-year panels for papers: the three shapes as DataFrames, their provenance, and writers.

Nothing here prints. `build_export` scores the years asked for and returns an `Export` (the
frame of one shape plus its provenance); `write_export` writes it to a file atomically (a
temporary file in the target folder, then a rename) in one of `FORMATS`; `write_datapackage`
writes a Frictionless data package folder with all three shapes. Problems with the output
(it exists, it cannot be written, an optional library is missing) raise `ExportError`, an
`InvalidOption`, which the CLI shows as one line with exit code 2.

Shapes (docs/method.md gives the formulas):

- `wide`: one row per state-year: iso3, country, year, member, each indicator score s (0-1),
  each dimension score D (0-100), index (0-100), coverage (0-1), rank.
- `long`: one row per state-year-indicator: iso3, country, year, dimension, indicator, status
  (as recorded: the event's year for an event recorded with one, else the recorded level),
  score, source (reference keys, `;`-separated).
- `region`: one row per year: year, members, mean, dispersion, dyadic_harmonization,
  `mean_<dimension>` for each dimension, `cv` (sigma-convergence) and `adoption_<indicator>`.

Floats are rounded to `DECIMALS` places in every shape, so that every format carries the same
numbers and text formats are byte-identical for the same data and options.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, BinaryIO, Callable

import numpy as np
import pandas as pd

from harmon import __version__
from harmon.errors import InvalidOption, install_hint
from harmon.loading import Dataset
from harmon.render import DECIMALS, is_missing
from harmon.scoring import Panel, dimension_means, score_panel

SHAPES = ("wide", "long", "region")
TEXT_FORMATS = ("csv", "tsv", "json", "md", "tex")
BINARY_FORMATS = ("xlsx", "dta", "parquet")
FORMATS = TEXT_FORMATS + BINARY_FORMATS
DATAPACKAGE = "datapackage"
EXTENSIONS = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".md": "md", ".markdown": "md",
    ".tex": "tex", ".xlsx": "xlsx", ".dta": "dta", ".parquet": "parquet", ".pq": "parquet",
}
# Characters that make a spreadsheet run a text cell as a formula (OWASP "CSV injection"), and
# what is put in front of such a cell to make it plain text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
STATA_LABEL_MAX = 80
PRIMARY_KEYS = {"wide": ["iso3", "year"], "long": ["iso3", "year", "indicator"], "region": ["year"]}
DATA_LICENSE = {"name": "MIT", "path": "https://opensource.org/licenses/MIT", "title": "MIT License"}


# --- errors ------------------------------------------------------------------------------------


class ExportError(InvalidOption):
    """The export cannot be written as asked (the CLI: one line, exit code 2)."""


class OutputExists(ExportError):
    """The output exists and replacing it was not asked for."""


class OutputNotWritable(ExportError):
    """The output cannot be created: no such folder, no permission, not a folder, disk full."""


class MissingExtra(ExportError):
    """A format needs an optional library that is not installed."""


# --- what is exported --------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One variable of an exported shape, as the codebook, Stata labels and datapackage.json
    describe it. `type` is a Frictionless field type: string, integer, number or boolean."""

    name: str
    type: str
    label: str
    description: str
    values: str
    rule: str
    source: str


@dataclass(frozen=True)
class Export:
    """One shape of a scored panel, ready to write: `frame`, its `columns` and `provenance`."""

    shape: str
    frame: pd.DataFrame
    columns: tuple[Column, ...]
    provenance: dict[str, Any] = field(default_factory=dict)


def check_shape(shape: str) -> str:
    if shape not in SHAPES:
        raise InvalidOption(f"unknown shape {shape!r}; expected one of: {', '.join(SHAPES)}")
    return shape


def format_for(output: str | Path, explicit: str | None = None) -> str:
    """The format to write: `explicit` if given, else the one the output's extension names."""
    if explicit is not None:
        if explicit not in FORMATS + (DATAPACKAGE,):
            raise InvalidOption(f"unknown format {explicit!r}; expected one of: {', '.join(FORMATS + (DATAPACKAGE,))}")
        return explicit
    suffix = Path(str(output)).suffix.lower()
    if suffix not in EXTENSIONS:
        raise InvalidOption(
            f"cannot tell the format of {str(output)!r} from its extension; give --format "
            f"({', '.join(FORMATS + (DATAPACKAGE,))})"
        )
    return EXTENSIONS[suffix]


def provenance(
    dataset: Dataset, first: int, last: int, missing: str, shape: str, raw: bool = False,
    aggregation: str = "arithmetic",
) -> dict[str, Any]:
    """What produced an export: harmon's version, the dataset's version and the options.

    No date and no path: the same data and options give the same provenance, byte for byte.
    """
    model = dataset.model
    return {
        "harmon_version": __version__,
        "dataset": dataset.region.name,
        "dataset_version": dataset.version,
        "model": model.name,
        "model_version": model.version,
        "shape": shape,
        "from": first,
        "to": last,
        "missing": missing,
        "aggregation": aggregation,
        # An alternative weighting scheme (--weights FILE) by name and file hash; "model": none.
        "weights": dataset.weights_label,
        "raw": raw,
    }


def provenance_line(meta: dict[str, Any]) -> str:
    """The provenance as one `key=value; ...` line (for comments and Stata notes)."""
    return "; ".join(f"{k}={_plain(v)}" for k, v in meta.items())


def build_export(
    dataset: Dataset, shape: str = "wide", first: int | None = None, last: int | None = None,
    missing: str = "reweight", raw: bool = False, panel: Panel | None = None, aggregation: str = "arithmetic",
) -> Export:
    """Score `first`-`last` (default: the data's period) and return the `shape` asked for (with
    `panel`, use that scoring instead)."""
    check_shape(shape)
    first, last = dataset.check_period(first, last)
    if panel is None:
        panel = score_panel(dataset, range(first, last + 1), missing, aggregation)
    builders = {"wide": wide_frame, "long": long_frame, "region": region_frame}
    frame = builders[shape](panel, dataset)
    meta = provenance(dataset, first, last, panel.missing, shape, raw, panel.aggregation)
    return Export(shape, frame, tuple(columns(dataset, shape)), meta)


def wide_frame(panel: Panel, dataset: Dataset) -> pd.DataFrame:
    """One row per state-year (states in the dataset's order, then years)."""
    frame = panel.countries.reset_index()
    order = ["iso3", "country", "year", "member", *panel.indicators, *panel.dimensions, "index", "coverage", "rank"]
    return _tidy(frame[order])


def long_frame(panel: Panel, dataset: Dataset) -> pd.DataFrame:
    """One row per state-year-indicator, indicators in model order."""
    model = dataset.model
    indicators = list(panel.indicators)
    dimension_of = model.dimension_of()
    # What each state records on each indicator: the same in every year, so built once per state.
    status = np.full((len(dataset.countries), len(indicators)), None, dtype=object)
    source = status.copy()
    for c, country in enumerate(dataset.countries):
        for k, indicator_id in enumerate(indicators):
            fact = country.facts.get(indicator_id)
            if fact is not None:
                status[c, k] = _recorded_status(model, indicator_id, fact)
                source[c, k] = ";".join(fact.source)
    # The wide frame's rows are (state, year) in dataset order: read row by row, its indicator
    # columns are already in state-year-indicator order, so no sort is needed.
    wide = panel.countries
    per_row, years = len(indicators), len(panel.years)

    def text(values: np.ndarray) -> pd.Series:
        return pd.Series(values, dtype=object)

    frame = pd.DataFrame(
        {
            "iso3": text(np.repeat(wide.index.get_level_values("iso3").to_numpy(dtype=object), per_row)),
            "country": text(np.repeat(wide["country"].to_numpy(dtype=object), per_row)),
            "year": np.repeat(wide.index.get_level_values("year").to_numpy(), per_row),
            "dimension": text(np.tile(np.array([dimension_of[i] for i in indicators], dtype=object), len(wide))),
            "indicator": text(np.tile(np.array(indicators, dtype=object), len(wide))),
            "status": text(np.repeat(status, years, axis=0).ravel()),
            "score": wide[indicators].to_numpy(dtype=float).ravel(),
            "source": text(np.repeat(source, years, axis=0).ravel()),
        }
    )
    return _tidy(frame)


def region_frame(panel: Panel, dataset: Dataset) -> pd.DataFrame:
    """One row per year: the regional figures, the mean of each dimension over the member states,
    sigma-convergence (`cv`) and each indicator's adoption share (docs/method.md)."""
    region = panel.region.reset_index()
    countries = panel.countries.reset_index()
    years = region["year"]
    out = region[["year", "members", "mean", "dispersion", "dyadic_harmonization"]].copy()
    means = dimension_means(panel)
    for d in panel.dimensions:
        out[f"mean_{d}"] = years.map(means[d]).astype(float)
    out["cv"] = [sigma_convergence(m, s) for m, s in zip(region["mean"], region["dispersion"])]
    scored = panel.scored.reset_index()[countries["member"].to_numpy()]
    for i in panel.indicators:
        shares = scored[i].groupby(scored["year"]).apply(adoption_share)
        out[f"adoption_{i}"] = years.map(shares).astype(float)
    return _tidy(out)


def sigma_convergence(mean: float, dispersion: float) -> float:
    """The coefficient of variation dispersion / mean of one year's indices; NaN (undefined)
    when the mean is 0 or unknown. Never divides by zero."""
    if mean is None or dispersion is None or pd.isna(mean) or pd.isna(dispersion) or mean == 0:
        return float("nan")
    return float(dispersion) / float(mean)


def adoption_share(scores: pd.Series) -> float:
    """The share of the member states observed on an indicator whose score is 1 (the provision in
    full); NaN when none is observed. A limited provision (0.5) is not adoption."""
    observed = scores.dropna()
    if observed.empty:
        return float("nan")
    return float((observed == 1).sum() / observed.size)


def columns(dataset: Dataset, shape: str) -> list[Column]:
    """Every column of `shape`, in order, with its meaning, values, rule and source."""
    check_shape(shape)
    model = dataset.model
    dims = {d.id: d for d in model.dimensions}
    indicators = model.indicators
    effective = model.effective_weights()
    computed = "computed by harmon from the indicator scores (docs/method.md)"
    members_source = _cite_keys(dataset, sorted({k for c in dataset.countries for k in c.membership_source}))
    country_files = "the dataset's country files (countries/*.yaml)"
    iso3 = Column("iso3", "string", "ISO 3166-1 alpha-3 code of the state", "ISO 3166-1 alpha-3 code of the state.",
                  ", ".join(sorted(c.iso3 for c in dataset.countries)), "as recorded", country_files)
    country = Column("country", "string", "State name", "Name of the state.",
                     "; ".join(c.country for c in dataset.countries), "as recorded", country_files)
    year = Column("year", "integer", "Year", "Calendar year.",
                  f"{dataset.first_year}-{dataset.last_year}", "the state of things in that year", "-")
    member = Column("member", "boolean", f"Member of {dataset.region.name} in this year",
                    f"Whether the state was a member of {dataset.region.name} in this year (year >= year of admission).",
                    "true, false", "year >= member_since", members_source)

    def indicator_column(i: str, name: str | None = None) -> Column:
        ind = indicators[i]
        levels = model.level_scores(ind)
        values = ", ".join(f"{s} -> {'missing' if v is None else f'{v:g}'}" for s, v in levels.items())
        if ind.kind == "event":
            rule = ("event: scores its level from the year it happened (or was observed) on; 0 in earlier years; "
                    "missing where not recorded")
        else:
            rule = ("status: scores its level from the year it began, else from the year it was observed; "
                    "missing before that unless the sources imply absence (absent_before); missing where not recorded")
        sources = sorted({k for c in dataset.countries if i in c.facts for k in c.facts[i].source})
        return Column(
            name or i, "number", _label(f"{ind.label} (score 0-1)"),
            f"{ind.label}: indicator score s in [0, 1] (dimension {dims[model.dimension_of()[i]].label}; "
            f"effective weight in the index {effective[i]:.4f})." + (f" {ind.description}" if ind.description else ""),
            f"0-1 (levels: {values}); empty = missing", rule, _cite_keys(dataset, sources),
        )

    def dimension_column(d: str, name: str | None = None, what: str = "") -> Column:
        dim = dims[d]
        parts = ", ".join(i.id for i in dim.indicators)
        return Column(
            name or d, "number", _label(f"{dim.label}: {what or 'dimension score'} (0-100)"),
            f"{dim.label}: {what or 'dimension score D'}, 0-100: 100 x the weighted mean of its indicator scores ({parts}).",
            "0-100; empty = no indicator of the dimension observed", "weighted mean of indicator scores x 100; "
            "--missing reweight averages the observed ones, zero counts missing as 0, backfill carries a fact's "
            "level back to the years before it was observed", computed,
        )

    if shape == "wide":
        return [
            iso3, country, year, member,
            *(indicator_column(i) for i in indicators),
            *(dimension_column(d) for d in dims),
            Column("index", "number", "Legal-harmonization index (0-100)",
                   "The index: the weighted mean of the dimension scores, 0-100.", "0-100; empty = nothing observed",
                   "weighted arithmetic mean of dimension scores (dimension weights); with --aggregation geometric, "
                   "their weighted geometric mean, each floored at 1 point", computed),
            Column("coverage", "number", "Coverage: share of the index's weight observed (0-1)",
                   "Share of the index's effective weight whose indicator scores are observed (not missing).", "0-1",
                   "sum of effective weights of observed indicators", computed),
            Column("rank", "integer", "Rank among member states (1 = highest index)",
                   "Competition rank of the index among the member states in that year; ties share the lower number.",
                   "1-number of members; empty for non-members", "rank by index, descending, method min", computed),
        ]
    if shape == "long":
        return [
            iso3, country, year,
            Column("dimension", "string", "Dimension of the indicator", "Id of the dimension the indicator belongs to.",
                   ", ".join(dims), "from the scoring model", "indicators/model.yaml"),
            Column("indicator", "string", "Indicator", "Id of the indicator.", ", ".join(indicators),
                   "from the scoring model", "indicators/model.yaml"),
            Column("status", "string", "Recorded status (level, or the event's year)",
                   "What the dataset records for this state and indicator: for an event recorded with its year, that "
                   "year; otherwise the recorded level. The same in every year; empty where nothing is recorded.",
                   "a level of the indicator, or a year; empty = not recorded", "as recorded", country_files),
            Column("score", "number", "Indicator score in this year (0-1)", "The indicator score s(c,i,t) in this year.",
                   "0-1; empty = missing", "see the indicator's rule in the codebook", computed),
            Column("source", "string", "Reference keys of the fact (references.yaml)",
                   "Keys in references.yaml of the sources the fact is coded from, separated by ';'.",
                   ", ".join(dataset.references.references), "as recorded", "references.yaml"),
        ]
    return [
        year,
        Column("members", "integer", "Number of member states", "Number of member states in this year.",
               "count", "states with member = true", members_source),
        Column("mean", "number", "Mean index of the member states (0-100)",
               "Mean of the member states' indices (members with no index left out).", "0-100", "arithmetic mean", computed),
        Column("dispersion", "number", "Dispersion: population s.d. of the members' indices",
               "Population standard deviation of the member states' indices.", ">= 0", "standard deviation, ddof = 0", computed),
        Column("dyadic_harmonization", "number", "Dyadic harmonization (0-100)",
               "Weighted mean over indicators of the mean over pairs of member states of min(s_a, s_b), x 100.",
               "0-100", "docs/method.md, dyadic harmonization", computed),
        *(dimension_column(d, f"mean_{d}", "regional mean of the dimension score over member states") for d in dims),
        Column("cv", "number", "Sigma-convergence: coefficient of variation of indices",
               "Sigma-convergence: dispersion / mean of the member states' indices; empty (undefined) when the mean is 0.",
               ">= 0; empty = undefined (mean 0)", "dispersion / mean (docs/method.md)", computed),
        *(
            Column(f"adoption_{i}", "number", _label(f"Adoption share: {indicators[i].label}"),
                   f"Share of the member states observed on {i} whose score is 1 (the provision in full).",
                   "0-1; empty = no member state observed",
                   "count(s = 1) / count(observed); --missing zero counts missing as not adopted "
                   "(docs/method.md)", computed)
            for i in indicators
        ),
    ]


# --- formats -----------------------------------------------------------------------------------


def encode_text(export: Export, fmt: str, raw: bool = False, comment: bool = True) -> str:
    """The export as text in `fmt` (csv, tsv, json, md, tex); deterministic for the same input."""
    if fmt in ("csv", "tsv"):
        frame = export.frame if raw else neutralise(export.frame)
        body = frame.to_csv(index=False, sep="," if fmt == "csv" else "\t", float_format=f"%.{DECIMALS}f",
                            lineterminator="\n")
        head = f"# {provenance_line(export.provenance)}\n" if comment else ""
        return head + body
    if fmt == "json":
        doc = {
            "metadata": export.provenance,
            "fields": [{"name": c.name, "type": c.type, "description": c.description} for c in export.columns],
            "data": [{k: _json_value(v) for k, v in row.items()} for row in export.frame.to_dict(orient="records")],
        }
        return json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    if fmt == "md":
        return _markdown(export)
    if fmt == "tex":
        return _latex(export)
    raise InvalidOption(f"{fmt} is not a text format")


def write_stream(export: Export, fmt: str, stream: BinaryIO, raw: bool = False) -> None:
    """Write the export in `fmt` to the binary `stream`."""
    if fmt in TEXT_FORMATS:
        stream.write(encode_text(export, fmt, raw).encode("utf-8"))
    elif fmt == "xlsx":
        _write_xlsx(export, stream, raw)
    elif fmt == "dta":
        _write_dta(export, stream)
    elif fmt == "parquet":
        _write_parquet(export, stream)
    else:
        raise InvalidOption(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")


def write_export(export: Export, output: str | Path, fmt: str, force: bool = False, raw: bool = False) -> Path:
    """Write the export to the file `output` atomically; return its path."""
    if fmt in BINARY_FORMATS:
        _require(fmt)  # fail before touching the disk
    return atomic_write(Path(output), lambda stream: write_stream(export, fmt, stream, raw), force)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells that start with = + - @ (or a tab or carriage return)
    have an apostrophe put in front, so that a spreadsheet shows them instead of running them."""
    out = frame.copy()
    for name in out.columns:
        if _is_text(out[name]):
            # Each distinct value once: a long panel repeats a few hundred texts millions of times.
            codes, uniques = pd.factorize(out[name], use_na_sentinel=True)
            fixed = np.array(
                [None] + [NEUTRALISER + v if isinstance(v, str) and v.startswith(FORMULA_TRIGGERS) else v for v in uniques],
                dtype=object,
            )
            out[name] = pd.Series(fixed[codes + 1], index=out.index, dtype=object)
    return out


def atomic_write(path: Path, write: Callable[[BinaryIO], None], force: bool = False) -> Path:
    """Create `path` through a temporary file in its folder, renamed over it once complete.

    On any failure the temporary file is removed and `path` is untouched. An existing `path` is
    replaced only with `force`.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputNotWritable(f"cannot write {path}: it is a folder")
    if path.exists() and not force:
        raise OutputExists(f"{path} exists; use --force to replace it")
    # Why `deferred`: a signal (Ctrl-C, or SIGTERM, which `harmon.cli.main` turns into an
    # exception) must not land between creating the temporary file and noting that it exists,
    # nor cut its removal short; it is acted on right after instead.
    from harmon.interrupts import deferred

    temp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    created = False
    try:
        with deferred():
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            created = True
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())  # on some file systems a full disk shows only here
        os.replace(temp, path)
    except BaseException as exc:
        if created:
            with deferred():
                try:
                    os.unlink(temp)
                except OSError:
                    pass
        if isinstance(exc, OSError):
            raise OutputNotWritable(f"cannot write {path}: {_why(exc)}") from None
        raise
    return path


def write_datapackage(
    dataset: Dataset, output: str | Path, first: int | None = None, last: int | None = None,
    missing: str = "reweight", force: bool = False, aggregation: str = "arithmetic",
) -> Path:
    """Write a Frictionless data package folder: wide.csv, long.csv, region.csv and
    datapackage.json (field types and descriptions, sources, licence, versions). Atomic: the
    folder is built beside the target and renamed into place."""
    first, last = dataset.check_period(first, last)
    target = Path(output)
    if target.exists() and not force:
        raise OutputExists(f"{target} exists; use --force to replace it")
    panel = score_panel(dataset, range(first, last + 1), missing, aggregation)
    exports = [build_export(dataset, shape, first, last, missing, panel=panel) for shape in SHAPES]
    from harmon.interrupts import deferred  # see atomic_write

    temp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
    created = False
    aside = None
    try:
        with deferred():
            temp.mkdir()
            created = True
        for export in exports:
            (temp / f"{export.shape}.csv").write_text(encode_text(export, "csv", raw=True, comment=False), encoding="utf-8")
        descriptor = datapackage_descriptor(dataset, exports)
        (temp / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        with deferred():  # the swap: both renames or, on failure, the old folder back
            if target.exists() or target.is_symlink():
                aside = target.parent / f".{target.name}.{secrets.token_hex(4)}.old"
                os.replace(target, aside)
            os.replace(temp, target)
    except BaseException as exc:
        with deferred():
            if created:
                shutil.rmtree(temp, ignore_errors=True)
            if aside is not None and not target.exists():
                try:
                    os.replace(aside, target)
                    aside = None
                except OSError:  # pragma: no cover - the rename just made failed the other way
                    pass
        if isinstance(exc, OSError):
            raise OutputNotWritable(f"cannot write {target}: {_why(exc)}") from None
        raise
    finally:
        if aside is not None:
            with deferred():
                shutil.rmtree(aside, ignore_errors=True) if aside.is_dir() else aside.unlink(missing_ok=True)
    return target


def datapackage_descriptor(dataset: Dataset, exports: list[Export]) -> dict[str, Any]:
    """datapackage.json for the three shapes (Frictionless Tabular Data Package)."""
    meta = dict(exports[0].provenance)
    meta.pop("shape", None)
    meta.pop("raw", None)
    region = dataset.region
    titles = {
        "wide": "One row per state-year: indicator and dimension scores, index, coverage, rank",
        "long": "One row per state-year-indicator: recorded status, score and source",
        "region": "One row per year: regional mean, dispersion, dyadic harmonization, dimension means, "
                  "sigma-convergence and adoption shares",
    }
    return {
        "profile": "tabular-data-package",
        "name": _slug(f"harmon-{region.name}-panel"),
        "title": f"{region.title or region.name}: legal-harmonization panel, {meta['from']}-{meta['to']}",
        "description": (
            f"Country-year legal-harmonization scores for {region.name} computed by harmon {__version__} "
            f"from dataset version {dataset.version} (scoring model {dataset.model.name}, version "
            f"{dataset.model.version}; missing data: {meta['missing']}; aggregation: {meta['aggregation']}; weights: "
            f"{meta['weights']}). Each number is traced to its source in "
            "the long resource's `source` column (keys of references.yaml)."
        ),
        "version": dataset.version,
        "licenses": [DATA_LICENSE],
        "sources": [{"title": cite_document(dataset, key)} for key in dataset.references.documents],
        "contributors": [{"title": "harmon developers", "role": "author"}],
        "harmon": meta,
        "resources": [
            {
                "name": e.shape,
                "path": f"{e.shape}.csv",
                "profile": "tabular-data-resource",
                "title": titles[e.shape],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": c.name, "type": c.type, "title": c.label, "description": c.description}
                        for c in e.columns
                    ],
                    "primaryKey": PRIMARY_KEYS[e.shape],
                    "missingValues": [""],
                },
            }
            for e in exports
        ],
    }


def cite_document(dataset: Dataset, key: str) -> str:
    """A document of references.yaml as one citation line."""
    doc = dataset.references.documents[key]
    parts = [f"{doc.author} ({doc.year if doc.year is not None else 'n.d.'}). {doc.title}."]
    if doc.publisher:
        parts.append(f"{doc.publisher}.")
    return " ".join(parts)


def cite_reference(dataset: Dataset, key: str) -> str:
    """A reference key as `key (Author year, locator)`."""
    ref = dataset.references.references[key]
    doc = dataset.references.documents[ref.document]
    return f"{key} ({doc.author} {doc.year if doc.year is not None else 'n.d.'}, {ref.locator})"


# --- helpers -----------------------------------------------------------------------------------

_EXTRAS = {"xlsx": ("openpyxl", "excel"), "parquet": ("pyarrow", "parquet")}


def _require(fmt: str) -> Any:
    if fmt not in _EXTRAS:
        return None
    module, extra = _EXTRAS[fmt]
    try:
        return import_module(module)
    except ImportError:
        raise MissingExtra(f"writing {fmt} needs {module}: {install_hint(extra)}") from None


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Round floats to DECIMALS; make text columns plain objects with None for missing."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_float_dtype(column):
            out[name] = column.round(DECIMALS)
        elif _is_text(column):
            values = column.to_numpy(dtype=object, copy=True)
            values[pd.isna(values)] = None
            if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
                values = np.array([None if v is None else str(v) for v in values], dtype=object)
            out[name] = pd.Series(values, index=out.index, dtype=object)
    return out


def _is_text(column: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)


def _recorded_status(model: Any, indicator_id: str, fact: Any) -> str:
    indicator = model.indicators[indicator_id]
    score = model.level_scores(indicator).get(fact.status)
    if indicator.kind == "event" and fact.year is not None and score is not None and score > 0:
        return str(fact.year)
    return fact.status


def _cite_keys(dataset: Dataset, keys: list[str]) -> str:
    return "; ".join(cite_reference(dataset, k) for k in keys) or "-"


def _label(text: str) -> str:
    return text if len(text) <= STATA_LABEL_MAX else text[: STATA_LABEL_MAX - 3] + "..."


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-._" else "-" for ch in text.lower())


def _plain(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    if value is None:
        return "none"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _json_value(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    return None if is_missing(value) else value


def _text_cell(value: Any) -> str:
    if is_missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        return f"{value:.{DECIMALS}f}"
    return str(value)


def _markdown(export: Export) -> str:
    frame = export.frame

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    header = "| " + " | ".join(esc(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if c.type in ("number", "integer") else "---" for c in export.columns) + "|"
    body = ["| " + " | ".join(esc(_text_cell(v)) for v in row) + " |" for row in frame.itertuples(index=False)]
    comment = f"<!-- {provenance_line(export.provenance).replace('--', '- -')} -->"
    return "\n".join([comment, "", header, rule, *body]) + "\n"


_TEX_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                 "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex_escape(text: str) -> str:
    return "".join(_TEX_SPECIALS.get(ch, ch) for ch in text)


def _latex(export: Export) -> str:
    frame = export.frame
    align = "".join("r" if c.type in ("number", "integer") else "l" for c in export.columns)
    lines = [
        f"% {provenance_line(export.provenance)}",
        "% Needs \\usepackage{booktabs}; \\input this file inside a table environment.",
        f"\\begin{{tabular}}{{{align}}}",
        "\\toprule",
        " & ".join(_tex_escape(c) for c in frame.columns) + " \\\\",
        "\\midrule",
        *(" & ".join(_tex_escape(_text_cell(v)) for v in row) + " \\\\" for row in frame.itertuples(index=False)),
        "\\bottomrule",
        "\\end{tabular}",
    ]
    return "\n".join(lines) + "\n"


def _write_xlsx(export: Export, stream: BinaryIO, raw: bool) -> None:
    _require("xlsx")
    frame = export.frame if raw else neutralise(export.frame)
    frame = frame.astype({"rank": "float64"}) if "rank" in frame.columns else frame
    meta = pd.DataFrame({"key": list(export.provenance), "value": [_plain(v) for v in export.provenance.values()]})
    variables = pd.DataFrame({"variable": [c.name for c in export.columns], "label": [c.label for c in export.columns],
                              "description": [c.description for c in export.columns]})
    with pd.ExcelWriter(stream, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=export.shape, index=False)
        variables.to_excel(writer, sheet_name="variables", index=False)
        meta.to_excel(writer, sheet_name="provenance", index=False)


class _NotesWriter:
    """Makes a pandas Stata 118 writer that also writes `_dta` notes (characteristics)."""

    @staticmethod
    def make(notes: list[str]) -> type:
        from pandas.io.stata import StataWriterUTF8

        class Writer(StataWriterUTF8):
            def _write_characteristics(self) -> None:  # noqa: D401 - pandas hook
                self._update_map("characteristics")
                order = self._byteorder
                chars = [("_dta", "note0", str(len(notes)))] + [("_dta", f"note{k}", n) for k, n in enumerate(notes, 1)]
                parts = []
                for var, name, text in chars:
                    payload = var.encode().ljust(129, b"\0") + name.encode().ljust(129, b"\0") + text.encode("utf-8") + b"\0"
                    parts.append(b"<ch>" + int(len(payload)).to_bytes(4, "little" if order == "<" else "big") + payload + b"</ch>")
                self._write_bytes(b"<characteristics>" + b"".join(parts) + b"</characteristics>")

        return Writer


def stata_notes(export: Export) -> list[str]:
    """The notes a Stata file carries: provenance and how to cite."""
    return [
        f"harmon export: {provenance_line(export.provenance)}",
        "Variables are documented by `harmon codebook`; formulas in harmon's docs/method.md.",
    ]


def _write_dta(export: Export, stream: BinaryIO) -> None:
    frame = export.frame.copy()
    for name in frame.columns:
        if _is_text(frame[name]):
            frame[name] = frame[name].map(lambda v: "" if v is None else v).astype(object)
        elif pd.api.types.is_bool_dtype(frame[name]):
            frame[name] = frame[name].astype("int8")
        elif str(frame[name].dtype) == "Int64":
            frame[name] = frame[name].astype("float64")
    meta = export.provenance
    data_label = _label(f"harmon {meta['harmon_version']} {meta['dataset']} {meta['shape']} {meta['from']}-{meta['to']}"
                        f" data {meta['dataset_version']} missing {meta['missing']} {meta['aggregation']}")
    writer_class = _NotesWriter.make(stata_notes(export))
    writer = writer_class(
        stream, frame, write_index=False, version=118, data_label=data_label,
        variable_labels={c.name: c.label for c in export.columns},
    )
    writer.write_file()


def _write_parquet(export: Export, stream: BinaryIO) -> None:
    pa = _require("parquet")
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(export.frame, preserve_index=False)
    labels = {c.name: c for c in export.columns}
    fields = [f.with_metadata({b"description": labels[f.name].description.encode()}) for f in table.schema]
    schema = pa.schema(fields, metadata={**(table.schema.metadata or {}), b"harmon": json.dumps(export.provenance).encode()})
    pq.write_table(table.cast(schema), stream)


__all__ = [
    "SHAPES", "FORMATS", "TEXT_FORMATS", "BINARY_FORMATS", "DATAPACKAGE", "Column", "Export", "ExportError",
    "OutputExists", "OutputNotWritable", "MissingExtra", "build_export", "wide_frame", "long_frame", "region_frame",
    "sigma_convergence", "adoption_share", "columns", "encode_text", "write_stream", "write_export",
    "write_datapackage", "datapackage_descriptor", "atomic_write", "neutralise", "provenance", "format_for",
]
