"""`harmon agree`: agreement between coders, on copies of the shipped data with known edits, and
Krippendorff's alpha against hand computations and the `krippendorff` package."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from typer.testing import CliRunner

from harmon.cli import app
from harmon.core.agree import agree, alpha
from harmon.data.loading import load_dataset
from harmon.errors import BadValue

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()
DATA = ("countries", "indicators", "region.yaml", "references.yaml")


def _copy(target: Path) -> Path:
    target.mkdir()
    for name in DATA:
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == text)


@pytest.fixture(scope="module")
def coders(tmp_path_factory):
    """Two copies of the shipped data; the second with a changed year (Cambodia's UNTOC 2005 ->
    2006), a changed level (Indonesia's training limited -> yes) and a missing fact (Thailand's
    MLAT removed)."""
    root = tmp_path_factory.mktemp("coders")
    a, b = _copy(root / "a"), _copy(root / "b")
    _edit(b / "countries/cambodia.yaml", "    status: \"yes\"\n    year: 2005\n", "    status: \"yes\"\n    year: 2006\n")
    _edit(b / "countries/indonesia.yaml", "status: yes-but-limited", 'status: "yes"')
    _edit(b / "countries/thailand.yaml",
          '  mlat:\n    status: "yes"\n    year: 2013\n    source: lau2016-table3\n', "")
    return a, b


@pytest.fixture(scope="module")
def result(coders):
    a, b = coders
    return agree([load_dataset(a), load_dataset(b)], ["a", "b"])


def test_reports_exactly_the_edits_with_their_lines(coders, result):
    a, b = coders
    found = [(d.iso3, d.indicator) for d in result.disagreements]
    assert found == [("KHM", "untoc"), ("IDN", "prosecutor_training"), ("THA", "mlat")]
    khm, idn, tha = result.disagreements
    assert [c.year for c in khm.codings] == [2005, 2006]
    assert [c.line for c in khm.codings] == [_line(a / "countries/cambodia.yaml", "  untoc:")] * 2
    assert khm.codings[1].path == b / "countries/cambodia.yaml"
    assert [c.status for c in idn.codings] == ["yes-but-limited", "yes"]
    assert idn.codings[0].line == _line(a / "countries/indonesia.yaml", "  prosecutor_training:")
    assert idn.codings[0].sources == ("lau2016-table2",)
    assert tha.codings[0].recorded and not tha.codings[1].recorded
    assert tha.codings[0].line == _line(a / "countries/thailand.yaml", "  mlat:")
    assert tha.codings[1].line == _line(b / "countries/thailand.yaml", "facts:")
    assert result.missing_states == () and result.missing_indicators == ()


def test_agreement_and_unknowns_by_hand(result):
    table = result.indicators.set_index("indicator", drop=False)
    # 10 states each; one disagreement in three indicators.
    assert table.loc["untoc", "agreement"] == pytest.approx(0.9)
    assert table.loc["trafficking_law", "agreement"] == 1.0
    overall = table[table["indicator"].isna()].iloc[0]
    assert overall["units"] == 90 and overall["agreement"] == pytest.approx(87 / 90)
    # Unknown: training unavailable in Lao PDR, Malaysia, Singapore (3 each); Thailand's MLAT
    # missing in b only.
    assert (table.loc["prosecutor_training", "unknown_0"], table.loc["prosecutor_training", "unknown_1"]) == (3, 3)
    assert (table.loc["mlat", "unknown_0"], table.loc["mlat", "unknown_1"]) == (0, 1)


def test_ordinal_alpha_by_hand_on_the_training_edit(result):
    # The 7 pairable units: a = 0, 1, 0.5, 0, 1, 1, 1 and b the same with Indonesia 1. Counts
    # n_0 = 4, n_0.5 = 1, n_1 = 9 (n = 14). Ordinal distances: d(0.5,1) = (1 + 9 - 5)^2 = 25,
    # d(0,0.5) = (4 + 1 - 2.5)^2 = 6.25, d(0,1) = (14 - 6.5)^2 = 56.25.
    # D_o = 2 x 25 / 14; D_e = 2 (4x1x6.25 + 4x9x56.25 + 1x9x25) / (14 x 13) = 25; alpha = 1 - 2/14.
    table = result.indicators.set_index("indicator", drop=False)
    assert table.loc["prosecutor_training", "alpha_level"] == pytest.approx(1 - 2 / 14)
    # Every state records the same "yes": one value, alpha undefined (0/0), not 1.
    assert math.isnan(table.loc["trafficking_law", "alpha_level"])


def test_interval_alpha_by_hand():
    # Two coders, three units: 1, 2, 3 and 1, 2, 4. D_o = 2 x 1^2 / 6 = 1/3; the six values have
    # sum of squared deviations 41/6, so D_e = 2 x 6 x 41/6 / (6 x 5) = 82/30; alpha = 1 - 10/82.
    data = np.array([[1, 2, 3], [1, 2, 4]], dtype=float)
    assert alpha(data, "interval") == pytest.approx(36 / 41)
    assert alpha(data, "interval") == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="interval"))


def test_ordinal_alpha_by_hand_small():
    # Units 0/0, 0.5/1, 1/1, 1/1: n_0 = 2, n_0.5 = 1, n_1 = 5. d(0.5,1) = (6 - 3)^2 = 9,
    # d(0,0.5) = (3 - 1.5)^2 = 2.25, d(0,1) = (8 - 3.5)^2 = 20.25. D_o = 2 x 9 / 8;
    # D_e = 2 (2x1x2.25 + 2x5x20.25 + 1x5x9) / 56 = 9; alpha = 1 - 2.25/9 = 0.75.
    data = np.array([[0, 0.5, 1, 1], [0, 1, 1, 1]], dtype=float)
    assert alpha(data, "ordinal", [0, 0.5, 1]) == pytest.approx(0.75)


def test_alpha_undefined_cases():
    assert math.isnan(alpha(np.array([[1.0, np.nan], [np.nan, 1.0]]), "interval"))  # nothing pairable
    assert math.isnan(alpha(np.array([[1.0, 1.0], [1.0, 1.0]]), "interval"))  # one value


def test_year_alpha_matches_the_package(coders, result):
    a, b = (load_dataset(p) for p in coders)
    rows = [[(c.facts["untoc"].year if "untoc" in c.facts else np.nan) for c in d.countries] for d in (a, b)]
    expected = krippendorff.alpha(reliability_data=np.array(rows, dtype=float), level_of_measurement="interval")
    table = result.indicators.set_index("indicator", drop=False)
    assert table.loc["untoc", "alpha_year"] == pytest.approx(expected)
    assert 0.99 < expected < 1


def test_missing_state_is_listed_not_an_error(tmp_path):
    a, b = _copy(tmp_path / "a"), _copy(tmp_path / "b")
    (b / "countries/viet-nam.yaml").unlink()
    found = agree([load_dataset(a), load_dataset(b)], ["a", "b"])
    assert found.missing_states == (("VNM", ("b",)),)
    assert found.disagreements == () and found.indicators["units"].iloc[0] == 9


def test_needs_two_datasets(dataset):
    with pytest.raises(BadValue, match="datasets must be at least two"):
        agree([dataset], ["a"])


def test_cli_formats_and_min_alpha(coders):
    a, b = (str(p) for p in coders)
    table = runner.invoke(app, ["agree", a, b], env={"COLUMNS": "80"})
    assert table.exit_code == 0, table.output
    assert "Disagreements (3)" in table.output and all(len(line) <= 80 for line in table.output.splitlines())
    data = json.loads(runner.invoke(app, ["agree", a, b, "--format", "json"]).output)
    assert [d["indicator"] for d in data["disagreements"]] == ["untoc", "prosecutor_training", "mlat"]
    assert data["overall"]["units"] == 90
    csv = runner.invoke(app, ["agree", a, b, "--format", "csv"]).output.splitlines()
    assert csv[0] == "indicator,kind,units,alpha_level,alpha_year,agreement,unknown_1,unknown_2"
    assert csv[4].startswith("prosecutor_training,status,10,0.8571,,0.9000,3,3")
    low = runner.invoke(app, ["agree", a, b, "--min-alpha", "0.99"])
    assert low.exit_code == 1 and "below --min-alpha 0.99" in low.output
    assert runner.invoke(app, ["agree", a, b, "--min-alpha", "0.9"]).exit_code == 0


def test_cli_one_folder_and_bad_folder(coders, tmp_path):
    one = runner.invoke(app, ["agree", str(coders[0])])
    assert one.exit_code == 2 and "at least two dataset folders" in one.output
    missing = runner.invoke(app, ["agree", str(coders[0]), str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "no such data folder" in missing.output


def test_an_indicator_one_coder_lacks_is_listed(tmp_path):
    # Coder b's model has no HSU Process indicator (and so no such facts): listed, not compared.
    import re

    a, b = _copy(tmp_path / "a"), _copy(tmp_path / "b")
    model = b / "indicators/model.yaml"
    text = model.read_text(encoding="utf-8")
    model.write_text(re.sub(r"      - id: hsu_process\n(        .*\n)+", "", text), encoding="utf-8")
    for path in (b / "countries").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"  hsu_process:\n((    |      ).*\n)+", "", text), encoding="utf-8")
    found = agree([load_dataset(a), load_dataset(b)], ["a", "b"])
    assert found.missing_indicators == (("hsu_process", ("b",)),)
    assert "hsu_process" not in set(found.indicators["indicator"].dropna())
    assert found.disagreements == ()


def test_an_indicator_scored_differently_is_listed(tmp_path):
    a, b = _copy(tmp_path / "a"), _copy(tmp_path / "b")
    _edit(b / "indicators/model.yaml", "    yes-but-limited: 0.5\n", "    yes-but-limited: 0.25\n")
    found = agree([load_dataset(a), load_dataset(b)], ["a", "b"])
    provision = ("un_definition", "specialist_unit", "prosecutor_training", "victim_support")
    assert found.missing_indicators == tuple((i, ("a", "b")) for i in provision)


def test_cli_lists_what_is_not_compared(tmp_path):
    a, b = _copy(tmp_path / "a"), _copy(tmp_path / "b")
    (b / "countries/viet-nam.yaml").unlink()
    _edit(b / "indicators/model.yaml", "    yes-but-limited: 0.5\n", "    yes-but-limited: 0.25\n")
    out = runner.invoke(app, ["agree", str(a), str(b), "--format", "markdown"])
    assert out.exit_code == 0, out.output
    assert f"- state VNM is not in the data of {b}: not compared" in out.output
    assert "- indicator victim_support: the coders' models score it differently: not compared" in out.output
