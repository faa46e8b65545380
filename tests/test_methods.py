"""The scoring choices beyond the default: `--weights FILE`, `--missing backfill` and
`--aggregation geometric`, each against numbers worked out by hand from the country files."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from harmon.report.shapes import build_export
from harmon.cli import app
from harmon.errors import DatasetInvalid, InvalidOption, WeightsInvalid
from harmon.core.scoring import GEOMETRIC_FLOOR, score_panel, score_year
from harmon.data.weights import apply_weights, load_weight_schemes, load_weights

runner = CliRunner()

# Treaties count double; in the regional dimension the MLAT counts half as much as the HSU Process.
TREATIES_DOUBLE = "name: Treaties count double\ndimensions: {treaties: 2}\nindicators:\n  mlat: 0.5\n"


@pytest.fixture()
def weights_file(tmp_path: Path) -> Path:
    path = tmp_path / "treaties-double.yaml"
    path.write_text(TREATIES_DOUBLE)
    return path


# --- backfill ----------------------------------------------------------------------------------


def test_backfill_carries_later_observations_back_by_hand(dataset):
    # Singapore in 2011 (countries/singapore.yaml): trafficking law enacted 2015 -> 0 (an event is
    # absent before its year); UN definition unknown, but it requires the law -> 0; specialist unit "no" and victim
    # support "yes-but-limited", both observed 2015 -> carried back: 0 and 0.5; prosecutor
    # training unavailable -> missing; MLAT 2005 -> 1; HSU Process observed 2015, absent before
    # 2004 -> carried back to 2011: 1; UNTOC 2007 -> 1; Protocol 2015 -> 0.
    # Dimensions: 0, (0 + 0.5) / 2 = 25, 100, 50; index (0 + 25 + 100 + 50) / 4 = 43.75.
    row = score_year(dataset, 2011, "backfill").countries.loc["SGP"]
    assert [row[d] for d in ("criminalization", "specialization", "regional", "treaties")] == [0, 25, 100, 50]
    assert row["index"] == pytest.approx(43.75)
    # Coverage: all but prosecutor training (1/12) are known.
    assert row["coverage"] == pytest.approx(1 - 1 / 12)
    # Under reweight the same year knows neither of Singapore's specialization facts.
    assert math.isnan(score_year(dataset, 2011).countries.loc["SGP", "specialization"])


def test_backfill_stops_at_absent_before(dataset):
    # Singapore's HSU Process: absent before 2004 stays 0 in 2003 even with backfill.
    panel = score_panel(dataset, [2003, 2004], "backfill")
    assert panel.scored.loc[("SGP", 2003), "hsu_process"] == 0
    assert panel.scored.loc[("SGP", 2004), "hsu_process"] == 1
    # The indicator columns stay as recorded: unknown in 2004.
    assert math.isnan(panel.countries.loc[("SGP", 2004), "hsu_process"])


def test_backfill_changes_nothing_where_everything_is_known(dataset):
    # 2015 is the observation year of every Table 2 fact: nothing is left to carry back.
    a = score_year(dataset, 2015, "reweight").countries["index"]
    b = score_year(dataset, 2015, "backfill").countries["index"]
    pd.testing.assert_series_equal(a, b)


# --- geometric aggregation ---------------------------------------------------------------------


def test_geometric_mean_by_hand(dataset):
    # Thailand 2011 (reweight): dimensions 100, 100, 50, 0. The 0 counts as the floor (1 point):
    # 100 x (1 x 1 x 0.5 x 0.01) ^ (1/4).
    row = score_year(dataset, 2011, aggregation="geometric").countries.loc["THA"]
    assert GEOMETRIC_FLOOR == 1.0
    assert row["index"] == pytest.approx(100 * (1 * 1 * 0.5 * 0.01) ** 0.25)
    # Cambodia has 100 in every dimension: the geometric mean is 100 as well.
    assert score_year(dataset, 2011, aggregation="geometric").countries.loc["KHM", "index"] == pytest.approx(100)


def test_geometric_mean_never_exceeds_arithmetic_above_the_floor(dataset):
    years = range(1997, 2016)
    panel = score_panel(dataset, years)
    arithmetic = panel.countries["index"]
    geometric = score_panel(dataset, years, aggregation="geometric").countries["index"]
    dims = panel.countries[list(panel.dimensions)]
    above = (dims.isna() | (dims >= GEOMETRIC_FLOOR)).all(axis=1) & arithmetic.notna()
    assert (geometric[above] <= arithmetic[above] + 1e-9).all()
    assert (geometric[above] < arithmetic[above] - 1).any()
    # A state with 0 in every known dimension scores the floor, not 0 (docs/method.md).
    nothing = (dims.fillna(0) == 0).all(axis=1) & arithmetic.notna()
    assert nothing.any()
    assert (geometric[nothing] - GEOMETRIC_FLOOR).abs().max() < 1e-9


@pytest.mark.parametrize("option", [{"missing": "ignore"}, {"aggregation": "harmonic"}])
def test_unknown_method_is_an_error(dataset, option):
    with pytest.raises(InvalidOption, match="expected one of"):
        score_year(dataset, 2011, **option)


# --- weights files -----------------------------------------------------------------------------


def test_weights_file_by_hand(dataset, weights_file):
    # Thailand 2011: criminalization 100, specialization 100, regional (0.5 x 0 [MLAT] + 1 x 1
    # [HSU]) / 1.5 = 66.67, treaties 0 with weight 2: (100 + 100 + 66.67 + 0) / 5 = 53.33.
    reweighted = apply_weights(dataset, weights_file)
    row = score_year(reweighted, 2011).countries.loc["THA"]
    assert row["regional"] == pytest.approx(200 / 3)
    assert row["index"] == pytest.approx((100 + 100 + 200 / 3) / 5)
    assert reweighted.weights["name"] == "Treaties count double"
    assert reweighted.weights["file"] == "treaties-double.yaml"
    # The dataset itself is unchanged.
    assert score_year(dataset, 2011).countries.loc["THA", "index"] == pytest.approx(62.5)


def test_weights_file_keeps_unlisted_weights(dataset, weights_file):
    model = apply_weights(dataset, weights_file).model
    weights = {d.id: d.weight for d in model.dimensions}
    assert weights == {"criminalization": 1, "specialization": 1, "regional": 1, "treaties": 2}
    assert {i.id: i.weight for i in model.dimensions[2].indicators} == {"mlat": 0.5, "hsu_process": 1}
    assert sum(model.effective_weights().values()) == pytest.approx(1)


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("name: x\nindicators:\n  untocc: 2\n", 3, "unknown indicator 'untocc': not in the scoring model (did you mean 'untoc'?)"),
        ("name: x\ndimensions:\n  treaty: 2\n", 3, "unknown dimension 'treaty'"),
        ("name: x\nindicators: {mlat: -1}\n", 2, "greater than 0"),
        ("name: x\nindicators: {mlat: \"2\"}\n", 2, "a number in quotes is text"),
        ("name: x\nweights: {mlat: 2}\n", 2, "unknown key 'weights'"),
        ("indicators: {mlat: 2}\n", 1, "missing required key 'name'"),
        ("name: x\nschemes:\n  - name: y\n", 2, "several schemes; a weights file for one scoring holds one"),
        ("name: x\nindicators: {mlat: !!python/object:os.system 2}\n", 2, "tag"),
        ("name: [x\n", None, ""),
    ],
)
def test_bad_weights_file(dataset, tmp_path, text, line, message):
    path = tmp_path / "w.yaml"
    path.write_text(text)
    with pytest.raises(WeightsInvalid) as caught:
        apply_weights(dataset, path)
    assert isinstance(caught.value, DatasetInvalid)
    problem = caught.value.problems[0]
    assert problem.path == path
    if line is not None:
        assert problem.line == line
    assert message in problem.message


def test_missing_weights_file(dataset, tmp_path):
    with pytest.raises(WeightsInvalid, match="problem"):
        load_weights(tmp_path / "nope.yaml", dataset.model)


def test_schemes_file(dataset, tmp_path):
    path = tmp_path / "schemes.yaml"
    path.write_text("schemes:\n  - name: equal\n  - name: treaties\n    dimensions: {treaties: 3}\n  - name: bad\n    indicators: {mlatt: 1}\n")
    with pytest.raises(WeightsInvalid) as caught:
        load_weight_schemes(path, dataset.model)
    assert [(p.line, p.message.split(":")[0]) for p in caught.value.problems] == [(6, "unknown indicator 'mlatt'")]
    path.write_text("schemes:\n  - name: equal\n  - name: treaties\n    dimensions: {treaties: 3}\n")
    assert [s.name for s in load_weight_schemes(path, dataset.model)] == ["equal", "treaties"]
    path.write_text(TREATIES_DOUBLE)  # one scheme is a list of one
    assert [s.name for s in load_weight_schemes(path, dataset.model)] == ["Treaties count double"]


# --- through the CLI ---------------------------------------------------------------------------


def test_score_with_weights_backfill_and_geometric(dataset, weights_file):
    result = runner.invoke(app, ["score", "--year", "2011", "--format", "csv", "--weights", str(weights_file),
                                 "--missing", "backfill", "--aggregation", "geometric"])
    assert result.exit_code == 0, result.output
    cli = pd.read_csv(io.StringIO(result.stdout)).set_index("iso3")["index"]
    library = score_year(apply_weights(dataset, weights_file), 2011, "backfill", "geometric").countries["index"]
    pd.testing.assert_series_equal(cli.sort_index(), library.round(4).sort_index(), check_names=False)


def test_bad_weights_file_through_cli(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("name: x\nindicators: {untocc: 2}\n")
    result = runner.invoke(app, ["score", "--weights", str(path)])
    assert result.exit_code == 1
    assert "w.yaml:2: unknown indicator 'untocc'" in result.stderr
    assert "the weights file has 1 problem(s)" in result.stderr
    assert "Traceback" not in result.output


def test_export_records_method_and_weights(dataset, weights_file, tmp_path):
    out = tmp_path / "panel.csv"
    result = runner.invoke(app, ["export", "-o", str(out), "--weights", str(weights_file),
                                 "--missing", "backfill", "--aggregation", "geometric"])
    assert result.exit_code == 0, result.output
    first = out.read_text().splitlines()[0]
    assert "missing=backfill" in first and "aggregation=geometric" in first
    assert "weights=Treaties count double (treaties-double.yaml " in first
    frame = pd.read_csv(out, comment="#")
    tha = frame[(frame["iso3"] == "THA") & (frame["year"] == 2011)]["index"].item()
    expected = score_year(apply_weights(dataset, weights_file), 2011, "backfill", "geometric").countries.loc["THA", "index"]
    assert tha == pytest.approx(expected, abs=1e-4)
    # Without --weights the provenance says the model's weights were used.
    meta = build_export(dataset, "region").provenance
    assert meta["weights"] == "model" and meta["aggregation"] == "arithmetic"


def test_region_adoption_share_follows_backfill(dataset):
    # Adoption of victim support in 2011: nothing known under reweight (Table 2 is observed in
    # 2015); under backfill, the 2015 levels: every state has some support (Lau §4.2.2: "available
    # in all ASEAN countries", four of them limited), so all 10 have adopted it; in full, 6 of 10.
    region = build_export(dataset, "region", 2011, 2011, "backfill").frame
    levels = [c.facts["victim_support"].status for c in dataset.countries]
    assert levels.count("yes") == 6 and levels.count("yes-but-limited") == 4
    assert region["adoption_victim_support"].item() == 1.0
    full = build_export(dataset, "region", 2011, 2011, "backfill", adopted_at=1).frame
    assert full["adoption_victim_support"].item() == pytest.approx(0.6)
    assert pd.isna(build_export(dataset, "region", 2011, 2011).frame["adoption_victim_support"].item())
