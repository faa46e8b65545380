"""The CLI: score in every format, validate, indicators, and the shipped data found from anywhere."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from harmon.cli import app
from harmon.core.scoring import score_year

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_score_table_shows_states_regional_figures_and_unknown():
    result = run("score", "--year", "2011")
    assert result.exit_code == 0, result.output
    out = result.output
    for name in ("Brunei", "Cambodia", "Indonesia", "Lao PDR", "Malaysia", "Myanmar", "Philippines",
                 "Singapore", "Thailand", "Viet Nam"):
        assert name in out
    assert "unknown" in out  # specialization of states observed only in 2015
    assert "dyadic: mlat" in out and "80.0%" in out
    assert "62.5" in out  # Thailand's index


def test_score_json_has_the_documented_shape_and_values(dataset):
    result = run("score", "--year", "2011", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["year"] == 2011
    assert set(doc) == {"year", "missing", "aggregation", "weights", "countries", "region", "provenance"}
    assert (doc["missing"], doc["aggregation"]) == ("reweight", "arithmetic")
    tha = next(c for c in doc["countries"] if c["iso3"] == "THA")
    assert set(tha) == {"iso3", "country", "member", "rank", "rank_range", "index", "index_range", "coverage",
                        "dimensions", "indicators"}
    assert (tha["index"], tha["rank"], tha["member"]) == (62.5, 8, True)
    # By hand (docs/method.md §13): training and victim support unknown -> 45.83 to 62.5; ranks 4-10.
    assert tha["index_range"] == [45.8333, 62.5] and tha["rank_range"] == [4, 10]
    assert tha["dimensions"] == {"criminalization": 100.0, "specialization": 100.0, "regional": 50.0, "treaties": 0.0}
    assert tha["indicators"]["victim_support"] is None  # unknown is null, not 0
    region = doc["region"]
    assert region["members"] == 10
    assert region["dyadic_by_indicator"]["mlat"] == 80.0
    expected = score_year(dataset, 2011).region
    assert region["mean"] == round(expected["mean"], 4)
    assert region["dispersion"] == round(expected["dispersion"], 4)


def test_score_csv_rows_in_rank_order_with_empty_cells_for_unknown():
    result = run("score", "--year", "2011", "--format", "csv", "--by", "indicator")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["iso3"] for r in rows][:6] == ["KHM", "IDN", "LAO", "MYS", "MMR", "PHL"]  # tied, by name
    tha = next(r for r in rows if r["iso3"] == "THA")
    assert (tha["rank"], tha["index"], tha["coverage"], tha["mlat"], tha["victim_support"]) == (
        "8", "62.5000", "0.8333", "0.0000", "")
    assert list(rows[0])[:6] == ["rank", "rank_best", "rank_worst", "iso3", "country", "member"]
    assert (tha["index_lo"], tha["index_hi"], tha["rank_best"], tha["rank_worst"]) == ("45.8333", "62.5000", "4", "10")


def test_score_markdown():
    result = run("score", "--year", "2015", "--format", "markdown")
    assert result.exit_code == 0
    assert "| Rank | State | Crim. | Spec. | Regional | Treaties | Index | Range | Coverage |" in result.output
    brunei = next(line for line in result.output.splitlines() if "Brunei" in line)
    # Brunei's index is determined (79.2: "="), but Singapore's (66.7-87.5) and Malaysia's
    # (70.8-91.7) ranges straddle it: ranks 8-10.
    assert brunei.startswith("| 8–10 | Brunei Darussalam |") and "| 79.2 | = |" in brunei


def test_score_is_byte_identical_across_runs():
    for fmt in ("csv", "json", "markdown"):
        first, second = run("score", "-y", "2004", "-f", fmt), run("score", "-y", "2004", "-f", fmt)
        assert first.output == second.output and first.output


def test_score_defaults_to_the_last_year():
    assert json.loads(run("score", "--format", "json").output)["year"] == 2015


@pytest.mark.parametrize("year", ["1850", "1996", "2016", "2999"])
def test_year_outside_the_data_is_one_line_and_exit_2(year):
    result = run("score", "--year", year)
    assert result.exit_code == 2
    assert result.output.strip() == f"harmon: year {year} is outside the data's period 1997-2015"


def test_unknown_option_values_are_usage_errors():
    assert run("score", "--missing", "guess").exit_code == 2
    assert run("score", "--format", "xml").exit_code == 2


def test_validate_is_clean_on_the_shipped_data():
    result = run("validate")
    assert result.exit_code == 0
    assert "OK: 10 states, 9 indicators in 4 dimensions, 1997-2015" in result.output


def test_indicators_lists_the_model():
    result = run("indicators")
    assert result.exit_code == 0
    for indicator in ("trafficking_law", "un_definition", "specialist_unit", "prosecutor_training",
                      "victim_support", "mlat", "hsu_process", "untoc", "trafficking_protocol"):
        assert indicator in result.output
    assert "yes-but-limited → 0.5" in result.output
    assert "0.125" in result.output and "0.083" in result.output


def test_missing_data_folder_is_exit_2(tmp_path):
    result = run("score", "--data", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "no such data folder" in result.output


SCRIPT = [sys.executable, "-c", "import sys; sys.argv[0] = 'harmon'; from harmon.cli import run; run()"]


def test_the_console_script_flushes_everything_and_keeps_each_exit_code(tmp_path):
    # `run` ends the process without Python's clean-up: the output must still be whole, on a
    # pipe and in files, and each outcome keep its code (0; 1 bad data). Run from an empty
    # folder: the shipped dataset is found whatever the working directory.
    scored = subprocess.run([*SCRIPT, "score", "--year", "2011", "--format", "csv"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert scored.returncode == 0 and scored.stdout == run("score", "--year", "2011", "--format", "csv").stdout
    assert scored.stdout.splitlines()[0].startswith("rank,rank_best,rank_worst,iso3,country,member,criminalization")
    assert len(scored.stdout.splitlines()) == 11
    out = tmp_path / "long.csv"
    wrote = subprocess.run([*SCRIPT, "export", "--shape", "long", "-o", str(out)], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert wrote.returncode == 0 and f"wrote {out}" in wrote.stderr
    assert out.read_text() == run("export", "--shape", "long", "-o", "-").stdout
    assert (tmp_path / "long.csv.resource.json").is_file()
    # With standard output closed (`>&-`) it ends as main does, without a traceback.
    closed = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", *SCRIPT, "score", "--year", "2011"],
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in closed.stderr and closed.returncode in (0, 2), closed.stderr
    (tmp_path / "bad" / "countries").mkdir(parents=True)
    bad = subprocess.run([*SCRIPT, "validate", "--data", str(tmp_path / "bad")], capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 1 and "missing" in bad.stdout


def test_help_teaches():
    result = run("score", "--help")
    assert result.exit_code == 0
    assert "--year" in result.output and "--missing" in result.output and "Examples" in result.output
