"""Histories of facts, membership spells and `requires` (docs/method.md §1-2, "Membership"),
checked against numbers computed by hand on a small region built here, and on the shipped data.

The region ("Northern Compact", 2000-2010) has its own dimensions and a five-level scale:

- Norway (member from 2000): its law enacted 2003 and repealed 2007; its charter observed
  `partial` in 2004 and `full` in 2008 (2005-2007 unknown, between the two); its definition
  (which requires the law) observed `full` in 2005.
- Iceland: a member 2000-2004 and again from 2007 (suspended 2005-2006); law 2001; charter
  `partial` from 2002, upgraded to `full` in 2006; its definition unknown.
- Denmark (member from 2002): law 2004; definition `partial` since 2005; charter `full`
  observed 2009.
Indicators weigh equally within dimensions and dimensions equally: effective weights law 1/4,
definition 1/4, charter 1/2.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import harmon
from harmon.cli.app import app
from harmon.core.histories import entry_in
from harmon.core.scoring import score_panel, score_year
from harmon.core.status import status
from harmon.core.diff import diff

REGION = """\
name: Northern Compact
period: {first: 2000, last: 2010, source: nc-treaty}
milestones:
  - {year: 2005, kind: summit, title: Reykjavik summit, source: nc-treaty}
figures:
  - {name: Joint investigations, value: 12, period: 2006-2008, unit: cases, source: nc-report}
"""

REFERENCES = """\
documents:
  treaty: {author: Compact Secretariat, title: The Compact, year: 2000}
  report: {author: Compact Secretariat, title: Annual report, year: 2010}
references:
  nc-treaty: {document: treaty, locator: Art. 1}
  nc-report: {document: report, locator: p. 3}
"""

MODEL = """\
name: Compact model
version: "1"
levels:
  event: {"yes": 1, "no": 0, unknown: null}
  grade: {none: 0, weak: 0.25, partial: 0.5, strong: 0.75, full: 1, unknown: null}
symbols:
  grade:
    none: {symbol: "0", label: none}
    partial: {symbol: "½", label: partial}
    full: {symbol: "●", label: full}
dimensions:
  - id: courts
    label: Courts
    indicators:
      - {id: law, label: Statute in force, kind: event, levels: event}
      - {id: definition, label: Statutory definition, kind: status, levels: grade, requires: law}
  - id: rights
    label: Rights
    indicators:
      - {id: charter, label: Charter of rights, kind: status, levels: grade}
"""

NORWAY = """\
country: Norway
iso3: NOR
member_since: 2000
membership_source: nc-treaty
facts:
  law:
    - {status: "yes", year: 2003, source: nc-report}
    - {status: "no", year: 2007, source: nc-report}
  definition: {status: full, observed: 2005, source: nc-report}
  charter:
    - {status: partial, observed: 2004, source: nc-report}
    - {status: full, observed: 2008, source: nc-report}
"""

ICELAND = """\
country: Iceland
iso3: ISL
membership:
  - {from: 2000, to: 2004, source: nc-treaty}
  - {from: 2007, source: nc-report}
facts:
  law: {status: "yes", year: 2001, source: nc-report}
  definition: {status: unknown, source: nc-report}
  charter:
    - {status: partial, year: 2002, source: nc-report}
    - {status: full, year: 2006, source: nc-report}
"""

DENMARK = """\
country: Denmark
iso3: DNK
member_since: 2002
membership_source: nc-treaty
facts:
  law: {status: "yes", year: 2004, source: nc-report}
  definition: {status: partial, year: 2005, source: nc-report}
  charter: {status: full, observed: 2009, source: nc-report}
"""


def write_region(root: Path, **replace: str) -> Path:
    """The Northern Compact in `root`; `replace` swaps a file's text (by its stem: norway, ...)."""
    files = {"region.yaml": REGION, "references.yaml": REFERENCES, "indicators/model.yaml": MODEL,
             "countries/norway.yaml": NORWAY, "countries/iceland.yaml": ICELAND, "countries/denmark.yaml": DENMARK}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(replace.get(Path(rel).stem, text), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def compact(tmp_path_factory: pytest.TempPathFactory) -> harmon.Dataset:
    return harmon.load_dataset(write_region(tmp_path_factory.mktemp("compact")))


def scores(data: harmon.Dataset, iso3: str, indicator: str, missing: str = "reweight") -> list[float]:
    panel = score_panel(data, range(2000, 2011), missing)
    frame = panel.scored if missing != "reweight" else panel.countries
    return frame.loc[iso3, indicator].tolist()


def same(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all((math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(a, b))


NAN = float("nan")


# --- facts over the years ----------------------------------------------------------------------


def test_the_region_validates_cleanly(compact):
    assert harmon.validate_dataset(compact.root) == []


def test_a_repeal_scores_1_then_0(compact):
    # Law enacted 2003, repealed 2007: 0 in 2000-2002, 1 in 2003-2006, 0 from 2007.
    assert scores(compact, "NOR", "law") == [0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]


def test_an_upgrade_scores_half_then_1(compact):
    # Partial from 2002, full from 2006; before 2002 unknown (a status with a start year).
    assert same(scores(compact, "ISL", "charter"), [NAN, NAN, 0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1, 1])


def test_two_observations_leave_the_years_between_unknown(compact):
    # Partial observed 2004, full observed 2008: 2005-2007 unknown under reweight (the change
    # happened some time in 2005-2008), the later level carried back under backfill, and under
    # zero the lowest level the data allow: 0 before 2004, partial (0.5) between the two.
    assert same(scores(compact, "NOR", "charter"), [NAN] * 4 + [0.5, NAN, NAN, NAN, 1, 1, 1])
    assert same(scores(compact, "NOR", "charter", "backfill"), [0.5] * 5 + [1] * 6)
    assert same(scores(compact, "NOR", "charter", "zero"), [0] * 4 + [0.5, 0.5, 0.5, 0.5, 1, 1, 1])


def test_requires_under_every_policy(compact):
    # Norway's definition (full, observed 2005) requires the law: known absent while the law is
    # (2000-2002 and from its repeal in 2007), whatever the policy; unknown 2003-2004.
    assert same(scores(compact, "NOR", "definition"), [0, 0, 0, NAN, NAN, 1, 1, 0, 0, 0, 0])
    assert same(scores(compact, "NOR", "definition", "zero"), [0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0])
    assert same(scores(compact, "NOR", "definition", "backfill"), [0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0])


def test_the_entry_that_holds_in_a_year(compact):
    norway = next(c for c in compact.countries if c.iso3 == "NOR")
    history = norway.history("charter")
    assert entry_in(history, 2003) is history[0]  # before the first entry: the first
    assert entry_in(history, 2007) is history[0] and entry_in(history, 2008) is history[1]
    assert norway.history("nothing") == () and entry_in((), 2005) is None


# --- membership --------------------------------------------------------------------------------


def test_suspension_and_rejoining_by_year(compact):
    panel = score_panel(compact, range(2000, 2011))
    member = panel.countries["member"].unstack("year")
    assert member.loc["ISL"].tolist() == [True] * 5 + [False, False] + [True] * 4
    assert member.loc["DNK"].tolist() == [False, False] + [True] * 9
    assert panel.region["members"].tolist() == [2, 2, 3, 3, 3, 2, 2, 3, 3, 3, 3]


def test_2005_with_iceland_suspended_by_hand(compact):
    result = score_year(compact, 2005)
    rows = result.countries
    # Norway: law 1, definition 1 -> courts 100; charter unknown -> index 100.
    # Denmark: law 1, definition 0.5 -> courts 75; charter unknown -> 75.
    # Iceland (suspended): law 1 -> 100, charter 0.5 -> 50: index 75, but no rank.
    assert rows.loc["NOR", "index"] == 100 and rows.loc["DNK", "index"] == 75 and rows.loc["ISL", "index"] == 75
    assert (rows.loc["NOR", "rank"], rows.loc["DNK", "rank"]) == (1, 2) and rows.loc["ISL", "rank"] is pd_na()
    assert result.region["members"] == 2 and result.region["mean"] == pytest.approx(87.5)
    # Dyadic over the two members: law min(1, 1) = 100; definition min(1, 0.5) = 50; charter
    # nobody observed. Weighted 1/4 and 1/4: (100 + 50) / 2 = 75.
    assert result.dyadic_by_indicator["law"] == 100 and result.dyadic_by_indicator["definition"] == 50
    assert result.dyadic_by_indicator["charter"] is None
    assert result.region["dyadic_harmonization"] == pytest.approx(75)


def test_2007_after_the_repeal_and_the_rejoin_by_hand(compact):
    result = score_year(compact, 2007)
    rows = result.countries
    # Norway: law repealed -> 0, definition absent with it -> courts 0; the charter lies between
    # partial (2004) and full (2008), nothing else in its dimension is known: left out, it would
    # take the courts' 0, below its bracket; kept within it, 0.5 -> 50: index (0 + 50)/2 = 25,
    # its lower bound (docs/method.md §13).
    # Iceland: law 1 (definition unknown) -> 100; charter full since 2006 -> 100.
    # Denmark: 75 as in 2005.
    assert rows["index"].to_dict() == {"ISL": 100, "DNK": 75, "NOR": 25}
    assert rows.loc["NOR", "index_lo"] == 25
    assert rows["rank"].tolist() == [1, 2, 3]
    assert result.region["members"] == 3 and result.region["mean"] == pytest.approx(200 / 3)
    # Law: scores 0, 1, 1 -> pairs min 0, 0, 1: 100/3. Definition: Norway 0, Denmark 0.5 -> 0.
    assert result.dyadic_by_indicator["law"] == pytest.approx(100 / 3)
    assert result.dyadic_by_indicator["definition"] == 0
    assert result.region["dyadic_harmonization"] == pytest.approx((100 / 3 + 0) / 2)


def pd_na():
    import pandas as pd

    return pd.NA


def test_diff_reports_joining_leaving_and_a_repeal(compact):
    result = diff(compact, 2004, 2007)
    states = result.states.set_index("iso3")
    assert (states.loc["ISL", "member_1"], states.loc["ISL", "member_2"]) == (True, True)
    law = result.facts[(result.facts["iso3"] == "NOR") & (result.facts["indicator"] == "law")].iloc[0]
    assert (law["score_1"], law["score_2"], law["when"], law["status"]) == (1, 0, 2007, "no")
    left = diff(compact, 2004, 2005).states.set_index("iso3")
    assert (left.loc["ISL", "member_1"], left.loc["ISL", "member_2"]) == (True, False)
    out = run("diff", "2004", "2005", "--data", str(compact.root))
    assert out.exit_code == 0 and "Iceland (left)" in out.stdout
    out = run("diff", "2006", "2007", "--data", str(compact.root))
    assert "Iceland (joined)" in out.stdout
    out = run("diff", "2001", "2002", "--data", str(compact.root))
    assert "Denmark (joined)" in out.stdout


def test_status_shows_the_entry_of_the_year_with_the_models_symbols(compact):
    cells = status(compact, 2007).cells.set_index(["iso3", "indicator"])
    assert cells.loc[("NOR", "law"), ["status", "standing"]].tolist() == ["no", "recorded"]
    assert cells.loc[("NOR", "charter"), "standing"] == "unknown"  # between two observations
    assert cells.loc[("ISL", "charter"), ["status", "year"]].tolist() == ["full", 2006]
    out = run("status", "--year", "2007", "--data", str(compact.root), "--format", "markdown")
    assert out.exit_code == 0
    assert "| Iceland | ✓ (2001) |" not in out.stdout  # no symbols given for events: names
    assert "● (2006)" in out.stdout and "● full" in out.stdout and "½ partial" in out.stdout
    assert "**Courts (2007)**" in out.stdout and "Table" not in out.stdout
    early = run("status", "--year", "2005", "--data", str(compact.root), "--format", "markdown")
    assert "Iceland (not a member)" in early.stdout


def test_the_long_export_gives_level_and_since_apart(compact):
    from harmon.report.shapes import build_export

    long = build_export(compact, "long").frame.set_index(["iso3", "year", "indicator"])
    assert long.loc[("NOR", 2006, "law"), ["level", "since", "score"]].tolist() == ["yes", 2003, 1]
    assert long.loc[("NOR", 2007, "law"), ["level", "since", "score"]].tolist() == ["no", 2007, 0]
    row = long.loc[("NOR", 2006, "charter")]
    assert row["level"] == "partial" and row["since"] is pd_na() and math.isnan(row["score"])
    assert not long.loc[("ISL", 2005, "law"), "member"]


def test_timeline_lists_a_repeal(compact):
    events = harmon.timeline(compact, country="NOR")
    assert [(e.year, e.kind, e.status) for e in events.itertuples()] == [(2003, "law", "yes"), (2007, "law", "no")]


def test_explain_words_a_history(compact):
    result = harmon.explain(compact, "NOR", 2008)
    from harmon.report.words import rule_text

    rules = {r["indicator"]: rule_text(r["rule"]) for _, r in result.indicators.iterrows()}
    assert rules["law"] == "since 2007: 0 from 2007, after yes (1)"
    assert rules["charter"] == "observed 2008: 1 from 2008, after partial (0.5) in 2004; 2005-2007 between the two"
    early = harmon.explain(compact, "NOR", 2004)
    rules = {r["indicator"]: rule_text(r["rule"]) for _, r in early.indicators.iterrows()}
    assert rules["law"] == "event in 2003: 1 from 2003, 0 before; then no from 2007"
    assert rules["definition"] == "observed 2005: 1 from 2005, unknown before; 0 while law is 0"
    # In 2006 partial holds as the first entry, but it was last known in 2004: the rule says
    # that 2005-2007 lie between the two, and the status that the next entry does not hold yet.
    between = harmon.explain(compact, "NOR", 2006)
    rules = {r["indicator"]: rule_text(r["rule"]) for _, r in between.indicators.iterrows()}
    assert rules["charter"] == ("observed 2004: 0.5 from 2004, unknown before; then full from 2008 "
                                "(2005-2007 between the two)")
    from harmon.report.render import render

    title = render("explain", "table", harmon.explain(compact, "NOR", 2002), compact).renderables[0]
    cells = [str(c) for c in title.columns[0].cells]
    assert any("partial (from 2004)" in c for c in cells) and any("yes (from 2003)" in c for c in cells)


# --- the shipped data --------------------------------------------------------------------------


def test_requires_ends_thailands_impossible_backfilled_definition(dataset):
    # Thailand's law dates from 2008 and the UN definition was observed in 2011: under backfill
    # it was carried back to 1997; now it is known absent before the law, under every policy.
    for missing in ("reweight", "zero", "backfill"):
        panel = score_panel(dataset, [1999, 2007, 2008], missing)
        assert panel.scored.loc[("THA", 1999), "un_definition"] == 0, missing
        assert panel.scored.loc[("THA", 2007), "un_definition"] == 0, missing
    assert score_panel(dataset, [2008], "backfill").scored.loc[("THA", 2008), "un_definition"] == 1
    # Thailand 1999 under backfill: law 0, definition 0 -> criminalization 0 (it was 50).
    assert score_panel(dataset, [1999], "backfill").countries.loc[("THA", 1999), "criminalization"] == 0


def test_requires_changes_nothing_else_in_the_shipped_panel(dataset):
    # Where the law exists, or the definition is unknown and the law absent under reweight, the
    # dimension scores stay those of the paper's facts: only the years before a state's law,
    # where the definition was backfilled, move.
    panel = score_panel(dataset, range(1997, 2016), "reweight")
    law, definition = panel.countries["trafficking_law"], panel.countries["un_definition"]
    assert ((law == 0) <= (definition == 0)).all()  # absent wherever the law is absent
    assert (definition[law == 1].dropna() == 1).all()


# --- malformed histories and spells ------------------------------------------------------------


def problems_of(tmp_path: Path, **replace: str) -> list[str]:
    root = write_region(tmp_path / "bad", **replace)
    return [p.format() for p in harmon.validate_dataset(root)]


@pytest.mark.parametrize(
    ("stem", "old", "new", "line", "fragment"),
    [
        ("norway", '    - {status: "no", year: 2007, source: nc-report}',
         '    - {status: "no", year: 2002, source: nc-report}', 8, "history entry 2 starts in 2002, not after"),
        ("norway", '    - {status: "no", year: 2007, source: nc-report}',
         '    - {status: "no", year: 2003, source: nc-report}', 8, "not after the entry before it (2003)"),
        ("norway", '    - {status: full, observed: 2008, source: nc-report}',
         '    - {status: full, source: nc-report}', 12, "history entry 2 has neither year nor observed"),
        ("norway", '    - {status: partial, observed: 2004, source: nc-report}',
         '    - {status: partial, year: 2003, observed: 2009, source: nc-report}', 12,
         "starts in 2008, but the entry before it was still observed in 2009"),
        ("norway", '    - {status: full, observed: 2008, source: nc-report}',
         '    - {status: full, observed: 2008, absent_before: 2001, note: x, source: nc-report}', 12,
         "absent_before belongs on the first entry"),
        # Without a note too: the note is not what is wrong there (trial item 10).
        ("norway", '    - {status: full, observed: 2008, source: nc-report}',
         '    - {status: full, observed: 2008, absent_before: 2001, source: nc-report}', 12,
         "charter: history entry 2: absent_before belongs on the first entry of a history only (it speaks of the "
         "years before the history begins): move it there"),
        ("norway", '    - {status: partial, observed: 2004, source: nc-report}',
         '    - {status: partial, observed: 2004, absent_before: 2001, source: nc-report}', 11,
         "charter: absent_before needs a note saying why the sources imply it"),
        ("norway", '    - {status: partial, observed: 2004, source: nc-report}',
         '    - {status: partial, observed: 2004, absent_before: 2005, note: x, source: nc-report}', 11,
         "charter: absent_before 2005 is after the year it is known to hold (2004)"),
        # A level read as a boolean in a history entry: the hint names the level as the model spells it.
        ("norway", '    - {status: "no", year: 2007, source: nc-report}',
         '    - {status: No, year: 2007, source: nc-report}', 8,
         'facts.law.1.status: input should be a valid string, got False (YAML reads unquoted No as a boolean: '
         'write "no" in quotes)'),
        ("norway", '    - {status: full, observed: 2008, source: nc-report}',
         '    - {status: best, observed: 2008, source: nc-report}', 12, "unknown status 'best'"),
        ("iceland", "  - {from: 2007, source: nc-report}", "  - {from: 2003, source: nc-report}", 5,
         "the spell from 2003 overlaps or comes before the spell from 2000"),
        ("iceland", "  - {from: 2000, to: 2004, source: nc-treaty}", "  - {from: 2000, to: 1999, source: nc-treaty}",
         4, "to 1999 is before from 2000"),
        ("iceland", "  - {from: 2007, source: nc-report}", "  - {from: 2012, source: nc-report}", 5,
         "lies outside the dataset's period 2000-2010"),
        ("iceland", "  - {from: 2007, source: nc-report}", "  - {from: 2007, source: nc-nothing}", 5,
         "unknown reference 'nc-nothing'"),
        ("iceland", "membership:\n", "member_since: 2000\nmembership:\n", 4, "give member_since or membership, not both"),
        ("denmark", "membership_source: nc-treaty\n", "", 1, "member_since needs membership_source"),
        ("denmark", "member_since: 2002\n", "", 1, "missing membership: give member_since"),
    ],
)
def test_malformed_histories_and_spells_are_file_line_errors(tmp_path, stem, old, new, line, fragment):
    text = {"norway": NORWAY, "iceland": ICELAND, "denmark": DENMARK}[stem]
    assert old in text
    found = problems_of(tmp_path, **{stem: text.replace(old, new, 1)})
    hits = [p for p in found if f"countries/{stem}.yaml:{line}:" in p and fragment in p]
    assert len(hits) == 1, found
    result = run("validate", "--data", str(tmp_path / "bad"))
    assert result.exit_code == 1 and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("requires: law}", "requires: charter}", None),
        ("requires: law}", "requires: lawful}", "requires 'lawful', which is not an indicator"),
        ("requires: law}", "requires: definition}", "require each other in a circle: definition -> definition"),
        ("kind: event, levels: event}", "kind: event, levels: event, requires: definition}",
         "require each other in a circle: law -> definition -> law"),
    ],
)
def test_requires_must_name_another_indicator_without_a_circle(tmp_path, old, new, fragment):
    found = problems_of(tmp_path, model=MODEL.replace(old, new, 1))
    if fragment is None:
        assert found == []
    else:
        assert len(found) == 1 and fragment in found[0] and "indicators/model.yaml:" in found[0]


# --- a region of its own through every command -------------------------------------------------

COMMANDS = [
    ["score", "--year", "2007"], ["score", "--year", "2007", "--by", "indicator", "--format", "markdown"],
    ["score", "--year", "2007", "--format", "json"], ["explain", "NOR", "--year", "2008"],
    ["diff", "2004", "2007"], ["diff", "2004", "2007", "--format", "json"], ["status", "--year", "2007"],
    ["status", "--format", "csv"], ["trend"], ["trend", "--format", "markdown"], ["timeline"], ["sources"],
    ["indicators"], ["validate"], ["sensitivity", "--year", "2007", "--draws", "60", "--seed", "1"],
    ["export", "-o", "-"], ["export", "-o", "-", "--shape", "long"], ["export", "-o", "-", "--shape", "region"],
    ["codebook"], ["adoption"], ["adoption", "--format", "json"], ["export", "-o", "-", "--shape", "events"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_every_command_speaks_of_the_region_not_asean(compact, args):
    result = run(*args, "--data", str(compact.root))
    assert result.exit_code == 0, result.output
    text = result.output.casefold()
    for word in ("asean", "trafficking", "lau", "hsu"):
        assert word not in text, (word, args)
    if args[0] == "score" and "json" in args:
        assert json.loads(result.stdout)["region"]["members"] == 3


def test_agree_and_plot_on_the_region(compact, tmp_path):
    result = run("agree", str(compact.root), str(compact.root), "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert not any(w in result.output.casefold() for w in ("asean", "trafficking", "lau"))
    for kind in ("heatmap", "trend", "dimensions", "adoption"):
        out = tmp_path / f"{kind}.png"
        result = run("plot", "--kind", kind, "-o", str(out), "--data", str(compact.root), "--dpi", "40")
        assert result.exit_code == 0 and out.stat().st_size > 0, result.output


def test_every_export_format_of_the_region(compact, tmp_path):
    for suffix in ("csv", "json", "xlsx", "dta", "parquet", "tex", "md"):
        out = tmp_path / f"panel.{suffix}"
        result = run("export", "-o", str(out), "--shape", "long", "--data", str(compact.root))
        assert result.exit_code == 0 and out.stat().st_size > 0, result.output


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})


def test_same_scores_as_before_for_single_facts(dataset):
    # The shipped data are single facts: every score but the UN definition's is what the former
    # one-fact rule gives (event: 0 before its year; status: unknown before it is known).
    panel = score_panel(dataset, range(1997, 2016))
    for country in dataset.countries:
        for indicator, fact in country.facts.items():
            if indicator == "un_definition":
                continue
            level = dataset.model.level_scores(dataset.model.indicators[indicator])[fact.status]
            series = panel.countries.loc[country.iso3, indicator].to_numpy()
            for year, value in zip(range(1997, 2016), series):
                if level is None or fact.known_from is None:
                    expected = np.nan if not (fact.absent_before and year < fact.absent_before) else 0
                elif year >= fact.known_from:
                    expected = level
                elif dataset.model.indicators[indicator].kind == "event" and (fact.year or level == 0):
                    expected = 0
                elif fact.absent_before is not None and year < fact.absent_before:
                    expected = 0
                else:
                    expected = np.nan
                assert (np.isnan(expected) and np.isnan(value)) or expected == value, (country.iso3, indicator, year)


# --- ids that Stata can take -------------------------------------------------------------------


def test_the_stata_reserved_words_are_pandas_own():
    from pandas.io.stata import StataParser

    from harmon.data.schema import STATA_RESERVED

    pandas_words = {w for w in StataParser().RESERVED_WORDS if w.islower() and w.isidentifier() and w[0] != "_"}
    assert STATA_RESERVED == pandas_words


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("{id: charter,", "{id: external,", "indicator id 'external' is a reserved word in Stata"),
        ("{id: charter,", "{id: charter_of_rights_abcdefghij,",
         "exports name a column 'adoption_charter_of_rights_abcdefghij', over Stata's 32; use 23 characters or fewer"),
        ("- id: rights", "- id: rights_of_the_person_and_family", "use 27 characters or fewer"),
    ],
)
def test_ids_stata_cannot_take_are_refused(tmp_path, old, new, fragment):
    found = problems_of(tmp_path, model=MODEL.replace(old, new, 1))
    assert len(found) == 1 and fragment in found[0], found


def test_the_longest_ids_stata_can_take():
    from harmon.data.schema import stata_name_problem

    # adoption_ (9) + 23 = 32 and mean_ (5) + 27 = 32: just within Stata's limit.
    assert stata_name_problem("indicator", "a" * 23) is None and stata_name_problem("indicator", "a" * 24)
    assert stata_name_problem("dimension", "a" * 27) is None and stata_name_problem("dimension", "a" * 28)
