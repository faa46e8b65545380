"""`harmon diff`, `explain`, `status`, `trend`, `timeline` and `plot`: the views against
hand-computed values and the data, and the commands' terminal manners."""

from __future__ import annotations

import json
import re
import struct

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import NO_SOURCES, PAPER, REPO
from harmon.cli import app
from harmon.core.scoring import score_panel, score_year
from harmon.core.diff import diff
from harmon.core.explain import explain
from harmon.core.states import find_state
from harmon.core.status import status
from harmon.core.timeline import timeline
from harmon.core.trend import trend
from harmon.errors import StateNotFound
from harmon.report.citations import reference_rows, reference_text
from harmon.report.text import is_missing
from harmon.report.views import status_frame
from harmon.report.words import rule_text

ANSI = re.compile(r"\x1b\[")
YEARS = range(1997, 2016)
runner = CliRunner()


def run(*args: str, **env: str):
    base = {"COLUMNS": "80", "NO_COLOR": "", "FORCE_COLOR": "", "TERM": "dumb"}
    return runner.invoke(app, [*args, "--data", str(REPO)], env={**base, **env})


def changed(result, iso3):
    facts = result.facts[result.facts["iso3"] == iso3]
    return {row.indicator: (row.score_1, row.score_2, row.when) for row in facts.itertuples()}


# --- diff --------------------------------------------------------------------------------------


def test_diff_2011_2015_singapore_and_thailand_by_hand(dataset):
    result = diff(dataset, 2011, 2015)
    sgp = changed(result, "SGP")
    # Law and Protocol ratified in 2015; Table 2 facts observed in 2015 (training unavailable:
    # still unknown, so not a change); the HSU Process observed in 2015.
    assert sgp["trafficking_law"] == (0, 1, 2015)
    assert sgp["trafficking_protocol"] == (0, 1, 2015)
    # The UN definition requires the law: known absent in 2011, unknown once the law exists.
    assert sgp["un_definition"][0] == 0 and np.isnan(sgp["un_definition"][1]) and sgp["un_definition"][2] == 2015
    assert set(sgp) == {"trafficking_law", "un_definition", "trafficking_protocol", "specialist_unit", "victim_support",
                        "hsu_process"}
    assert sgp["specialist_unit"][1:] == (0, 2015) and np.isnan(sgp["specialist_unit"][0])
    tha = changed(result, "THA")
    for indicator in ("mlat", "untoc", "trafficking_protocol"):
        assert tha[indicator] == (0, 1, 2013)
    assert set(tha) == {"mlat", "untoc", "trafficking_protocol", "prosecutor_training", "victim_support"}
    states = result.states.set_index("iso3")
    assert states.loc["THA", ["index_1", "index_2", "change"]].tolist() == [62.5, 100.0, 37.5]
    assert states.loc["SGP", "index_1"] == 50.0 and states.loc["SGP", "index_2"] == pytest.approx(81.25)
    assert list(result.states["iso3"][:3]) == ["VNM", "THA", "SGP"]  # sorted by change, largest first
    assert result.states["change"].is_monotonic_decreasing
    # Every changed fact carries its reference.
    law = result.facts[(result.facts["iso3"] == "SGP") & (result.facts["indicator"] == "trafficking_law")].iloc[0]
    assert law["sources"] == ["lau2016-table1"] and "Table 1 (Criminalization)" in reference_text(dataset, law["sources"])
    region = result.region.set_index("measure")
    assert region.loc["mean", "value_1"] == pytest.approx(82.9166667)
    assert region.loc["mean", "value_2"] == pytest.approx(92.0833333)
    assert region.loc["members", "change"] == 0


def test_diff_shows_nothing_for_states_with_no_change(dataset):
    result = diff(dataset, 2009, 2010)  # only Cambodia ratified the MLAT in 2010
    assert set(result.facts["iso3"]) == {"KHM"}
    assert changed(result, "KHM") == {"mlat": (0, 1, 2010)}
    others = result.states[result.states["iso3"] != "KHM"]
    assert (others["change"] == 0).all() and (others["facts"] == 0).all()
    assert result.changed
    assert not diff(dataset, 2013, 2014).changed  # nothing happened in 2014
    assert diff(dataset, 2013, 2014).facts.empty


def test_diff_country_narrows_and_cli_exit_code():
    out = run("diff", "2011", "2015", "--country", "tha", "--format", "json")
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert [s["iso3"] for s in doc["states"]] == ["THA"]
    assert {f["indicator"]: f["year"] for f in doc["states"][0]["facts"]} == {
        "mlat": 2013, "untoc": 2013, "trafficking_protocol": 2013, "prosecutor_training": 2015, "victim_support": 2015,
    }
    mean = doc["region"]["mean"]
    assert {k: mean[k] for k in ("2011", "2015", "change")} == {"2011": 82.9167, "2015": 92.0833, "change": 9.1667}
    # Real change: the 2015 laws and ratifications alone would have raised the mean more; the
    # Table 2 facts first observed in 2015 pulled the point value down (docs/method.md §13).
    assert mean["real_change"] > mean["change"] and mean["range"]["2015"] == [85.8333, 93.3333]
    assert run("diff", "2011", "2015", "--exit-code", "-f", "csv").exit_code == 1
    assert run("diff", "2013", "2014", "--exit-code", "-f", "csv").exit_code == 0


def test_diff_table_fits_80_columns_without_colour():
    out = run("diff", "2004", "2015")
    assert out.exit_code == 0
    assert not ANSI.search(out.stdout)
    assert max(len(line) for line in out.stdout.splitlines()) <= 80
    assert "Thailand" in out.stdout and "▲ 62.5" in out.stdout  # Thailand 37.5 -> 100
    assert "2013 mlat 0→1" in out.stdout


# --- explain -----------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["reweight", "zero"])
def test_explain_contributions_sum_to_the_index_every_state_and_year(dataset, missing):
    panel = score_panel(dataset, YEARS, missing)  # scored once for every explanation
    for year in YEARS:
        scores = score_year(dataset, year, missing).countries
        for country in dataset.countries:
            result = explain(dataset, country.iso3, year, missing, panel)
            assert result.index == scores.loc[country.iso3, "index"]
            assert result.indicators["contribution"].sum() == pytest.approx(result.index, abs=1e-9), (country.iso3, year)
            assert result.dimensions["contribution"].sum() == pytest.approx(result.index, abs=1e-9)
            assert result.indicators["share"].sum() == pytest.approx(1.0)


def test_explain_thailand_2011_by_hand(dataset):
    result = explain(dataset, "THA", 2011)
    rows = result.indicators.set_index("indicator")
    assert result.index == 62.5
    assert rule_text(rows.loc["trafficking_law", "rule"]) == "event in 2008: 1 from 2008, 0 before"
    assert rule_text(rows.loc["un_definition", "rule"]) == (
        "observed 2011: 1 from 2011, unknown before; 0 while trafficking_law is 0"
    )
    assert rows.loc["specialist_unit", "contribution"] == 25.0  # the only known specialization fact
    assert rows.loc["prosecutor_training", "share"] == 0 and np.isnan(rows.loc["prosecutor_training", "score"])
    assert rows.loc["mlat", "contribution"] == 0 and rows.loc["mlat", "share"] == 0.125
    assert reference_rows(dataset, rows.loc["trafficking_law", "sources"]) == [
        {"key": "lau2016-table1", "author": "Jadice Lau",
         "title": "Voluntarism and Regional Integration: ASEAN's 20 Years of Cooperation on Human Trafficking",
         "locator": "§4.2.1, Table 1 (Criminalization)"}
    ]
    zero = explain(dataset, "THA", 2011, "zero").indicators.set_index("indicator")
    assert zero.loc["prosecutor_training", "share"] == pytest.approx(1 / 12)
    assert zero.loc["prosecutor_training", "contribution"] == 0


def test_explain_cli_table_and_unknown_state():
    out = run("explain", "thai", "--year", "2011")
    assert out.exit_code == 0
    assert "Thailand (THA), 2011: index 62.5" in out.stdout
    assert max(len(line) for line in out.stdout.splitlines()) <= 80
    bad = run("explain", "Thialand")
    assert bad.exit_code == 2
    assert "did you mean Thailand (THA)?" in bad.stderr and bad.stdout == ""
    assert run("explain", "M").exit_code == 2  # Malaysia or Myanmar


def test_find_state_by_code_name_and_prefix(dataset):
    assert find_state(dataset, "vnm").iso3 == "VNM"
    assert find_state(dataset, "Vietnam").iso3 == "VNM"
    assert find_state(dataset, "the philippines").iso3 == "PHL"
    assert find_state(dataset, "sing").iso3 == "SGP"
    with pytest.raises(StateNotFound, match="Malaysia .MYS., Myanmar .MMR."):
        find_state(dataset, "m")


def test_find_state_by_an_alias_from_its_file(dataset):
    # countries/myanmar.yaml and lao-pdr.yaml carry `aliases: [Burma]` and `[Laos]`.
    assert find_state(dataset, "Burma").iso3 == "MMR"
    assert find_state(dataset, "laos").iso3 == "LAO"
    assert find_state(dataset, "Bur").iso3 == "MMR"  # a prefix of an alias
    with pytest.raises(StateNotFound, match=r"did you mean Myanmar \(MMR\)"):
        find_state(dataset, "Birma")
    result = run("explain", "Burma", "--year", "2011")
    assert result.exit_code == 0 and "Myanmar (MMR), 2011" in result.stdout


# --- status: Tables 1-4 ------------------------------------------------------------------------

PAPER_SYMBOLS = {"yes": "✓", "yes-but-limited": "✓ (but limited)", "no": "✗", "unavailable": "Information unavailable"}


def test_status_2015_gives_each_recorded_fact_its_paper_symbol_and_year(dataset):
    cells = status_frame(status(dataset), dataset)
    assert len(cells) == 10 * 9
    for row in cells.itertuples():
        fact = next(c for c in dataset.countries if c.iso3 == row.iso3).facts[row.indicator]
        if fact.status == "unknown":
            assert row.cell == "unknown"
            continue
        assert row.symbol == PAPER_SYMBOLS[fact.status], (row.iso3, row.indicator)
        if fact.year is not None and fact.status == "yes":
            assert row.cell.endswith(f"({fact.year})")
    cell = cells.set_index(["iso3", "indicator"])["cell"]
    assert cell["THA", "trafficking_law"] == "✓ Anti-Trafficking in Persons Act B.E 2551 (2008)"  # Table 1, with its level
    assert cell["LAO", "prosecutor_training"] == "Information unavailable"  # Table 2
    assert cell["IDN", "prosecutor_training"] == "✓ (but limited)"
    assert cell["THA", "mlat"] == "✓ (2013)"  # Table 3
    assert cell["BRN", "trafficking_protocol"] == "✗" and cell["SGP", "trafficking_protocol"] == "✓ (2015)"  # Table 4


ISO3 = {"BRUNEI DARUSSALAM": "BRN", "CAMBODIA": "KHM", "INDONESIA": "IDN", "LAO PDR": "LAO", "MALAYSIA": "MYS",
        "MYANMAR": "MMR", "THE PHILIPPINES": "PHL", "SINGAPORE": "SGP", "THAILAND": "THA", "VIETNAM": "VNM"}


@pytest.mark.skipif(not PAPER.exists(), reason=NO_SOURCES)
def test_status_reproduces_the_papers_tables_1_2_and_4(dataset):
    lines = PAPER.read_text(encoding="utf-8").splitlines()
    cell = status_frame(status(dataset), dataset).set_index(["iso3", "indicator"])
    tables = {"Table 1.": ["trafficking_law"], "Table 2.": ["specialist_unit", "prosecutor_training", "victim_support"],
              "Table 4.": ["untoc", "trafficking_protocol"]}
    for caption, indicators in tables.items():
        end = next(k for k, line in enumerate(lines) if line.startswith(caption))
        rows = {}
        for line in reversed(lines[:end]):
            parts = line.split("\t")
            if parts[0] in ISO3:
                rows.setdefault(ISO3[parts[0]], [p.strip() for p in parts[1:]])
        assert len(rows) == 10
        for iso3, paper_cells in rows.items():
            for indicator, paper in zip(indicators, paper_cells):
                ours = cell.loc[(iso3, indicator)]
                if caption == "Table 2.":  # the paper gives no years in Table 2
                    assert ours["symbol"] == paper, (iso3, indicator)
                elif not is_missing(ours["title"]):  # a title is shown after its level's symbol
                    assert ours["cell"] == f"{ours['symbol']} {paper}", (iso3, indicator)
                else:
                    assert ours["cell"] == paper, (iso3, indicator)


def test_status_cli_markdown_and_narrow_table():
    md = run("status", "--dimension", "specialization", "-f", "markdown")
    assert md.exit_code == 0
    assert "**Specialization in law enforcement (2015)**" in md.stdout and "Table" not in md.stdout
    numbered = run("status", "--dimension", "specialization", "-f", "markdown", "--title", "Table {number}. {dimension} ({year}) {x}")
    assert "**Table 2. Specialization in law enforcement (2015) {x}**" in numbered.stdout
    assert "| Lao PDR | ✓ (2004) | Information unavailable | ✓ (but limited) |" in md.stdout
    table = run("status")
    assert table.exit_code == 0 and "International treaties (2015)" in table.stdout
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    bad = run("status", "--dimension", "spec")
    assert bad.exit_code == 2 and "did you mean 'specialization'" in bad.stderr


def test_status_as_known_in_2004(dataset):
    cell = status_frame(status(dataset, 2004), dataset).set_index(["iso3", "indicator"])["cell"]
    assert cell["THA", "trafficking_law"] == "✗"  # enacted 2008: absent in 2004
    assert cell["THA", "prosecutor_training"] == "unknown"  # observed only in 2015
    assert cell["THA", "specialist_unit"] == "✓ (2004)"
    assert cell["THA", "un_definition"] == "✗"  # requires the law, absent in 2004


# --- trend and timeline ------------------------------------------------------------------------


def test_trend_matches_the_scores(dataset):
    result = trend(dataset, 2004, 2015)
    assert list(result.region.index) == list(range(2004, 2016))
    assert result.region.loc[2011, "mean"] == pytest.approx(score_year(dataset, 2011).region["mean"])
    assert result.index.loc["THA", 2013] == 100
    out = run("trend", "--from", "2004", "--to", "2015")
    assert out.exit_code == 0
    assert "Thailand            ▄▄▄▄▅▅▅▅▅███" in out.stdout
    assert max(len(line) for line in out.stdout.splitlines()) <= 80
    assert run("trend", "--from", "2015", "--to", "2004").exit_code == 2


def test_timeline_in_date_order_and_filters(dataset):
    frame = timeline(dataset)
    assert frame["year"].is_monotonic_increasing
    first = frame.iloc[0]
    # ASEAN Vision 2020 (15 December 1997) comes before the Manila declaration (20 December).
    assert (first["date"], first["scope"], first["kind"]) == ("1997-12-15", "region", "vision")
    assert tuple(frame.iloc[1][["date", "kind"]]) == ("1997-12-20", "declaration")
    tha = timeline(dataset, country="Thailand")
    assert list(zip(tha["year"], tha["kind"])) == [
        (2004, "specialist_unit"), (2004, "hsu_process"), (2008, "trafficking_law"),
        (2013, "mlat"), (2013, "untoc"), (2013, "trafficking_protocol"),
    ]
    declarations = timeline(dataset, kinds=["declaration"])
    assert list(declarations["date"]) == ["1997-12-20", "2004-11-29"]
    treaties = timeline(dataset, kinds=["treaties"], scope="national")
    assert set(treaties["kind"]) == {"untoc", "trafficking_protocol"} and len(treaties) == 19  # BRN never ratified the Protocol
    out = run("timeline", "--kind", "decl")
    assert out.exit_code == 2 and "did you mean 'declaration'" in out.stderr


# --- terminal manners --------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["diff", "2011", "2015"], ["explain", "SGP"], ["status"], ["trend"], ["timeline"]])
def test_colour_only_when_wanted(command):
    coloured = run(*command, FORCE_COLOR="1", TERM="xterm-256color")
    assert coloured.exit_code == 0 and ANSI.search(coloured.stdout)
    for plain in (run(*command, FORCE_COLOR="1", NO_COLOR="1"), run(*command, "--no-color", FORCE_COLOR="1"), run(*command)):
        assert plain.exit_code == 0
        assert not ANSI.search(plain.stdout)
        assert max(len(line) for line in plain.stdout.splitlines()) <= 80


# --- plot --------------------------------------------------------------------------------------


def png_size(path):
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("kind", ["heatmap", "trend", "dimensions", "adoption"])
def test_plot_png_at_the_requested_size(tmp_path, kind):
    path = tmp_path / f"{kind}.png"
    out = run("plot", "--kind", kind, "--output", str(path), "--width", "6", "--height", "4", "--dpi", "100")
    assert out.exit_code == 0, out.output
    assert path.stat().st_size > 10_000
    assert png_size(path) == (600, 400)


def test_plot_svg_pdf_and_bad_names(tmp_path):
    svg, pdf = tmp_path / "trend.svg", tmp_path / "heat.pdf"
    assert run("plot", "--kind", "trend", "-o", str(svg)).exit_code == 0
    text = svg.read_text(encoding="utf-8")
    assert 'width="576pt" height="360pt"' in text  # 8 x 5 inches
    assert run("plot", "-o", str(pdf)).exit_code == 0 and pdf.read_bytes()[:5] == b"%PDF-"
    bad = run("plot", "-o", str(tmp_path / "x.gif"))
    assert bad.exit_code == 2 and ".png, .svg, .pdf" in bad.stderr


def test_explain_with_a_panel_is_explain_without(dataset):
    panel = score_panel(dataset, [2004, 2011], "zero")
    for year in (2004, 2011):
        a, b = explain(dataset, "SGP", year, "zero", panel), explain(dataset, "SGP", year, "zero")
        assert (a.index, a.coverage, a.rank, a.index_lo, a.index_hi) == (b.index, b.coverage, b.rank, b.index_lo, b.index_hi)
        assert a.indicators.drop(columns="rule").equals(b.indicators.drop(columns="rule"))
    # A panel of another policy or without the year is not used: scored again.
    assert explain(dataset, "SGP", 2015, "reweight", panel).index == explain(dataset, "SGP", 2015).index


def test_diff_with_a_panel_is_diff_without(dataset):
    panel = score_panel(dataset, range(2004, 2016), "zero")
    a, b = diff(dataset, 2004, 2015, missing="zero", panel=panel), diff(dataset, 2004, 2015, missing="zero")
    assert a.states.equals(b.states) and a.region.equals(b.region)
    assert a.facts.drop(columns="rule").equals(b.facts.drop(columns="rule"))
    # A panel of other years (or another policy) is not used: scored again.
    assert diff(dataset, 2011, 2015, panel=panel).states.equals(diff(dataset, 2011, 2015).states)
