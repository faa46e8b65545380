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
    # The trend's markdown table gives both ranges, as the score table does.
    from harmon.core.trend import trend
    from harmon.report.render import render
    from harmon.report.text import range_text

    row = next(line for line in render("trend", "markdown", trend(dataset, 2010, 2012), dataset).splitlines()
               if line.startswith("| 2011 |"))
    for figure in ("mean", "dyadic_harmonization"):
        assert f"| {range_text(result.region[f'{figure}_lo'], result.region[f'{figure}_hi'])} |" in row


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


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("aggregation", ["arithmetic", "geometric"])
@pytest.mark.parametrize("missing", ["reweight", "zero", "backfill"])
def test_every_point_value_lies_within_its_bounds_whatever_the_brackets(tmp_path, seed, aggregation, missing):
    # The random datasets hold histories bracketed between two observations, whose range can
    # exclude the mean that leaving a score out would give it (docs/method.md §13).
    data = _random_dataset(tmp_path / "d", seed)
    panel = score_panel(data, range(2000, 2011), missing, aggregation)
    rows, model = panel.countries, data.model
    w, m = indicator_weights(model), membership_matrix(model)
    scored = rows["index"].notna()
    assert (rows.loc[scored, "index_lo"] <= rows.loc[scored, "index"] + 1e-9).all()
    assert (rows.loc[scored, "index"] <= rows.loc[scored, "index_hi"] + 1e-9).all()
    dims_lo, dims_hi = (dimension_scores(b.to_numpy(dtype=float), w, m) for b in (panel.lower, panel.upper))
    dims = rows[list(panel.dimensions)].to_numpy(dtype=float)
    known = ~np.isnan(dims)
    assert (dims_lo[known] <= dims[known] + 1e-9).all() and (dims[known] <= dims_hi[known] + 1e-9).all()
    region = panel.region
    for figure in ("mean", "dyadic_harmonization"):
        values = region[figure].dropna()
        assert (region.loc[values.index, f"{figure}_lo"] <= values + 1e-9).all(), figure
        assert (values <= region.loc[values.index, f"{figure}_hi"] + 1e-9).all(), figure
    if missing == "zero":  # every unknown at its lowest: the lower bound itself
        assert np.allclose(rows["index"], rows["index_lo"])


BRACKETS_MODEL = """\
name: Brackets
version: "1"
levels:
  grade: {none: 0, partial: 0.5, full: 1, unknown: null}
dimensions:
  - {id: a, label: A, indicators: [{id: x, label: X, kind: status, levels: grade}]}
  - id: b
    label: B
    indicators:
      - {id: y, label: Y, kind: status, levels: grade}
      - {id: z, label: Z, kind: status, levels: grade}
"""


@pytest.fixture()
def brackets(tmp_path) -> harmon.Dataset:
    """Two states. Sahel: x none and z full since 2000; y partial observed 2002 and full observed
    2006, so that in 2003-2005 y lies between 0.5 and 1. Tundra: x and y full since 2000, z
    partial observed 2002 then none observed 2006 (2003-2005: between 0 and 0.5)."""
    root = tmp_path / "brackets"
    (root / "countries").mkdir(parents=True)
    (root / "indicators").mkdir()
    (root / "region.yaml").write_text(REGION)
    (root / "references.yaml").write_text(REFERENCES)
    (root / "indicators" / "model.yaml").write_text(BRACKETS_MODEL)
    head = "member_since: 2000\nmembership_source: ref\nfacts:\n"
    (root / "countries" / "sahel.yaml").write_text(
        "country: Sahel\niso3: SAH\n" + head
        + "  x: {status: none, year: 2000, source: ref}\n  z: {status: full, year: 2000, source: ref}\n"
        + "  y:\n    - {status: partial, observed: 2002, source: ref}\n    - {status: full, observed: 2006, source: ref}\n")
    (root / "countries" / "tundra.yaml").write_text(
        "country: Tundra\niso3: TUN\n" + head
        + "  x: {status: full, year: 2000, source: ref}\n  y: {status: full, year: 2000, source: ref}\n"
        + "  z:\n    - {status: partial, observed: 2002, source: ref}\n    - {status: none, observed: 2006, source: ref}\n")
    return harmon.load_dataset(root)


def test_a_left_out_score_is_kept_within_its_bracket_by_hand(brackets):
    # 2004, reweight. Sahel: D_a = 0; in b, z = 1 is known and y in [0.5, 1]: leaving y out gives
    # it b's mean of the known, 1, inside its bracket: D_b = 100, index (0 + 100)/2 = 50, within
    # [(0 + 75)/2, (0 + 100)/2] = [37.5, 50]. Tundra: D_a = 100; in b, y = 1 known and z in
    # [0, 0.5]: leaving z out would give it 1, outside; it takes 0.5, the nearest its bracket
    # allows: D_b = (1 + 0.5)/2 = 75 (not 100), index (100 + 75)/2 = 87.5 = its upper bound
    # (100 + 75)/2; its lower bound is (100 + 50)/2 = 75.
    year = score_year(brackets, 2004)
    sah, tun = year.countries.loc["SAH"], year.countries.loc["TUN"]
    assert (sah["a"], sah["b"], sah["index"], sah["index_lo"], sah["index_hi"]) == pytest.approx((0, 100, 50, 37.5, 50))
    assert (tun["a"], tun["b"], tun["index"], tun["index_lo"], tun["index_hi"]) == pytest.approx((100, 75, 87.5, 75, 87.5))
    # Under zero every unknown takes its lowest level: Sahel's y 0.5 (D_b 75), Tundra's z 0.
    zero = score_year(brackets, 2004, "zero").countries
    assert (zero.loc["SAH", "index"], zero.loc["TUN", "index"]) == pytest.approx((37.5, 75))
    # Dyadic, reweight: x's pair min(0, 1) = 0; y and z are each observed in one state only, so
    # no pair is observed: their shares are unknown, and the mean of the known shares, 0, lies
    # below both their lower bounds (y: min(0.5, 1) = 50; z: min(1, 0) = 0). So y and z count at
    # 50 and 0: dyadic = (1/2 x 0 + 1/4 x 50 + 1/4 x 0) = 12.5, its lower bound.
    region = year.region
    assert region["dyadic_harmonization"] == pytest.approx(12.5)
    assert (region["dyadic_harmonization_lo"], region["dyadic_harmonization_hi"]) == pytest.approx((12.5, 37.5))
    assert year.dyadic_by_indicator["y"] is None and year.dyadic_by_indicator["x"] == 0


def test_a_dimension_with_nothing_known_is_kept_within_its_bounds_by_hand(brackets):
    # Sahel with no fact for z: in 2004 b holds y in [0.5, 1] and z unknown on [0, 1], nothing
    # known. Leaving b out gives it the index of the others, a's 0; b's scores take that mean
    # kept within their bounds, y 0.5 and z 0: D_b = 25, index (0 + 25)/2 = 12.5 = the lower
    # bound; the upper is (0 + 100)/2 = 50. Geometric: the floored mean of a, 1 point (0.01),
    # gives y 0.5 and z 0.01: D_b = 25.5, index 100 x sqrt(0.01 x 0.255) = 5.05, within
    # [100 x sqrt(0.01 x 0.25), 100 x sqrt(0.01 x 1)] = [5, 10].
    path = brackets.root / "countries" / "sahel.yaml"
    path.write_text(path.read_text().replace("  z: {status: full, year: 2000, source: ref}\n", ""))
    data = harmon.load_dataset(brackets.root)
    sah = score_year(data, 2004).countries.loc["SAH"]
    assert (sah["a"], sah["b"], sah["index"], sah["index_lo"], sah["index_hi"]) == pytest.approx((0, 25, 12.5, 12.5, 50))
    geo = score_year(data, 2004, aggregation="geometric").countries.loc["SAH"]
    assert (geo["index"], geo["index_lo"], geo["index_hi"]) == pytest.approx((100 * np.sqrt(0.01 * 0.255), 5, 10))
    # Where nothing would leave its bounds, leaving out is unchanged: 2001, y unknown on its
    # whole scale, b has nothing known and is left out: index = a's 0, b unknown.
    early = score_year(data, 2001).countries.loc["SAH"]
    assert early["index"] == 0 and np.isnan(early["b"])


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


def test_the_method_docs_bracket_example(tmp_path):
    # docs/method.md §13: a fresh `harmon init` dataset, every fact yes from 2006, but Senegal's
    # training and victim support no, and its specialist unit limited (observed 2008) then yes
    # (observed 2013). In 2011 the unit lies in [0.5, 1]: specialization (0.5 + 0 + 0)/3 = 16.7,
    # index (100 + 16.7 + 100 + 100)/4 = 79.2, its lower bound; the upper (100 + 33.3 + 200)/4.
    import re

    from harmon.authoring.init import init_dataset

    root = tmp_path / "t"
    init_dataset(root, "Ghana, Senegal", first=2000, last=2015)
    for name in ("ghana", "senegal"):
        path = root / "countries" / f"{name}.yaml"
        text = re.sub(r"status: unknown\n    source: todo", 'status: "yes"\n    year: 2006\n    source: todo', path.read_text())
        if name == "senegal":
            text = re.sub(r'  specialist_unit:.*\n    status: "yes"\n    year: 2006\n    source: todo\n',
                          "  specialist_unit:\n    - {status: yes-but-limited, observed: 2008, source: todo}\n"
                          '    - {status: "yes", observed: 2013, source: todo}\n', text)
            for key in ("prosecutor_training", "victim_support"):
                text = re.sub(key + r'(:.*\n)    status: "yes"', key + r'\1    status: "no"', text)
        path.write_text(text)
    data = harmon.load_dataset(root)
    senegal = score_year(data, 2011).countries.loc["SEN"]
    assert senegal["specialization"] == pytest.approx(50 / 3)
    assert (senegal["index"], senegal["index_lo"], senegal["index_hi"]) == pytest.approx(
        ((300 + 50 / 3) / 4, (300 + 50 / 3) / 4, (300 + 100 / 3) / 4))
    assert score_year(data, 2011, "zero").countries.loc["SEN", "index"] == pytest.approx(senegal["index_lo"])


def test_a_state_leaving_is_not_a_real_change_of_the_region(tmp_path):
    # Three states with every fact yes from 2001, Nigeria without the two treaties (index
    # (100 + 100 + 100 + 0)/4 = 75), Senegal a member 2000-2007 only. From 2007 to 2008 no fact
    # changes: the mean falls from (100 + 75 + 100)/3 = 91.7 to (100 + 75)/2 = 87.5 because
    # Senegal left, which is neither a change of law (real change 0) nor an observation.
    import re

    from harmon.authoring.init import init_dataset
    from harmon.core.diff import diff
    from harmon.core.trend import trend

    root = tmp_path / "m"
    init_dataset(root, "Ghana, Nigeria, Senegal", first=2000, last=2015)
    for name in ("ghana", "nigeria", "senegal"):
        path = root / "countries" / f"{name}.yaml"
        text = re.sub(r"status: unknown\n    source: todo", 'status: "yes"\n    year: 2001\n    source: todo', path.read_text())
        if name == "nigeria":
            text = re.sub(r'((untoc|trafficking_protocol):.*\n    status: )"yes"', r'\1"no"', text)
        if name == "senegal":
            text = text.replace("member_since: 2000\nmembership_source: todo\n",
                                "membership:\n  - {from: 2000, to: 2007, source: todo}\n")
        path.write_text(text)
    data = harmon.load_dataset(root)
    region = diff(data, 2007, 2008).region.set_index("measure")
    mean = region.loc["mean"]
    assert (mean["value_1"], mean["value_2"]) == pytest.approx((275 / 3, 87.5))
    assert mean["real_change"] == pytest.approx(0) and mean["membership_change"] == pytest.approx(87.5 - 275 / 3)
    assert (region.loc["members", "real_change"], region.loc["members", "membership_change"]) == (0, -1)
    over = trend(data, 2007, 2008)
    assert over.region_real_change == pytest.approx(0)
    assert over.region_membership_change == pytest.approx(87.5 - 275 / 3)


def test_a_member_with_nothing_known_shows_the_ranks_its_range_allows(tmp_path):
    # A fresh `init` dataset: every fact unknown, so no index and no point rank, but each of the
    # two members can be first or second: "1–2", not the "–" of a non-member.
    from harmon.authoring.init import init_dataset
    from harmon.core.explain import explain
    from harmon.report.render import render
    from harmon.report.score import rank_text, score_frame

    root = tmp_path / "e"
    init_dataset(root, "Ghana, Senegal", first=2000, last=2005)
    data = harmon.load_dataset(root)
    result = score_year(data, 2003)
    rows = score_frame(result).to_dict("records")
    assert [(r["iso3"], pd_isna(r["rank"]), rank_text(r)) for r in rows] == [("GHA", True, "1–2"), ("SEN", True, "1–2")]
    assert "rank 1–2" in str(render("explain", "table", explain(data, "Ghana", 2003), data).renderables[0].title)


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_dimensions_with_nothing_known_count_together(tmp_path):
    # Three one-indicator dimensions on levels 0, 0.1, 0.9, 1 (review of 23 November): x = 0.1
    # known; y between 0.9 and 1, w between 0.1 and 0, both unknown in 2004. Leaving b and c out
    # gives them the mean of a, 0.1: outside y's bracket, inside w's. Had only b counted (y at
    # 0.9), leaving c out would give w (0.1 + 0.9)/2 = 0.5, outside its bracket: so both count,
    # y at 0.9 and w at 0.1. Index (10 + 90 + 10)/3 = 36.7, within [(10 + 90 + 0)/3,
    # (10 + 100 + 10)/3] = [33.3, 40]; not 50.
    root = tmp_path / "cross"
    (root / "countries").mkdir(parents=True)
    (root / "indicators").mkdir()
    (root / "region.yaml").write_text(REGION)
    (root / "references.yaml").write_text(REFERENCES)
    (root / "indicators" / "model.yaml").write_text(
        'name: Cross\nversion: "1"\nlevels:\n  q: {n0: 0, n1: 0.1, n9: 0.9, n10: 1, unknown: null}\ndimensions:\n'
        + "".join(f"  - {{id: {d}, label: {d.upper()}, indicators: [{{id: {i}, label: {i.upper()}, kind: status, levels: q}}]}}\n"
                  for d, i in (("a", "x"), ("b", "y"), ("c", "w"))))
    (root / "countries" / "sahel.yaml").write_text(
        "country: Sahel\niso3: SAH\nmember_since: 2000\nmembership_source: ref\nfacts:\n"
        "  x: {status: n1, year: 2000, source: ref}\n"
        "  y:\n    - {status: n9, observed: 2002, source: ref}\n    - {status: n10, observed: 2006, source: ref}\n"
        "  w:\n    - {status: n1, observed: 2002, source: ref}\n    - {status: n0, observed: 2006, source: ref}\n")
    data = harmon.load_dataset(root)
    sah = score_year(data, 2004).countries.loc["SAH"]
    assert (sah["a"], sah["b"], sah["c"]) == pytest.approx((10, 90, 10))
    assert (sah["index"], sah["index_lo"], sah["index_hi"]) == pytest.approx((110 / 3, 100 / 3, 40))
    geo = score_year(data, 2004, aggregation="geometric").countries.loc["SAH"]
    assert geo["index_lo"] - 1e-9 <= geo["index"] <= geo["index_hi"] + 1e-9


def test_what_counts_a_score_within_its_bounds_is_not_an_observation(brackets):
    # Review of 23 November. On the brackets data in 2004 (see the fixture): dyadic
    # harmonization is 12.5, its lower bound, because y counts at 50 to stay within its bounds.
    from harmon.core.diff import diff
    from harmon.core.sensitivity import sensitivity
    from harmon.report.shapes import region_frame

    # A year against itself: nothing changed, nothing observed, nobody joined.
    region = diff(brackets, 2004, 2004).region.set_index("measure")
    assert (region["real_change"] == 0).all() and (region["membership_change"] == 0).all()
    # The nominal scoring of `sensitivity` is `score`'s, dyadic harmonization included.
    result = sensitivity(brackets, 2004, draws=20, seed=1, weight_spread=0)
    assert result.region.loc["dyadic_harmonization", "nominal"] == pytest.approx(12.5)
    # Adoption counts observed members only: with Sahel's z observed at none, 2003-2005 have one
    # observed member on z (Tundra's z lies between partial and none, unknown) and no adoption.
    path = brackets.root / "countries" / "sahel.yaml"
    path.write_text(path.read_text().replace("z: {status: full, year: 2000", "z: {status: none, year: 2000"))
    data = harmon.load_dataset(brackets.root)
    adoption = region_frame(score_panel(data, range(2002, 2007)), data).set_index("year")["adoption_z"]
    assert adoption.loc[[2003, 2004, 2005]].tolist() == [0.0, 0.0, 0.0]
