"""The formulas of docs/method.md against numbers computed by hand from the data."""

from __future__ import annotations

import itertools
import statistics

import numpy as np
import pandas as pd
import pytest

import harmon
from harmon.core.region import dyadic_by_indicator
from harmon.core.scoring import score_panel, score_year

E_MAIN = 1 / 8  # effective weight of an indicator in a two-indicator dimension: 1/2 x 1/4
E_SPEC = 1 / 12  # ... in the three-indicator specialization dimension: 1/3 x 1/4


def row(result, iso3):
    return result.countries.loc[iso3]


def test_mlat_dyadic_share_2011_is_36_of_45(dataset):
    result = score_year(dataset, 2011)
    assert result.dyadic_by_indicator["mlat"] == pytest.approx(36 / 45 * 100)  # 80%


def test_thailand_2011_by_hand(dataset):
    # law 2008 -> 1, UN definition observed 2011 -> 1; specialist unit since 2004 -> 1, training
    # and victim support known only from 2015 -> missing; MLAT 2013 -> 0, HSU 2004 -> 1;
    # UNTOC and Protocol 2013 -> 0, 0.
    tha = row(score_year(dataset, 2011), "THA")
    assert (tha["criminalization"], tha["specialization"], tha["regional"], tha["treaties"]) == (100, 100, 50, 0)
    assert tha["index"] == pytest.approx((100 + 100 + 50 + 0) / 4)
    assert tha["coverage"] == pytest.approx(1 - 2 * E_SPEC)
    assert np.isnan(tha["prosecutor_training"]) and np.isnan(tha["victim_support"])


def test_brunei_2015_by_hand(dataset):
    brn = row(score_year(dataset, 2015), "BRN")
    assert brn["specialization"] == pytest.approx(100 * (1 + 0 + 1) / 3)
    assert brn["treaties"] == pytest.approx(50)  # UNTOC yes, Protocol not ratified
    assert brn["index"] == pytest.approx((100 + 200 / 3 + 100 + 50) / 4)
    assert brn["coverage"] == pytest.approx(1.0)


def test_singapore_2015_reweight_and_zero(dataset):
    # UN definition unknown; unit no, training unavailable, victim support limited.
    sgp = row(score_year(dataset, 2015), "SGP")
    assert sgp["criminalization"] == 100
    assert sgp["specialization"] == pytest.approx(100 * (0 + 0.5) / 2)
    assert sgp["index"] == pytest.approx((100 + 25 + 100 + 100) / 4)
    assert sgp["coverage"] == pytest.approx(1 - E_MAIN - E_SPEC)
    zero = row(score_year(dataset, 2015, missing="zero"), "SGP")
    assert zero["criminalization"] == pytest.approx(50)
    assert zero["specialization"] == pytest.approx(100 * 0.5 / 3)
    assert zero["index"] == pytest.approx((50 + 50 / 3 + 100 + 100) / 4)
    assert zero["coverage"] == pytest.approx(sgp["coverage"])  # coverage is what was observed
    assert np.isnan(zero["un_definition"])  # the recorded score stays unknown


def test_unknown_is_not_zero_before_observation(dataset):
    # The Philippines' specialist unit is known only from 2015: unknown in 2011, not 0.
    phl = row(score_year(dataset, 2011), "PHL")
    assert np.isnan(phl["specialist_unit"]) and np.isnan(phl["specialization"])
    # An event is known absent before its year: Singapore's law (2015) scores 0 in 2011.
    assert row(score_year(dataset, 2011), "SGP")["trafficking_law"] == 0
    # HSU participation with no joining year: absent before 2004, unknown 2004-2014, 1 in 2015.
    brn = [row(score_year(dataset, y), "BRN")["hsu_process"] for y in (2003, 2004, 2014, 2015)]
    assert brn[0] == 0 and np.isnan(brn[1]) and np.isnan(brn[2]) and brn[3] == 1


def test_region_2015_mean_dispersion_by_hand(dataset):
    result = score_year(dataset, 2015)
    by_hand = {
        "KHM": 100, "PHL": 100, "THA": 100, "IDN": (100 + 250 / 3 + 200) / 4, "VNM": (100 + 250 / 3 + 200) / 4,
        "LAO": (100 + 75 + 200) / 4, "MYS": (100 + 50 + 200) / 4, "MMR": (100 + 50 + 200) / 4,
        "SGP": (100 + 25 + 200) / 4, "BRN": (100 + 200 / 3 + 100 + 50) / 4,
    }
    assert result.countries["index"].to_dict() == pytest.approx(by_hand)
    assert result.region["members"] == 10
    assert result.region["mean"] == pytest.approx(statistics.fmean(by_hand.values()))
    assert result.region["dispersion"] == pytest.approx(statistics.pstdev(by_hand.values()))


def test_dyadic_harmonization_2011_by_hand(dataset):
    result = score_year(dataset, 2011)
    shares = {  # states with the provision by 2011 among those observed; C(k,2)/C(n,2)
        # UN definition: six states observed with it; Singapore and Viet Nam, whose laws came in
        # 2015 and 2012, known without it (it requires the law): C(6,2)/C(8,2).
        "trafficking_law": 28 / 45, "un_definition": 15 / 28, "specialist_unit": 1.0, "mlat": 36 / 45,
        "hsu_process": 1.0, "untoc": 28 / 45, "trafficking_protocol": 15 / 45,
    }
    for indicator, share in shares.items():
        assert result.dyadic_by_indicator[indicator] == pytest.approx(100 * share), indicator
    assert result.dyadic_by_indicator["prosecutor_training"] is None  # nobody observed in 2011
    weights = {i: E_SPEC if i == "specialist_unit" else E_MAIN for i in shares}
    expected = sum(100 * shares[i] * weights[i] for i in shares) / sum(weights.values())
    assert result.region["dyadic_harmonization"] == pytest.approx(expected)


def test_prosecutor_training_dyadic_2015_by_hand(dataset):
    # observed: 0, 0, 0.5, 1, 1, 1, 1 -> sum over 21 pairs of the minimum = 0.5*4 + 1*3 + 1*2 + 1*1 = 8
    assert score_year(dataset, 2015).dyadic_by_indicator["prosecutor_training"] == pytest.approx(800 / 21)


@pytest.mark.parametrize("seed", range(5))
def test_dyadic_sort_formula_equals_the_pairwise_definition(seed):
    rng = np.random.default_rng(seed)
    scores = rng.choice([0, 0.5, 1, np.nan], size=(12, 6))
    fast = dyadic_by_indicator(scores)
    for k in range(scores.shape[1]):
        observed = scores[~np.isnan(scores[:, k]), k]
        pairs = [min(a, b) for a, b in itertools.combinations(observed, 2)]
        expected = 100 * np.mean(pairs) if pairs else np.nan
        np.testing.assert_allclose(fast[k], expected)


def test_membership_by_year(dataset):
    panel = score_panel(dataset, range(1997, 2000))
    members = panel.countries["member"].unstack("year")
    assert not members.loc["KHM", 1997] and not members.loc["KHM", 1998] and members.loc["KHM", 1999]
    assert members.loc["LAO", 1997] and members.loc["MMR", 1997] and members.loc["VNM", 1997]
    assert panel.region["members"].to_dict() == {1997: 9, 1998: 9, 1999: 10}
    ranks = panel.countries["rank"].unstack("year")
    assert pd.isna(ranks.loc["KHM", 1997]) and not pd.isna(ranks.loc["KHM", 1999])
    # Non-members do not count in the region: 1997 mean over the nine members only.
    in_1997 = panel.countries.xs(1997, level="year")
    assert panel.region.loc[1997, "mean"] == pytest.approx(in_1997.loc[in_1997["member"], "index"].mean())


def test_ties_share_a_rank(dataset):
    ranks = score_year(dataset, 2011).countries["rank"].to_dict()
    assert {iso for iso, r in ranks.items() if r == 1} == {"KHM", "IDN", "LAO", "MYS", "MMR", "PHL"}
    assert ranks["BRN"] == 7 and ranks["THA"] == 8 and ranks["VNM"] == 10


def test_score_year_rejects_years_outside_the_data(dataset):
    for year in (1996, 2016):
        with pytest.raises(harmon.YearOutOfRange):
            score_year(dataset, year)
    with pytest.raises(harmon.InvalidOption):
        score_year(dataset, 2011, missing="guess")


def test_panel_rows_equal_single_years(dataset):
    panel = score_panel(dataset, [2004, 2011])
    single = score_year(dataset, 2011).countries
    pd.testing.assert_frame_equal(
        panel.countries.xs(2011, level="year").loc[single.index], single, check_dtype=False
    )


def test_thailand_2011_under_missing_zero_matches_method_md(dataset):
    tha = row(score_year(dataset, 2011, missing="zero"), "THA")
    assert tha["specialization"] == pytest.approx(100 / 3)
    assert tha["index"] == pytest.approx((100 + 100 / 3 + 50 + 0) / 4)  # 45.8
