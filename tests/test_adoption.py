"""Adoption over time, checked by hand against the country files: the curves, the windows around
milestones and the event-history table (docs/method.md, "Adoption" and "Diffusion")."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from harmon.core.adoption import (
    Adoption, adoption, adoption_curves, adoptions, at_risk, milestone_ids, milestones, windows,
)
from harmon.errors import BadValue, InvalidOption


@pytest.fixture(scope="module")
def result(dataset):
    return adoption(dataset)


def test_milestone_ids_are_kind_and_year_and_unique(dataset):
    ids = milestone_ids(dataset)
    assert ids[:2] == ["vision-1997", "declaration-1997"]
    assert "declaration-2004" in ids and "convention-2015" in ids
    assert {"report-2006", "report-2007", "report-2011"} <= set(ids)
    assert len(set(ids)) == len(ids)


def test_the_paper_milestones_are_recorded(dataset):
    # Lau §2.2 and note 11: ASEAN Vision 2020, Kuala Lumpur, 15 December 1997, the first ASEAN
    # policy document on trafficking; §2.2/§3.2: the Secretariat's progress reports of 2006, 2007, 2011.
    (vision,) = milestones(dataset, ["vision-1997"])
    assert vision.date == "1997-12-15" and "Vision 2020" in vision.title
    assert [m.year for m in milestones(dataset) if m.kind == "report"] == [2006, 2007, 2011]


def test_unknown_milestone_suggests_the_closest(dataset):
    with pytest.raises(InvalidOption, match="unknown milestone 'declaration-2005' \\(did you mean 'declaration-2004'"):
        milestones(dataset, ["declaration-2005"])


def test_untoc_curve_from_table4(result):
    # Table 4's UNTOC years: PHL 2002, LAO 2003, MYS 2004, MMR 2004, KHM 2005, SGP 2007, BRN 2008,
    # IDN 2009, VNM 2012, THA 2013. Members: 9 in 1997-1998 (Cambodia joins in 1999), then 10.
    curve = adoption_curves(result)
    untoc = curve[curve["indicator"] == "untoc"].set_index("year")
    expected = {1997: (0, 9), 2001: (0, 10), 2002: (1, 10), 2003: (2, 10), 2004: (4, 10), 2005: (5, 10),
                2006: (5, 10), 2007: (6, 10), 2008: (7, 10), 2009: (8, 10), 2011: (8, 10), 2012: (9, 10),
                2013: (10, 10), 2015: (10, 10)}
    for year, (adopted, members) in expected.items():
        assert (untoc.loc[year, "adopted"], untoc.loc[year, "known"], untoc.loc[year, "members"]) == (adopted, members, members)
        assert untoc.loc[year, "share"] == pytest.approx(adopted / members)


def test_prosecutor_training_2015_five_of_seven(dataset, result):
    # Lau §4.2.2: "Five out of seven ASEAN countries which provide available information".
    row = adoption_curves(result).set_index(["indicator", "year"]).loc[("prosecutor_training", 2015)]
    assert (row["adopted"], row["known"], row["members"]) == (5, 7, 10)
    full = adoption_curves(adoption(dataset, adopted_at=1)).set_index(["indicator", "year"])
    assert full.loc[("prosecutor_training", 2015), "adopted"] == 4
    # Nobody's training is known before Table 2's year: unknown, not 0 of 10.
    before = adoption_curves(result).set_index(["indicator", "year"]).loc[("prosecutor_training", 2014)]
    assert before["known"] == 0 and math.isnan(before["share"])


def test_windows_around_the_2004_declaration(dataset, result):
    # Trafficking laws (Table 1): PHL 2003; BRN 2004, LAO 2004; MMR 2005, IDN 2007, MYS 2007;
    # later KHM 2008, THA 2008, VNM 2012, SGP 2015. UNTOC: see above. Protocol: PHL 2002, LAO 2003,
    # MMR 2004, KHM 2007 (the others 2009 or later). MLAT: MYS, SGP, VNM 2005, BRN 2006, LAO 2007.
    # HSU Process: the four founders in 2004; its other members' years are unknown (undated).
    table = windows(result, milestones(dataset, ["declaration-2004"]), 3).set_index("indicator", drop=False)
    assert tuple(table.loc["trafficking_law", ["before", "same_year", "after", "undated"]]) == (1, 2, 3, 0)
    assert tuple(table.loc["untoc", ["before", "same_year", "after"]]) == (2, 2, 2)
    assert tuple(table.loc["trafficking_protocol", ["before", "same_year", "after"]]) == (2, 1, 1)
    assert tuple(table.loc["mlat", ["before", "same_year", "after"]]) == (0, 0, 5)
    assert tuple(table.loc["hsu_process", ["before", "same_year", "after", "undated"]]) == (0, 4, 0, 6)
    total = table[table["indicator"].isna()].iloc[0]
    assert (total["before"], total["same_year"], total["after"]) == (5, 9, 11)
    # A window of one year: 2003 and 2005 only.
    one = windows(result, milestones(dataset, ["declaration-2004"]), 1).set_index("indicator", drop=False)
    assert tuple(one.loc["trafficking_law", ["before", "same_year", "after"]]) == (1, 2, 1)


def test_window_must_be_positive(dataset, result):
    with pytest.raises(BadValue, match="window must be at least 1"):
        windows(result, milestones(dataset), 0)


def test_events_cambodia_untoc_row_by_row(result):
    # Cambodia joined in 1999 and ratified UNTOC in 2005: at risk 1999-2005, seven rows.
    # The share of the other members that had adopted the year before: by 2002 the Philippines
    # (1 of 9 others), by 2003 also Lao PDR (2/9), by 2004 also Malaysia and Myanmar (4/9).
    events = at_risk(result)
    khm = events[(events["iso3"] == "KHM") & (events["indicator"] == "untoc")]
    assert list(khm["year"]) == [1999, 2000, 2001, 2002, 2003, 2004, 2005]
    assert list(khm["time"]) == [1, 2, 3, 4, 5, 6, 7] and set(khm["entry"]) == {1999}
    assert list(khm["adopted"]) == [0, 0, 0, 0, 0, 0, 1]
    assert list(khm["unknown"]) == [0] * 7 and list(khm["score"]) == [0, 0, 0, 0, 0, 0, 1]
    assert list(khm["adoption_year_known"]) == [1] * 7
    assert list(khm["share_adopted_before"]) == pytest.approx([0, 0, 0, 0, 1 / 9, 2 / 9, 4 / 9])


def test_events_unknown_adoption_year_is_marked(result):
    # Indonesia's limited prosecutor training is observed in 2015 only (Table 2): at risk
    # 1997-2015, unknown in every year before 2015, adopted in 2015 at the earliest known, and
    # its adoption year is flagged as not known.
    events = at_risk(result)
    idn = events[(events["iso3"] == "IDN") & (events["indicator"] == "prosecutor_training")]
    assert list(idn["year"]) == list(range(1997, 2016))
    assert list(idn["unknown"]) == [1] * 18 + [0]
    assert list(idn["adopted"]) == [0] * 18 + [1]
    assert idn["score"].iloc[-1] == 0.5 and idn["score"].iloc[:-1].isna().all()
    assert list(idn["adoption_year_known"]) == [0] * 19
    # Lao PDR's training is unavailable: at risk every year, always unknown, never adopted (censored).
    lao = events[(events["iso3"] == "LAO") & (events["indicator"] == "prosecutor_training")]
    assert len(lao) == 19 and lao["unknown"].all() and not lao["adopted"].any()
    assert lao["adoption_year_known"].isna().all()


def test_adoptions_count_dated_and_undated(result):
    done = adoptions(result)
    untoc = done[done["indicator"] == "untoc"]
    assert len(untoc) == 10 and untoc["year_known"].all()
    training = done[done["indicator"] == "prosecutor_training"]
    assert sorted(training["iso3"]) == ["IDN", "KHM", "PHL", "THA", "VNM"] and not training["year_known"].any()


def test_adopted_before_at_risk_has_no_rows(dataset):
    # Asked from 2005 on, the Philippines' 2003 law was adopted before it was at risk: no rows;
    # Myanmar's 2005 law is adopted in the first year, its score in 2004 known to be 0: dated.
    events = at_risk(adoption(dataset, 2005, 2015))
    law = events[events["indicator"] == "trafficking_law"]
    assert "PHL" not in set(law["iso3"])
    mmr = law[law["iso3"] == "MMR"]
    assert list(mmr["year"]) == [2005] and list(mmr["adoption_year_known"]) == [1]


def test_events_with_a_membership_gap_by_hand():
    # Three states, the years 2000-2004 (position 0 is 1999), one indicator. A: a member in 2000,
    # 2001, then suspended in 2002, a member again in 2003 and 2004; it adopts in 2003 (its 2002
    # score, in the gap, is known to be 0): rows 2000, 2001, 2003, time 1, 2, 3, dated. B: joins in
    # 2001, unknown in 2001-2002, adopts in 2003 after an unknown year: undated. C: never a member.
    nan = np.nan
    scores = np.array([
        [[0.0], [0.0], [0.0], [0.0], [1.0], [1.0]],  # A: 1999..2004
        [[0.0], [0.0], [nan], [nan], [0.5], [1.0]],  # B
        [[0.0], [1.0], [1.0], [1.0], [1.0], [1.0]],  # C
    ])
    member = np.array([
        [True, True, True, False, True, True],
        [False, False, True, True, True, True],
        [False] * 6,
    ])
    by = np.where(np.maximum.accumulate(scores > 0, axis=1), 1.0, np.where(np.isnan(scores), nan, 0.0))
    result = Adoption(tuple(range(2000, 2005)), ("law",), ("AAA", "BBB", "CCC"), ("A", "B", "C"), scores, member, by, None)
    events = at_risk(result)
    assert list(events["iso3"]) == ["AAA"] * 3 + ["BBB"] * 3
    assert list(events["year"]) == [2000, 2001, 2003, 2001, 2002, 2003]
    assert list(events["entry"]) == [2000] * 3 + [2001] * 3
    assert list(events["time"]) == [1, 2, 3, 1, 2, 3]
    assert list(events["adopted"]) == [0, 0, 1, 0, 0, 1]
    assert list(events["unknown"]) == [0, 0, 0, 1, 1, 0]
    assert list(events["adoption_year_known"]) == [1, 1, 1, 0, 0, 0]
    # The other members the year before, those whose adoption by then is known: A in 2000 and
    # 2001 has none (1999 and 2000: A alone); B in 2001 and 2002 has A, known not to have adopted
    # (0/1); in 2003 (2002: B alone, A suspended) neither has any.
    shares = events["share_adopted_before"].to_numpy()
    assert np.isnan(shares[[0, 1, 2, 5]]).all() and list(shares[[3, 4]]) == [0.0, 0.0]


@pytest.mark.parametrize("first,last", [(None, None), (2005, 2015), (1997, 1997)])
def test_adoption_from_a_panel_is_adoption_scored_again(dataset, first, last, monkeypatch):
    # The events shape takes the panel's recorded scores (and its year before) instead of scoring
    # the period again: the same table either way.
    import harmon.core.adoption as module
    from harmon.core.scoring import score_panel

    first_, last_ = dataset.check_period(first, last)
    panel = score_panel(dataset, range(first_, last_ + 1), "zero")  # the policy does not touch recorded scores
    assert panel.recorded_before.shape == (len(dataset.countries), len(dataset.model.indicators))
    again = adoption(dataset, first, last)
    monkeypatch.setattr(module, "indicator_scores", None)  # not scored again
    reused = adoption(dataset, first, last, panel=panel)
    np.testing.assert_array_equal(reused.scores, again.scores)
    pd.testing.assert_frame_equal(at_risk(reused), at_risk(again))


def test_events_table_is_stable(result):
    a, b = at_risk(result), at_risk(result)
    pd.testing.assert_frame_equal(a, b)


# --- the events export -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def events_csv(tmp_path_factory):
    from typer.testing import CliRunner

    from harmon.cli import app

    path = tmp_path_factory.mktemp("events") / "events.csv"
    done = CliRunner().invoke(app, ["export", "--shape", "events", "-o", str(path)])
    assert done.exit_code == 0, done.output
    return path


def test_events_export_rows_by_hand(events_csv):
    frame = pd.read_csv(events_csv, comment="#")
    khm = frame[(frame["iso3"] == "KHM") & (frame["indicator"] == "untoc")]
    assert list(khm["year"]) == list(range(1999, 2006)) and list(khm["adopted"]) == [0] * 6 + [1]
    # Years since the 2004 Declaration: 1999 - 2004 = -5, ..., 2005 - 2004 = 1.
    assert list(khm["since_declaration_2004"]) == [-5, -4, -3, -2, -1, 0, 1]
    assert list(khm["since_vision_1997"]) == list(range(2, 9))
    assert list(khm["share_adopted_before"].round(4)) == [0, 0, 0, 0, 0.1111, 0.2222, 0.4444]
    idn = frame[(frame["iso3"] == "IDN") & (frame["indicator"] == "prosecutor_training")]
    assert len(idn) == 19 and idn["unknown"].sum() == 18 and idn["score"].isna().sum() == 18
    assert list(idn["adoption_year_known"].unique()) == [0]
    # A censored state: the adoption year column is empty.
    lao = frame[(frame["iso3"] == "LAO") & (frame["indicator"] == "prosecutor_training")]
    assert lao["adoption_year_known"].isna().all()


def test_events_fit_a_discrete_time_hazard_model(events_csv):
    # What a diffusion study does next: a logit of adoption on time at risk and the share of the
    # other members that had adopted, on the rows whose score is known. It must load and fit as is.
    import statsmodels.formula.api as smf

    frame = pd.read_csv(events_csv, comment="#")
    known = frame[(frame["unknown"] == 0) & frame["share_adopted_before"].notna()]
    fit = smf.logit("adopted ~ share_adopted_before + time", data=known).fit(disp=False)
    assert fit.nobs == len(known) > 300
    assert set(fit.params.index) == {"Intercept", "share_adopted_before", "time"}
    assert all(math.isfinite(v) for v in fit.params) and all(math.isfinite(v) for v in fit.bse)
    assert fit.mle_retvals["converged"]


def test_events_in_the_data_package_and_codebook(dataset, tmp_path):
    import json

    from harmon.report.codebook import codebook_markdown
    from harmon.report.datapackage import write_datapackage

    folder = write_datapackage(dataset, tmp_path / "pkg")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    assert events["schema"]["primaryKey"] == ["iso3", "indicator", "year"]
    assert (folder / "events.csv").exists()
    text = codebook_markdown(dataset, shape="events")
    assert "`share_adopted_before`" in text and "`since_declaration_2004`" in text and "its unknown years are marked" in text
