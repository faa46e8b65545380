"""`harmon sensitivity`: draws against `harmon score`, reproducibility, rank intervals, the
variance-share estimators against analytic values, and every invalid option."""

from __future__ import annotations

import io
import json
import re
import struct

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from harmon.cli import app
from harmon.cli.errors import message as cli_message
from harmon.errors import BadValue, InvalidOption, YearOutOfRange
from harmon.choices import AGGREGATIONS, MISSING_POLICIES
from harmon.core.scoring import rank, score_year
from harmon.core.sensitivity import competition_ranks, sensitivity, sobol_indices, stable_pairs
from harmon.data.weights import apply_weights, load_weight_schemes

runner = CliRunner()


def fixed(**options):
    """Options under which nothing varies unless said otherwise."""
    return {"weight_spread": 0, "missing": ["reweight"], "aggregation": ["arithmetic"], **options}


@pytest.mark.parametrize("missing", MISSING_POLICIES)
@pytest.mark.parametrize("aggregation", AGGREGATIONS)
def test_every_draw_equals_score_when_nothing_varies(dataset, missing, aggregation):
    result = sensitivity(dataset, 2011, draws=25, seed=3, **fixed(missing=[missing], aggregation=[aggregation]))
    expected = score_year(dataset, 2011, missing, aggregation).countries
    draws = result.index_draws
    assert draws.shape == (25, 10)
    for iso3 in draws.columns:
        assert np.allclose(draws[iso3], expected.loc[iso3, "index"], rtol=0, atol=1e-9)
        assert (result.rank_draws[iso3] == expected.loc[iso3, "rank"]).all()
    assert result.factors == ()
    assert result.first_order.empty or result.first_order.isna().all().all()
    assert result.stable_pairs == result.pairs == 45
    states = result.states
    assert (states["nominal_rank"] == expected.loc[states.index, "rank"]).all()
    assert (states["rank_p05"] == states["nominal_rank"]).all() and (states["rank_p95"] == states["nominal_rank"]).all()
    assert result.region.loc["mean", "nominal"] == pytest.approx(expected["index"].mean())


def test_same_seed_same_numbers_other_seed_other_numbers(dataset):
    a = sensitivity(dataset, 2011, draws=300, seed=7, drop_one=True)
    b = sensitivity(dataset, 2011, draws=300, seed=7, drop_one=True)
    c = sensitivity(dataset, 2011, draws=300, seed=8, drop_one=True)
    pd.testing.assert_frame_equal(a.index_draws, b.index_draws)
    pd.testing.assert_frame_equal(a.first_order, b.first_order)
    assert not np.allclose(a.index_draws.to_numpy(), c.index_draws.to_numpy())
    assert a.seed == 7 and a.settings["seed"] == 7


def test_a_fresh_seed_is_reported_and_reproduces(dataset):
    first = sensitivity(dataset, 2011, draws=50)
    again = sensitivity(dataset, 2011, draws=50, seed=first.seed)
    pd.testing.assert_frame_equal(first.index_draws, again.index_draws)


def test_rank_interval_holds_the_nominal_rank_where_it_cannot_change(dataset):
    # Only the aggregation varies. A state with 100 in every dimension scores 100 under both
    # means, so it ranks 1st in every draw (Cambodia, Lao PDR, Myanmar, Philippines, Indonesia,
    # Malaysia in 2011).
    result = sensitivity(dataset, 2011, draws=200, seed=1, **fixed(aggregation=list(AGGREGATIONS)))
    nominal = score_year(dataset, 2011).countries
    dims = nominal[["criminalization", "specialization", "regional", "treaties"]]
    perfect = dims.index[(dims.fillna(100) == 100).all(axis=1)]
    assert len(perfect) == 6
    for iso3 in perfect:
        row = result.states.loc[iso3]
        assert row["rank_p05"] == row["rank_p95"] == row["nominal_rank"] == 1
        assert (result.rank_draws[iso3] == 1).all()
        assert np.isnan(result.first_order.loc[iso3, "aggregation"])  # its rank never varies
    # Every state's interval holds its nominal rank when the nominal choice is one of the draws'.
    broad = sensitivity(dataset, 2011, draws=2000, seed=2)
    s = broad.states
    assert ((s["rank_p05"] <= s["nominal_rank"]) & (s["nominal_rank"] <= s["rank_p95"])).all()


def test_one_varying_choice_explains_all_the_variance(dataset):
    result = sensitivity(dataset, 2011, draws=4000, seed=5, **fixed(missing=list(MISSING_POLICIES)))
    assert result.factors == ("missing",)
    varies = result.first_order["missing"].notna()
    assert varies.sum() >= 3
    assert np.allclose(result.first_order.loc[varies, "missing"], 1, atol=0.06)
    assert np.allclose(result.total_effect.loc[varies, "missing"], 1, atol=0.06)
    assert np.allclose(result.first_order.loc[varies, "interactions"], 0, atol=0.06)


def test_variance_shares_add_up(dataset):
    result = sensitivity(dataset, 2011, draws=4000, seed=11, drop_one=True)
    assert result.factors == ("weights", "missing", "aggregation", "drop_one")
    first = result.first_order[list(result.factors)]
    total = result.total_effect[list(result.factors)]
    varies = first.notna().all(axis=1)
    # Each first-order share is at most its total effect; the first-order ones add up to at most
    # 1 and the total effects to at least 1 (within the estimators' noise).
    assert varies.sum() >= 8
    assert (first[varies] <= total[varies] + 0.05).all().all()
    assert (first[varies].sum(axis=1) <= 1 + 0.05).all()
    assert (total[varies].sum(axis=1) >= 1 - 0.05).all()


def test_few_draws_give_no_variance_shares(dataset):
    result = sensitivity(dataset, 2011, draws=10, seed=1)
    assert result.factors == ("weights", "missing", "aggregation")
    assert result.first_order.isna().all().all() and result.total_effect.isna().all().all()
    assert result.states["rank_p05"].notna().all()  # intervals are still given


def test_a_year_with_non_members_equals_score(dataset):
    # 1997: Cambodia joined in 1999, so nine members; with nothing varying every figure is the
    # nominal one, which is `harmon score`'s for those nine.
    result = sensitivity(dataset, 1997, draws=20, seed=1, **fixed(missing=["zero"]))
    expected = score_year(dataset, 1997, "zero")
    members = expected.countries[expected.countries["member"]]
    assert sorted(result.states.index) == sorted(members.index) and "KHM" not in result.states.index
    assert np.allclose(result.region_draws["mean"], expected.region["mean"])
    assert np.allclose(result.region_draws["dyadic_harmonization"], expected.region["dyadic_harmonization"])
    assert result.region.loc["dyadic_harmonization"].tolist() == pytest.approx([expected.region["dyadic_harmonization"]] * 4)


def test_drop_one_dyadic_harmonization_by_hand(dataset):
    # Policy zero (every score known), only the left-out indicator varies: each draw's dyadic
    # harmonization is the effective-weighted mean of the indicators' dyadic shares, with the
    # left-out indicator's weight 0 and the rest of its dimension sharing the dimension's weight.
    result = sensitivity(dataset, 2011, draws=200, seed=4, **fixed(missing=["zero"], drop_one=True))
    shares = score_year(dataset, 2011, "zero").dyadic_by_indicator
    model = dataset.model
    possible = set()
    for dropped in [None, *model.indicators]:
        total, weighted = 0.0, 0.0
        for d in model.dimensions:
            kept = [i.id for i in d.indicators if i.id != dropped]
            for i in kept:
                e = (1 / len(kept)) * (1 / len(model.dimensions))
                total, weighted = total + e, weighted + e * shares[i]
        possible.add(round(weighted / total, 6))
    drawn = {round(v, 6) for v in result.region_draws["dyadic_harmonization"]}
    assert drawn <= possible and len(drawn) > 3


def test_the_weights_factor_moves_all_weights_together(dataset):
    from harmon.core.sensitivity import Choices

    def choices(value: float) -> Choices:
        return Choices(np.full((2, 9), value), np.full((2, 4), value), np.full(2, int(value)), np.full(2, int(value)),
                       np.full(2, int(value)), np.full(2, int(value)))

    a, b = choices(1.0), choices(2.0)
    mixed = a.with_factor_from(b, "weights")
    assert (mixed.indicator_weights == 2).all() and (mixed.dimension_weights == 2).all() and (mixed.scheme == 2).all()
    assert (mixed.missing == 1).all() and (mixed.aggregation == 1).all() and (mixed.dropped == 1).all()
    assert (a.with_factor_from(b, "drop_one").dropped == 2).all()
    assert (a.with_factor_from(b, "missing").indicator_weights == 1).all()


def test_sobol_estimators_on_the_ishigami_function():
    # Ishigami (a = 7, b = 0.1) on U(-pi, pi)^3 has known indices (Saltelli et al. 2008, p. 179):
    # S = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
    rng = np.random.default_rng(0)
    n = 200_000
    a, b = rng.uniform(-np.pi, np.pi, (n, 3)), rng.uniform(-np.pi, np.pi, (n, 3))

    def f(x):
        return (np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0]))[:, None]

    mixed = {}
    for k in range(3):
        ab = a.copy()
        ab[:, k] = b[:, k]
        mixed[k] = f(ab)
    first, total = sobol_indices(f(a), f(b), mixed)
    assert [first[k][0] for k in range(3)] == pytest.approx([0.3139, 0.4424, 0.0], abs=0.02)
    assert [total[k][0] for k in range(3)] == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.02)


def test_sobol_indices_of_an_additive_model_by_hand():
    # y = 2 x1 + x2 with x1, x2 ~ U(0, 1): Var = 4/12 + 1/12, so S1 = 0.8, S2 = 0.2, no interaction.
    rng = np.random.default_rng(1)
    a, b = rng.uniform(size=(100_000, 2)), rng.uniform(size=(100_000, 2))

    def f(x):
        return (2 * x[:, 0] + x[:, 1])[:, None]

    mixed = {k: f(np.where(np.arange(2) == k, b, a)) for k in range(2)}
    first, total = sobol_indices(f(a), f(b), mixed)
    assert first[0][0] == pytest.approx(0.8, abs=0.02) and first[1][0] == pytest.approx(0.2, abs=0.02)
    assert total[0][0] == pytest.approx(0.8, abs=0.02) and total[1][0] == pytest.approx(0.2, abs=0.02)
    # An output that never varies has no shares.
    flat, _ = sobol_indices(np.ones((10, 1)), np.ones((10, 1)), {0: np.ones((10, 1))})
    assert np.isnan(flat[0][0])


def test_competition_ranks_match_the_scoring_ranks():
    rng = np.random.default_rng(4)
    index = rng.integers(0, 5, size=(30, 12)).astype(float) * 12.5  # many ties
    index[3, 4] = np.nan
    ranks = competition_ranks(index)
    for d in range(len(index)):
        series = pd.Series(index[d], index=pd.MultiIndex.from_product([[2000], range(12)], names=["year", "state"]))
        expected = rank(series, np.ones(12, bool)).to_numpy(dtype=float, na_value=np.nan)
        np.testing.assert_array_equal(ranks[d], expected)


def test_stable_pairs_by_hand():
    # Three states over two draws: A above B above C, then A above C above B: the pair B-C flips.
    assert stable_pairs(np.array([[3.0, 2.0, 1.0], [3.0, 1.0, 2.0]])) == (2, 3)
    # A tie does not reverse an order; a state with no index in a draw is not paired.
    assert stable_pairs(np.array([[2.0, 1.0], [1.0, 1.0]])) == (1, 1)
    assert stable_pairs(np.array([[2.0, 1.0, np.nan], [1.0, 2.0, 3.0]])) == (0, 1)


def test_drop_one_draws_by_hand(dataset):
    # Only the left-out indicator varies. In each draw, each state's index must equal the mean
    # over dimensions of the mean of its remaining known indicator scores (reweight).
    result = sensitivity(dataset, 2011, draws=60, seed=9, **fixed(drop_one=True))
    assert result.factors == ("drop_one",)
    scores = score_year(dataset, 2011).countries
    model = dataset.model
    possible = {}
    for iso3 in scores.index:
        values = set()
        for dropped in [None, *model.indicators]:
            dims = []
            for d in model.dimensions:
                known = [scores.loc[iso3, i.id] for i in d.indicators
                         if i.id != dropped and not np.isnan(scores.loc[iso3, i.id])]
                if known:
                    dims.append(100 * sum(known) / len(known))
            values.add(round(sum(dims) / len(dims), 6) if dims else None)
        possible[iso3] = values
    for iso3 in result.index_draws.columns:
        drawn = {round(v, 6) if not np.isnan(v) else None for v in result.index_draws[iso3]}
        assert drawn <= possible[iso3], iso3
    assert result.index_draws.nunique().max() > 1


def test_weights_from_schemes(dataset, tmp_path):
    path = tmp_path / "schemes.yaml"
    path.write_text("schemes:\n  - name: treaties double\n    dimensions: {treaties: 2}\n"
                    "  - name: regional double\n    dimensions: {regional: 2}\n")
    schemes = load_weight_schemes(path, dataset.model)
    result = sensitivity(dataset, 2011, draws=100, seed=2, schemes=schemes, missing=["reweight"], aggregation=["arithmetic"])
    assert result.settings["weight_spread_percent"] == 0  # the schemes as written
    expected = []
    for text in ("name: a\ndimensions: {treaties: 2}\n", "name: b\ndimensions: {regional: 2}\n"):
        single = tmp_path / "one.yaml"
        single.write_text(text)
        expected.append(score_year(apply_weights(dataset, single), 2011).countries["index"])
    for draw in result.index_draws.itertuples(index=False):
        row = pd.Series(draw, index=result.index_draws.columns)
        assert any(np.allclose(row, e[row.index]) for e in expected)
    both = {tuple(np.round(r, 9)) for r in result.index_draws.to_numpy()}
    assert len(both) == 2


@pytest.mark.parametrize(
    "options, message",
    [
        ({"draws": -5}, "--draws must be a whole number from 1"),
        ({"draws": 0}, "--draws must be a whole number from 1"),
        ({"draws": 2.5}, "--draws must be a whole number from 1"),
        ({"weight_spread": 1.5}, "--weight-spread must be from 0% to 100%"),
        ({"weight_spread": -0.1}, "--weight-spread must be from 0% to 100%"),
        ({"missing": ["ignore"]}, "unknown missing-data policy 'ignore'"),
        ({"missing": []}, "give at least one missing-data policy"),
        ({"aggregation": ["median"]}, "unknown aggregation 'median'"),
        ({"seed": -1}, "--seed must be a whole number >= 0"),
    ],
)
def test_invalid_options(dataset, options, message):
    with pytest.raises(InvalidOption) as caught:
        sensitivity(dataset, 2011, **options)
    # The library names its own parameters; the command line words the error with its flags.
    assert re.search(message, cli_message(caught.value))
    if isinstance(caught.value, BadValue):
        (parameter,) = options
        assert caught.value.parameter == parameter
        assert str(caught.value).startswith(f"{parameter} ") and "--" not in str(caught.value)


def test_year_outside_the_data(dataset):
    with pytest.raises(YearOutOfRange):
        sensitivity(dataset, 1990)


# --- the command -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["--draws", "-1"], "--draws must be a whole number from 1"),
        (["--weight-spread", "150"], "--weight-spread must be from 0% to 100% (a weight cannot go below 0), got 150%"),
        (["--year", "1800"], "outside the data's period"),
        (["--missing", "ignore"], "'ignore' is not one of"),
    ],
)
def test_cli_invalid_options(args, message):
    result = runner.invoke(app, ["sensitivity", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_csv_and_json_agree_with_the_library(dataset):
    args = ["sensitivity", "--year", "2011", "--draws", "200", "--seed", "7", "--drop-one"]
    csv_run = runner.invoke(app, [*args, "--format", "csv"])
    assert csv_run.exit_code == 0, csv_run.output
    header, body = csv_run.stdout.split("\n", 1)
    assert header.startswith("# harmon sensitivity: ") and "seed=7" in header and "drop_one=true" in header
    frame = pd.read_csv(io.StringIO(body)).set_index("iso3")
    library = sensitivity(dataset, 2011, draws=200, seed=7, drop_one=True)
    assert list(frame.index) == list(library.states.index)
    assert frame["rank_p95"].tolist() == library.states["rank_p95"].tolist()
    assert np.allclose(frame["first_drop_one"], library.first_order["drop_one"].round(4), equal_nan=True)
    document = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert document["settings"]["seed"] == 7 and document["scorings"] == 200 * 6 + 1
    assert [s["iso3"] for s in document["states"]] == list(library.states.index)
    assert document["pairs"]["stable"] == library.stable_pairs
    # The same options give the same bytes.
    assert runner.invoke(app, [*args, "--format", "csv"]).stdout == csv_run.stdout


def test_cli_table_and_plot(tmp_path):
    figure = tmp_path / "ranks.png"
    result = runner.invoke(app, ["sensitivity", "--year", "2011", "--draws", "100", "--seed", "1",
                                 "--plot", str(figure), "--no-color"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "how robust are the ranks? 100 draws, seed 1" in result.stdout
    assert "Thailand" in result.stdout and "Which choice moves the rank?" in result.stdout
    assert "Rerun with --seed 1" in " ".join(result.stdout.split())
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "scoring draws" not in result.output  # no progress bar when not on a terminal
    width, height = struct.unpack(">II", figure.read_bytes()[16:24])
    assert (width, height) == (2400, 1500)  # 8 x 5 inches at the default 300 dpi


def test_cli_weights_from(tmp_path):
    path = tmp_path / "schemes.yaml"
    path.write_text("schemes:\n  - name: a\n  - name: b\n    indicators: {mlatt: 2}\n")
    result = runner.invoke(app, ["sensitivity", "--weights-from", str(path)])
    assert result.exit_code == 1
    assert "schemes.yaml:4: unknown indicator 'mlatt'" in result.stderr
