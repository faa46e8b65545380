"""`harmon export` and `harmon codebook`: every format read back by its own reader, provenance,
determinism, atomic writes, formula neutralisation and the convergence measures."""

from __future__ import annotations

import io
import json
import math
import os
import statistics
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from harmon import __version__
from harmon.choices import FORMATS, SHAPES, TEXT_FORMATS
from harmon.cli import app
from harmon.core.region import adoption_shares, sigma_convergence
from harmon.core.scoring import score_panel, score_year
from harmon.errors import BadValue
from harmon.report import writers
from harmon.report.codebook import codebook_markdown
from harmon.report.shapes import Column, Export, build_export
from harmon.report.text import neutralise
from harmon.report.writers import encode_text, write_export

REPO = Path(__file__).resolve().parent.parent  # the shipped dataset, as in conftest.py

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [*args, "--data", str(REPO)] if args[0] in ("export", "codebook") else list(args))


@pytest.fixture(scope="module")
def panel(dataset):
    return score_panel(dataset, range(dataset.first_year, dataset.last_year + 1))


@pytest.fixture(scope="module")
def exports(dataset, panel):
    return {shape: build_export(dataset, shape, panel=panel) for shape in SHAPES}


# --- the shapes hold the engine's numbers ------------------------------------------------------


def test_wide_cells_match_score_year(dataset, exports):
    wide = exports["wide"].frame.set_index(["iso3", "year"])
    tha = score_year(dataset, 2011).countries.loc["THA"]
    row = wide.loc[("THA", 2011)]
    assert row["index"] == pytest.approx(round(tha["index"], 4)) == pytest.approx(62.5)
    assert (row["criminalization"], row["regional"], row["treaties"]) == (100, 50, 0)
    assert np.isnan(row["prosecutor_training"])
    assert row["rank"] == tha["rank"] and row["member"]
    assert list(exports["wide"].frame.columns) == [
        "iso3", "country", "year", "member", *dataset.model.indicators,
        *(d.id for d in dataset.model.dimensions), "index", "index_lo", "index_hi", "coverage", "rank", "rank_best",
        "rank_worst",
    ]
    assert (row["index_lo"], row["index_hi"], row["rank_best"], row["rank_worst"]) == (45.8333, 62.5, 4, 10)
    assert len(wide) == len(dataset.countries) * (dataset.last_year - dataset.first_year + 1)
    # Myanmar joined in 1997, Cambodia in 1999: not a member in 1998, so no rank.
    assert not wide.loc[("KHM", 1998), "member"] and pd.isna(wide.loc[("KHM", 1998), "rank"])


def test_long_rows_record_status_score_and_source(exports):
    long = exports["long"].frame.set_index(["iso3", "year", "indicator"])
    # Cambodia's law: an event of 2008 -> level "yes" since 2008 from 2008, 1; before it no status
    # holds (level and since empty: trial item 7), the score is 0 and the source says why.
    assert long.loc[("KHM", 2008, "trafficking_law"), ["level", "since"]].tolist() == ["yes", 2008]
    assert long.loc[("KHM", 2007, "trafficking_law"), "level"] is None
    assert pd.isna(long.loc[("KHM", 2007, "trafficking_law"), "since"])
    assert long.loc[("KHM", 2007, "trafficking_law"), "source"] == "lau2016-table1"
    assert long.loc[("KHM", 2007, "trafficking_law"), "member"] and not long.loc[("KHM", 1998, "trafficking_law"), "member"]
    assert long.loc[("KHM", 2007, "trafficking_law"), "score"] == 0
    assert long.loc[("KHM", 2008, "trafficking_law"), "score"] == 1
    assert long.loc[("KHM", 2008, "trafficking_law"), "source"] == "lau2016-table1"
    assert long.loc[("KHM", 2008, "trafficking_law"), "dimension"] == "criminalization"
    assert long.loc[("KHM", 2015, "un_definition"), "level"] == "unknown"
    assert pd.isna(long.loc[("KHM", 2015, "un_definition"), "since"])
    assert np.isnan(long.loc[("KHM", 2015, "un_definition"), "score"])
    assert long.loc[("KHM", 2015, "hsu_process"), "source"] == "lau2016-table3;lau2016-s4.2.3"


def test_region_convergence_by_hand(dataset, exports):
    region = exports["region"].frame.set_index("year")
    result = score_year(dataset, 2011)
    members = result.countries[result.countries["member"]]
    indices = list(members["index"])
    mean, sd = statistics.fmean(indices), statistics.pstdev(indices)
    assert region.loc[2011, "cv"] == pytest.approx(round(sd / mean, 4))
    mlat = members["mlat"].dropna()
    assert region.loc[2011, "adoption_mlat"] == pytest.approx((mlat == 1).sum() / len(mlat)) == pytest.approx(0.9)
    assert region.loc[2011, "mean_regional"] == pytest.approx(round(members["regional"].mean(), 4))
    # Before 2002 every member's index is 0: the mean is 0 and the CV is undefined, not infinite.
    assert region.loc[1997, "mean"] == 0 and np.isnan(region.loc[1997, "cv"])
    # Nobody observed: no adoption share.
    assert np.isnan(region.loc[2011, "adoption_prosecutor_training"])


def test_sigma_convergence_never_divides_by_zero():
    assert math.isnan(sigma_convergence(0.0, 0.0))
    assert math.isnan(sigma_convergence(0.0, 5.0))
    assert math.isnan(sigma_convergence(float("nan"), 1.0))
    assert sigma_convergence(50.0, 10.0) == pytest.approx(0.2)


def test_adoption_shares_by_hand():
    # Four states, three years, two indicators: s(c,t,i), NaN = not observed.
    nan = np.nan
    scores = np.array([
        [[1.0, nan], [1.0, 0.0], [1.0, 0.5]],   # A
        [[0.5, nan], [0.0, nan], [nan, 1.0]],   # B
        [[0.0, nan], [0.5, 1.0], [1.0, 1.0]],   # C: not a member in the last year
        [[nan, nan], [1.0, 1.0], [0.0, 0.0]],   # D
    ])
    member = np.array([[True, True, True], [True, True, True], [True, True, False], [True, True, True]])
    # Adoption (docs/method.md): any level above 0 by default, so the limited 0.5 counts.
    # Year 1: indicator 1 observed for A, B, C (D unknown): 1.0 and 0.5 adopted, 2/3; indicator 2
    # observed for nobody: no share. Year 2: indicator 1 all four, B's 0.0 not: 3/4; indicator 2
    # A (0.0), C, D: 2/3. Year 3 (C not a member): indicator 1 A, D observed (B unknown): 1/2;
    # indicator 2 A (0.5), B, D (0.0): 2/3.
    shares = adoption_shares(scores, member)
    assert shares.shape == (3, 2)
    assert shares[:, 0] == pytest.approx([2 / 3, 3 / 4, 1 / 2])
    assert np.isnan(shares[0, 1]) and shares[1:, 1] == pytest.approx([2 / 3, 2 / 3])
    # With the threshold at 1, only the full provision: year 1 1/3, year 2 2/4, year 3 1/2;
    # indicator 2: year 2 C and D of three, year 3 B only of three.
    full = adoption_shares(scores, member, 1)
    assert full[:, 0] == pytest.approx([1 / 3, 2 / 4, 1 / 2])
    assert np.isnan(full[0, 1]) and full[1:, 1] == pytest.approx([2 / 3, 1 / 3])
    assert adoption_shares(scores, member, 0.5)[:, 0] == pytest.approx([2 / 3, 3 / 4, 1 / 2])
    # No member at all in a year: no share, never a division by zero.
    assert np.isnan(adoption_shares(scores, np.zeros((4, 3), dtype=bool))).all()


def test_region_adoption_counts_as_the_paper_does(dataset):
    # Lau §4.2.2: "Five out of seven ASEAN countries which provide available information have
    # conducted special trainings for prosecutors and judges" (Table 2, 2015): yes in Cambodia,
    # the Philippines, Thailand and Viet Nam, limited in Indonesia, no in Brunei and Myanmar;
    # Lao PDR, Malaysia and Singapore unavailable.
    region = build_export(dataset, "region", 2015, 2015).frame
    assert region["adoption_prosecutor_training"].item() == pytest.approx(round(5 / 7, 4))
    full_only = build_export(dataset, "region", 2015, 2015, adopted_at=1).frame
    assert full_only["adoption_prosecutor_training"].item() == pytest.approx(round(4 / 7, 4))
    assert "adopted_at" not in build_export(dataset, "region", 2015, 2015).provenance


@pytest.mark.parametrize("bad", [0, -0.5, 1.5])
def test_adoption_threshold_out_of_range(dataset, bad):
    with pytest.raises(BadValue, match="adopted_at must be above 0 and at most 1"):
        build_export(dataset, "region", 2015, 2015, adopted_at=bad)


# --- every format read back with its own reader ------------------------------------------------


def _read(path: Path, fmt: str, export: Export) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(path)  # a plain table: no options needed
    if fmt == "tsv":
        return pd.read_csv(path, sep="\t")
    if fmt == "json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        return pd.read_json(io.StringIO(json.dumps(doc["data"])), orient="records", dtype=False)
    if fmt == "xlsx":
        return pd.read_excel(path, sheet_name=export.shape)
    if fmt == "dta":
        return pd.read_stata(path)
    if fmt == "parquet":
        return pd.read_parquet(path)
    raise AssertionError(f"no reader for {fmt}")


def _assert_same_values(read: pd.DataFrame, export: Export) -> None:
    expected = export.frame
    assert list(read.columns) == list(expected.columns)
    assert len(read) == len(expected)
    for column in export.columns:
        got, want = read[column.name], expected[column.name]
        if column.type == "string":
            norm = lambda s: ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in s]  # noqa: E731
            assert norm(got) == norm(want), column.name
        else:
            mapped = got.map(lambda v: {"yes": 1, "no": 0, "True": 1, "False": 0, "": np.nan}.get(v, v) if isinstance(v, str) else v)
            got_f = pd.to_numeric(mapped).astype(float).to_numpy()
            want_f = want.astype("float64").to_numpy()
            np.testing.assert_allclose(got_f, want_f, rtol=0, atol=1e-9, equal_nan=True, err_msg=column.name)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in ("md", "tex")])  # paper tables: tests/test_paper.py
def test_round_trip(tmp_path, exports, fmt, shape):
    export = exports[shape]
    path = write_export(export, tmp_path / f"{shape}.{fmt}", fmt)
    _assert_same_values(_read(path, fmt, export), export)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_provenance_in_every_format(tmp_path, dataset, exports):
    export = exports["wide"]
    version = dataset.version
    for fmt in ("json", "md", "tex"):  # csv and tsv: in the descriptor beside the file
        text = encode_text(export, fmt)
        assert version in text and "harmon_version" in text and "missing" in text, fmt
    assert json.loads(encode_text(export, "json"))["metadata"]["dataset_version"] == version
    import pyarrow.parquet as pq

    meta = json.loads(pq.read_schema(write_export(export, tmp_path / "p.parquet", "parquet")).metadata[b"harmon"])
    assert meta == {**export.provenance}
    dta = write_export(export, tmp_path / "p.dta", "dta")
    with pd.io.stata.StataReader(dta) as reader:
        reader.read()
        assert version in reader.data_label and __version__ in reader.data_label
        assert reader.variable_labels()["index"] == "Legal-harmonization index (0-100)"
    raw = dta.read_bytes()
    chars = raw[raw.index(b"<characteristics>"): raw.index(b"</characteristics>")]
    assert b"note1\0" in chars and f"dataset_version={version}".encode() in chars
    xlsx = pd.read_excel(write_export(export, tmp_path / "p.xlsx", "xlsx"), sheet_name="provenance")
    assert dict(zip(xlsx["key"], xlsx["value"].astype(str)))["dataset_version"] == version


# --- CLI: deterministic bytes, overwrite, unwritable, interrupted ------------------------------


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_text_exports_are_byte_identical(tmp_path, fmt):
    for name in ("a", "b"):
        result = run("export", "--from", "2004", "--to", "2015", "-o", str(tmp_path / f"{name}.{fmt}"))
        assert result.exit_code == 0, result.output
    assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes()


def test_stdout_text_matches_file(tmp_path):
    result = run("export", "-o", "-", "--shape", "region", "-f", "csv")
    assert result.exit_code == 0
    run("export", "-o", str(tmp_path / "r.csv"), "--shape", "region")
    assert result.stdout == (tmp_path / "r.csv").read_text(encoding="utf-8")


def test_binary_to_terminal_is_refused(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("harmon.cli.commands.export.sys", types.SimpleNamespace(stdout=Terminal()))
    result = run("export", "-o", "-", "-f", "dta")
    assert result.exit_code == 2 and "binary format" in result.stderr


def test_overwrite_refused_then_forced(tmp_path):
    target = tmp_path / "panel.csv"
    target.write_text("keep me\n")
    result = run("export", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"harmon: {target} exists; use --force to replace it"
    assert target.read_text() == "keep me\n"
    result = run("export", "-o", str(target), "--force")
    assert result.exit_code == 0 and target.read_text().startswith("iso3,country,year,member,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["panel.csv", "panel.csv.resource.json"]


def test_unwritable_target_is_one_line_exit_2(tmp_path):
    if os.geteuid() == 0:  # root writes through chmod: use a path whose parent is a regular file
        (tmp_path / "file").write_text("")
        target = tmp_path / "file" / "panel.csv"
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        target = locked / "panel.csv"
    try:
        result = run("export", "-o", str(target))
    finally:
        if os.geteuid() != 0:
            (tmp_path / "locked").chmod(0o755)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"harmon: cannot write {target}: ")
    assert not target.exists()


@pytest.mark.parametrize("interrupt", [RuntimeError("disk gone"), KeyboardInterrupt()])
def test_interrupted_write_leaves_nothing(tmp_path, exports, monkeypatch, interrupt):
    def half_then_fail(export, fmt, stream, raw=False, progress=None):
        stream.write(b"iso3,country\nBRN,Bru")
        stream.flush()
        raise interrupt

    monkeypatch.setattr(writers, "write_stream", half_then_fail)
    with pytest.raises(type(interrupt)):
        write_export(exports["wide"], tmp_path / "panel.csv", "csv")
    assert list(tmp_path.iterdir()) == []
    # An existing file replaced with --force survives a failed write untouched.
    (tmp_path / "panel.csv").write_text("old\n")
    with pytest.raises(type(interrupt)):
        write_export(exports["wide"], tmp_path / "panel.csv", "csv", force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["panel.csv"] and (tmp_path / "panel.csv").read_text() == "old\n"


def test_missing_extra_names_the_install_line(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    result = run("export", "-o", str(tmp_path / "p.parquet"))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "harmon: writing parquet needs pyarrow: pip install 'harmon[parquet]' "
        "(in a clone of harmon: pip install '.[parquet]')"
    )
    result = run("export", "-o", str(tmp_path / "p.xlsx"))
    assert "pip install 'harmon[excel]' (in a clone of harmon: pip install '.[excel]')" in result.stderr
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []
    # Said before any scoring, to stdout too.
    monkeypatch.setattr("harmon.report.shapes.build_export", lambda *a, **k: pytest.fail("scored before the check"))
    result = run("export", "-o", "-", "--format", "parquet")
    assert result.exit_code == 2 and "needs pyarrow" in result.stderr


def test_usage_errors(tmp_path):
    assert run("export", "-o", str(tmp_path / "x.unknown")).exit_code == 2
    assert run("export", "-o", str(tmp_path / "x.csv"), "--from", "2010", "--to", "2005").exit_code == 2
    result = run("export", "-o", str(tmp_path / "x.csv"), "--from", "1990")
    assert result.exit_code == 2 and "outside the data's period" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- formula neutralisation --------------------------------------------------------------------


def _hostile_export(exports) -> Export:
    frame = exports["region"].frame.head(5).copy()
    cells = ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "fine"]
    frame.insert(1, "note", pd.Series(cells, dtype=object))
    columns = (exports["region"].columns[0], Column("note", "string", "note", "note", "", "", ""), *exports["region"].columns[1:])
    return Export("region", frame, columns, exports["region"].provenance)


def test_formula_cells_neutralised_unless_raw(tmp_path, exports):
    hostile = _hostile_export(exports)
    for fmt in ("csv", "tsv"):
        text = encode_text(hostile, fmt)
        notes = pd.read_csv(io.StringIO(text), sep="," if fmt == "csv" else "\t")["note"].tolist()
        assert notes == ["'=HYPERLINK(\"x\")", "'+1", "'-2+3", "'@SUM(A1)", "fine"]
        raw = pd.read_csv(io.StringIO(encode_text(hostile, fmt, raw=True)), sep="," if fmt == "csv" else "\t")
        assert raw["note"].tolist()[0] == "=HYPERLINK(\"x\")"
    import openpyxl

    safe = openpyxl.load_workbook(write_export(hostile, tmp_path / "safe.xlsx", "xlsx"))["region"]
    assert safe["B2"].value == "'=HYPERLINK(\"x\")" and safe["B2"].data_type == "s"
    raw = openpyxl.load_workbook(write_export(hostile, tmp_path / "raw.xlsx", "xlsx", raw=True))["region"]
    assert raw["B2"].data_type == "f"  # --raw: the user asked for it
    # Numbers are not text: a negative number is never touched.
    assert neutralise(pd.DataFrame({"x": [-1.5]}))["x"].tolist() == [-1.5]


# --- data package and codebook -----------------------------------------------------------------


# --- plain csv and tsv, with a Frictionless descriptor beside them --------------------------------


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_plain_table_loads_with_no_options(tmp_path, dataset, fmt):
    duckdb = pytest.importorskip("duckdb")
    target = tmp_path / f"panel.{fmt}"
    assert run("export", "-o", str(target)).exit_code == 0
    states, years = len(dataset.countries), dataset.last_year - dataset.first_year + 1
    frame = pd.read_csv(target, sep="," if fmt == "csv" else "\t")  # no options but the separator
    # 10 states x 19 years; 4 + 9 indicators + 4 dimensions + index, its bounds, coverage, rank, rank range.
    assert frame.shape == (states * years, 24)
    assert frame["rank_best"].dtype == "float64" and frame["index_lo"].dtype == "float64"  # empty for non-members
    assert frame["year"].dtype == "int64" and frame["member"].dtype == "int64" and frame["index"].dtype == "float64"
    assert set(frame["member"]) == {0, 1}
    tha = frame[(frame["iso3"] == "THA") & (frame["year"] == 2011)].iloc[0]
    assert tha["index"] == 62.5 and np.isnan(tha["prosecutor_training"]) and tha["member"] == 1
    # Viet Nam joined in 1995, Myanmar and Laos in 1997, Cambodia in 1999: Cambodia is not a member in 1997-98.
    assert frame[(frame["iso3"] == "KHM") & (frame["year"] < 1999)]["member"].tolist() == [0, 0]
    if fmt == "csv":
        table = duckdb.sql(f"SELECT * FROM '{target}'")
        types_ = dict(zip(table.columns, map(str, table.types)))
        assert types_["year"] == "BIGINT" and types_["index"] == "DOUBLE" and types_["country"] == "VARCHAR"
        assert types_["member"] in ("BIGINT", "INTEGER", "TINYINT")
        assert duckdb.sql(f"SELECT count(*), count(prosecutor_training) FROM '{target}'").fetchall()[0] == (
            states * years, frame["prosecutor_training"].notna().sum())


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_descriptor_beside_the_file_validates(tmp_path, dataset, weights_file, fmt):
    frictionless = pytest.importorskip("frictionless")
    target = tmp_path / f"panel.{fmt}"
    result = runner.invoke(app, ["export", "-o", str(target), "--weights", str(weights_file), "--missing", "zero"])
    assert result.exit_code == 0, result.output
    sidecar = tmp_path / f"panel.{fmt}.resource.json"
    report = frictionless.validate(str(sidecar))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads(sidecar.read_text(encoding="utf-8"))
    assert descriptor["path"] == target.name and descriptor["harmon"]["missing"] == "zero"
    assert descriptor["harmon"]["weights"].startswith("Treaties count double")
    assert descriptor["harmon"]["dataset_version"] == dataset.version
    # The standard's own reader gets typed values back: booleans, numbers, missing as None.
    rows = frictionless.Resource(str(sidecar)).read_rows()
    khm = {r["year"]: r for r in rows if r["iso3"] == "KHM"}
    assert khm[1998]["member"] is False and khm[1999]["member"] is True
    assert khm[2011]["prosecutor_training"] is None
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, sidecar.name, "treaties-double.yaml"])


def test_no_metadata_and_stdout_write_no_descriptor(tmp_path):
    target = tmp_path / "panel.csv"
    assert run("export", "-o", str(target), "--no-metadata").exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["panel.csv"]
    result = run("export", "-o", "-", "--shape", "region")
    assert result.exit_code == 0 and result.stdout.startswith("year,members,mean,")
    assert [p.name for p in tmp_path.iterdir()] == ["panel.csv"]


def test_existing_descriptor_is_refused_before_anything_is_written(tmp_path):
    (tmp_path / "panel.csv.resource.json").write_text("mine\n")
    result = run("export", "-o", str(tmp_path / "panel.csv"))
    assert result.exit_code == 2 and "panel.csv.resource.json exists; use --force" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["panel.csv.resource.json"]
    assert (tmp_path / "panel.csv.resource.json").read_text() == "mine\n"
    assert run("export", "-o", str(tmp_path / "panel.csv"), "--force").exit_code == 0
    assert json.loads((tmp_path / "panel.csv.resource.json").read_text())["path"] == "panel.csv"


def test_datapackage_validates_and_reads_back(tmp_path, dataset, exports):
    frictionless = pytest.importorskip("frictionless")
    target = tmp_path / "pkg"
    result = run("export", "--format", "datapackage", "-o", str(target))
    assert result.exit_code == 0, result.output
    report = frictionless.validate(str(target / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((target / "datapackage.json").read_text())
    assert descriptor["version"] == dataset.version and descriptor["licenses"]
    assert any("Voluntarism and Regional Integration" in s["title"] for s in descriptor["sources"])
    package = frictionless.Package(str(target / "datapackage.json"))
    rows = package.get_resource("wide").read_rows()
    tha = next(r for r in rows if r["iso3"] == "THA" and r["year"] == 2011)
    assert float(tha["index"]) == pytest.approx(62.5) and tha["member"] is True and tha["prosecutor_training"] is None
    for shape in SHAPES:
        read = pd.read_csv(target / f"{shape}.csv", keep_default_na=False, na_values=[""])
        _assert_same_values(read, exports[shape])
    assert run("export", "--format", "datapackage", "-o", str(target)).exit_code == 2
    assert run("export", "--format", "datapackage", "-o", str(target), "--force").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_codebook_lists_every_wide_column(tmp_path, dataset, exports, panel):
    text = codebook_markdown(dataset, panel=panel)
    wide = exports["wide"].frame
    for column in wide.columns:
        assert f"### `{column}`" in text and f"| `{column}` |" in text
    share = wide["un_definition"].isna().mean()
    assert "| `un_definition` | number |" in text and f"{share:.1%}" in text
    assert "Voluntarism and Regional Integration" in text and dataset.version in text
    result = run("codebook", "-o", str(tmp_path / "codebook.md"))
    assert result.exit_code == 0 and (tmp_path / "codebook.md").read_text(encoding="utf-8") == text
    assert run("codebook", "-o", str(tmp_path / "codebook.md")).exit_code == 2
