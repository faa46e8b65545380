"""Bounds of indices and ranks (docs/method.md §13): by hand on the shipped data, the point value
inside its bounds in every state-year, and by brute force on small synthetic datasets (every
completion of the unknowns enumerated) that the bounds and rank ranges are attained and never
exceeded."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest

import harmon
from harmon.core.bounds import rank_range
from harmon.core.scoring import (
    aggregate, dimension_scores, dimension_weights, indicator_weights, membership_matrix, score_panel, score_year,
)


# --- by hand -----------------------------------------------------------------------------------


def test_asean_2011_bounds_by_hand(dataset):
    rows = score_year(dataset, 2011).countries
    # Malaysia (coverage 50%): law 1, UN definition ?; specialist unit, training, victim support ?;
    # MLAT 1, HSU Process ?; UNTOC 1, Protocol 1. Unknowns at 0: (50 + 0 + 50 + 100) / 4 = 50;
    # at 1: 100.
    assert (rows.loc["MYS", "index_lo"], rows.loc["MYS", "index_hi"]) == pytest.approx((50, 100))
    # Indonesia (62.5%): law 1, definition 1; specialization all ?; MLAT 1, HSU ?; treaties 1, 1.
    # Lower: (100 + 0 + 50 + 100) / 4 = 62.5.
    assert (rows.loc["IDN", "index_lo"], rows.loc["IDN", "index_hi"]) == pytest.approx((62.5, 100))
    # Thailand: specialist unit 1, training and victim support ?: specialization 1/3 to 1:
    # (100 + 33.3 + 50 + 0) / 4 = 45.83 to (100 + 100 + 50 + 0) / 4 = 62.5.
    assert (rows.loc["THA", "index_lo"], rows.loc["THA", "index_hi"]) == pytest.approx((550 / 12, 62.5))
    assert not rows["determined"].any()


def test_the_six_states_at_100_in_2011_cannot_be_told_apart(dataset):
    rows = score_year(dataset, 2011).countries
    # Each of the six can be first (nobody's lower bound exceeds 100). Worst: 1 + the others whose
    # upper bound exceeds its lower bound. Upper bounds: the five others at 100 and Brunei at 87.5
    # exceed 62.5 (Indonesia, the Philippines), 70.8 (Cambodia) and 83.3 (Lao PDR, Myanmar):
    # worst 7. Malaysia's lower bound is 50: Singapore (62.5) and Thailand (62.5) exceed it too:
    # worst 9. Viet Nam's upper bound is exactly 50: it does not.
    ranges = {iso: (rows.loc[iso, "rank_best"], rows.loc[iso, "rank_worst"]) for iso in rows.index}
    assert {iso: r for iso, r in ranges.items() if rows.loc[iso, "index"] == 100} == {
        "KHM": (1, 7), "IDN": (1, 7), "LAO": (1, 7), "MMR": (1, 7), "PHL": (1, 7), "MYS": (1, 9),
    }
    # Thailand: Cambodia (70.8), Lao PDR and Myanmar (83.3) are above its 62.5 whatever: best 4.
    assert ranges["THA"] == (4, 10)


def test_2015_and_a_determined_state_year(dataset):
    rows = score_year(dataset, 2015).countries
    # Thailand 2015: every fact known (Table 2 observed in 2015): the bounds coincide at 100.
    assert rows.loc["THA", ["index_lo", "index_hi", "determined"]].tolist() == [100, 100, True]
    # Lao PDR 2015: prosecutor training "unavailable" is the only unknown; specialist unit 1,
    # victim support 0.5: specialization (1 + 0 + 0.5) / 3 = 50 to (1 + 1 + 0.5) / 3 = 83.3, the
    # other dimensions 100: (350 / 4 =) 87.5 to 95.83; the point (reweight) 93.75 between.
    assert (rows.loc["LAO", "index_lo"], rows.loc["LAO", "index_hi"]) == pytest.approx((87.5, 95.8333333))
    assert not rows.loc["LAO", "determined"]


def test_region_bounds_2011_by_hand(dataset):
    result = score_year(dataset, 2011)
    rows = result.countries
    assert result.region["mean_lo"] == pytest.approx(rows["index_lo"].mean())
    assert result.region["mean_hi"] == pytest.approx(rows["index_hi"].mean())
    assert result.region["mean_lo"] <= result.region["mean"] <= result.region["mean_hi"]
    assert result.region["dyadic_harmonization_lo"] <= result.region["dyadic_harmonization"]
    assert result.region["dyadic_harmonization"] <= result.region["dyadic_harmonization_hi"]


@pytest.mark.parametrize("aggregation", ["arithmetic", "geometric"])
@pytest.mark.parametrize("missing", ["reweight", "zero", "backfill"])
def test_the_point_value_lies_within_its_bounds_in_every_state_year(dataset, missing, aggregation):
    panel = score_panel(dataset, range(dataset.first_year, dataset.last_year + 1), missing, aggregation)
    rows = panel.countries
    scored = rows["index"].notna()
    assert (rows.loc[scored, "index_lo"] <= rows.loc[scored, "index"] + 1e-9).all()
    assert (rows.loc[scored, "index"] <= rows.loc[scored, "index_hi"] + 1e-9).all()
    members = rows[rows["member"]]
    assert (members["rank_best"] <= members["rank"]).all() and (members["rank"] <= members["rank_worst"]).all()
    assert rows.loc[~rows["member"], "rank_best"].isna().all()
    region = panel.region
    assert ((region["mean_lo"] <= region["mean"] + 1e-9) & (region["mean"] <= region["mean_hi"] + 1e-9)).all()


def test_rank_range_formula():
    # Four states: [90, 90], [50, 95], [60, 70], [10, 20].
    best, worst = rank_range(np.array([90, 50, 60, 10.0]), np.array([90, 95, 70, 20.0]))
    # best: 1 + others whose lower bound exceeds my upper; worst: 1 + others whose upper exceeds
    # my lower.
    assert best.tolist() == [1, 1, 2, 4] and worst.tolist() == [2, 3, 3, 4]


# --- by brute force ----------------------------------------------------------------------------

REGION = "name: Test region\nperiod: {first: 2000, last: 2010, source: ref}\n"
REFERENCES = "documents:\n  doc: {author: A, title: T, year: 2000}\nreferences:\n  ref: {document: doc, locator: p. 1}\n"
MODEL = """\
name: Brute
version: "1"
levels:
  event: {"yes": 1, "no": 0, unknown: null}
  grade: {none: 0, partial: 0.5, full: 1, unknown: null}
dimensions:
  - id: first
    label: First
    weight: 2
    indicators:
      - {id: base, label: Base, kind: status, levels: grade}
      - {id: built, label: Built on base, kind: status, levels: grade, requires: base, weight: 3}
  - id: second
    label: Second
    indicators:
      - {id: act, label: Act, kind: event, levels: event}
"""
GRADE = (0.0, 0.5, 1.0)
EVENT = (0.0, 1.0)


def _fact(rng: random.Random, event: bool) -> str:
    year = rng.randint(2001, 2009)
    if event:
        return rng.choice([f'{{status: "yes", year: {year}, source: ref}}', f'{{status: "no", observed: {year}, source: ref}}',
                           "{status: unknown, source: ref}", f'{{status: "yes", observed: {year}, source: ref}}'])
    status = rng.choice(["none", "partial", "full"])
    other = rng.choice(["none", "partial", "full"])
    return rng.choice([
        f"{{status: {status}, observed: {year}, source: ref}}", f"{{status: {status}, year: {year}, source: ref}}",
        "{status: unknown, source: ref}",
        # A history with a bracket between two observations.
        f"\n    - {{status: {status}, observed: {year - 1}, source: ref}}\n    - {{status: {other}, observed: {year + 1}, source: ref}}",
    ])


def _random_dataset(root: Path, seed: int) -> harmon.Dataset:
    rng = random.Random(seed)
    (root / "countries").mkdir(parents=True)
    (root / "indicators").mkdir()
    (root / "region.yaml").write_text(REGION)
    (root / "references.yaml").write_text(REFERENCES)
    (root / "indicators" / "model.yaml").write_text(MODEL)
    for k, (name, iso) in enumerate([("Aland", "ALA"), ("Borduria", "BOR"), ("Carpania", "CAR")]):
        facts = "".join(f"  {i}: {_fact(rng, i == 'act')}\n" for i in ("base", "built", "act"))
        since = 2000 + (3 if k == 2 and rng.random() < 0.5 else 0)
        (root / "countries" / f"{name.lower()}.yaml").write_text(
            f"country: {name}\niso3: {iso}\nmember_since: {since}\nmembership_source: ref\nfacts:\n{facts}"
        )
    return harmon.load_dataset(root)


def _completions(recorded: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> list[np.ndarray]:
    """Every completion of one state-year's scores: an unknown score takes every level of its
    scale within its bounds; then `built` is 0 wherever `base` is 0 (it requires it)."""
    choices = []
    for k, scale in enumerate((GRADE, GRADE, EVENT)):
        if not np.isnan(recorded[k]):
            choices.append([recorded[k]])
        else:
            choices.append([v for v in scale if lower[k] - 1e-12 <= v <= upper[k] + 1e-12])
    out = []
    for combo in itertools.product(*choices):
        values = np.array(combo, dtype=float)
        if values[0] == 0:
            values[1] = 0.0
        out.append(values)
    return out


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("aggregation", ["arithmetic", "geometric"])
def test_bounds_and_rank_ranges_are_attained_and_never_exceeded(tmp_path, seed, aggregation):
    data = _random_dataset(tmp_path / "d", seed)
    model = data.model
    panel = score_panel(data, [2002, 2004, 2006, 2008], "reweight", aggregation)
    w, v, m = indicator_weights(model), dimension_weights(model), membership_matrix(model)
    for year in panel.years:
        possible: dict[str, list[float]] = {}
        for country in data.countries:
            key = (country.iso3, year)
            completions = np.array(_completions(*(f.loc[key].to_numpy(dtype=float) for f in (
                panel.countries[list(panel.indicators)], panel.lower, panel.upper))))
            indices = aggregate(dimension_scores(completions, w, m), v, aggregation)
            row = panel.countries.loc[key]
            assert indices.min() == pytest.approx(row["index_lo"]) and indices.max() == pytest.approx(row["index_hi"])
            if row["member"]:
                possible[country.iso3] = sorted(set(np.round(indices, 9)))
        isos = list(possible)
        extremes = {iso: [np.inf, -np.inf] for iso in isos}
        for combo in itertools.product(*(possible[i] for i in isos)):
            for k, iso in enumerate(isos):
                place = 1 + sum(other > combo[k] for other in combo)
                extremes[iso] = [min(extremes[iso][0], place), max(extremes[iso][1], place)]
        for iso in isos:
            row = panel.countries.loc[(iso, year)]
            assert [row["rank_best"], row["rank_worst"]] == extremes[iso], (seed, year, iso)


# --- real change apart from new observations ---------------------------------------------------


def test_diff_2014_2015_tells_real_change_from_new_observations(dataset):
    from harmon.core.diff import diff

    result = diff(dataset, 2014, 2015)
    states = result.states.set_index("iso3")
    # Table 2's facts were first observed in 2015: no law changed anywhere but in Singapore, so no
    # state has a real fall; Brunei's point index drops 4.2 only because its Table 2 facts became
    # known (its range narrowed).
    assert (states["real_change"] >= 0).all()
    assert states.loc["BRN", "change"] == pytest.approx(-25 / 6)
    assert states.loc["BRN", "real_change"] == 0 and states.loc["BRN", "observed_change"] == pytest.approx(-25 / 6)
    kinds = result.facts.set_index(["iso3", "indicator"])["kind"]
    assert set(kinds.xs("BRN")) == {"observed"}
    # Singapore: law and Protocol in 2015 are real changes. Its 2014 index with both: law 1 and
    # the UN definition 0 (2014: no law yet) -> 50; specialization unknown; MLAT 1, HSU unknown
    # -> 100; UNTOC 1, Protocol 1 -> 100: (50 + 100 + 100) / 3 = 83.3, against 50 in 2014.
    assert states.loc["SGP", "real_change"] == pytest.approx(100 / 3)
    assert kinds["SGP", "trafficking_law"] == "change" and kinds["SGP", "specialist_unit"] == "observed"
    assert kinds["SGP", "un_definition"] == "unobserved"  # no longer known absent: the law exists
    # The region: the mean's real change is Singapore's tenth; its point change is a fall.
    region = result.region.set_index("measure")
    assert region.loc["mean", "change"] == pytest.approx(-1.25)
    assert region.loc["mean", "real_change"] == pytest.approx(10 / 3)
    assert list(result.states["iso3"][:1]) == ["SGP"]


def test_change_kind_formula():
    from harmon.core.diff import change_kinds as change_kind

    assert change_kind(0, 1, 0.5, 0.5) == "observed" and change_kind(0.5, 0.5, 0, 1) == "unobserved"
    assert change_kind(0, 0, 1, 1) == "change" and change_kind(1, 1, 0, 0) == "change"
    assert change_kind(0, 1, 0.5, 1) == "observed" and change_kind(0.5, 1, 0, 0.5) == "change"


# --- figures -----------------------------------------------------------------------------------


def test_the_trend_figure_draws_the_mean_range_as_its_band(dataset):
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection

    from harmon.core.scoring import score_panel
    from harmon.report.plot import figure

    fig = figure(dataset, "trend", first=2010, last=2015)
    try:
        ax = fig.axes[0]
        (band,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
        assert band.get_label() == "range of the mean the recorded facts allow"
        ys = band.get_paths()[0].vertices[:, 1]
        region = score_panel(dataset, range(2010, 2016)).region
        # The band's edges are the mean's bounds, within 0-100 without clipping.
        assert ys.min() == pytest.approx(region["mean_lo"].min()) and ys.max() == pytest.approx(region["mean_hi"].max())
    finally:
        plt.close(fig)


def test_the_heatmap_dots_undetermined_state_years(dataset):
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from harmon.core.scoring import score_panel
    from harmon.report.plot import figure

    fig = figure(dataset, "heatmap", first=2015, last=2015)
    try:
        (dots,) = fig.axes[0].collections[-1:]
        panel = score_panel(dataset, [2015])
        undetermined = (~panel.countries["determined"] & panel.countries["member"]).sum()
        # 2015: Cambodia, Lao PDR, Malaysia, Singapore and Viet Nam have an open range (by hand,
        # test_2015_and_a_determined_state_year and its neighbours).
        assert len(dots.get_offsets()) == undetermined == 5
    finally:
        plt.close(fig)
