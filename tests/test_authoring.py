"""Coding another region: `init`, the JSON Schemas, `sources`, and the checks for `validate`."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import harmon
from harmon.authoring.init import PLACEHOLDER, init_dataset
from harmon.authoring.schemas import json_schemas
from harmon.choices import SCHEMA_KINDS
from harmon.core.sources import sources_report
from harmon.data.completeness import check_states
from harmon.data.countries import AMBIGUOUS, resolve_state
from harmon.errors import CountryNameUnknown
from harmon.cli import app

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()

jsonschema = pytest.importorskip("jsonschema", reason="the schema tests need the jsonschema library (pip install check-jsonschema)")


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture()
def region(tmp_path: Path) -> Path:
    folder = tmp_path / "ecowas"
    init_dataset(folder, "Ghana, Nigeria, Senegal", name="ECOWAS", first=2001, last=2020)
    return folder


# --- init ---------------------------------------------------------------------------------------


def test_init_writes_a_dataset_that_validates_and_scores_at_once(region):
    assert harmon.validate_dataset(region) == []
    data = harmon.load_dataset(region)
    assert [(c.country, c.iso3) for c in data.countries] == [("Ghana", "GHA"), ("Nigeria", "NGA"), ("Senegal", "SEN")]
    assert data.region.name == "ECOWAS" and (data.first_year, data.last_year) == (2001, 2020)
    for country in data.countries:  # every indicator recorded, as unknown, citing the placeholder
        assert set(country.facts) == set(data.model.indicators)
        assert {f.status for f in country.facts.values()} == {"unknown"}
        assert {tuple(f.source) for f in country.facts.values()} == {(PLACEHOLDER,)}
    assert check_states(data) == []
    result = harmon.score_year(data, 2010)
    assert result.countries["coverage"].tolist() == [0.0, 0.0, 0.0]
    # Every YAML file names its schema, relative to itself, and the schema is there.
    for path in [region / "region.yaml", region / "references.yaml", *region.glob("*/*.yaml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        assert (path.parent / first.split("=", 1)[1]).resolve().is_file()


def test_init_cli_refuses_a_folder_that_is_not_empty_without_force(tmp_path):
    folder = tmp_path / "sadc"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    result = run("init", folder, "--states", "Angola, Botswana")
    assert result.exit_code == 2
    assert "not empty" in result.output and "--force" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    result = run("init", folder, "--states", "Angola, Botswana", "--force")
    assert result.exit_code == 0, result.output
    assert (folder / "notes.txt").read_text() == "mine\n"  # --force overwrites harmon's files only
    assert run("validate", "--data", folder).exit_code == 0


def test_unknown_state_names_a_suggestion_and_exits_2(tmp_path):
    result = run("init", tmp_path / "x", "--states", "Ghanna, Nigeria")
    assert result.exit_code == 2
    assert "unknown state 'Ghanna'" in result.output and "'Ghana'" in result.output
    assert not (tmp_path / "x").exists()
    with pytest.raises(CountryNameUnknown) as info:
        resolve_state("Atlantis")
    assert isinstance(info.value, harmon.HarmonError)


@pytest.mark.parametrize(
    "name, iso3",
    [("Viet Nam", "VNM"), ("Lao PDR", "LAO"), ("Ghana", "GHA"), ("vietnam", "VNM"), ("Burma", "MMR"),
     ("Brunei", "BRN"), ("Côte d'Ivoire", "CIV"), ("Kosovo", "XKX"), ("Niger", "NER")],
)
def test_state_names_resolve_to_iso_codes(name, iso3):
    assert resolve_state(name).iso3 == iso3


@pytest.mark.parametrize("name, first, second", [
    # Trial item 12: "Congo" is COG's ISO name, so it was taken silently, though people call both
    # states so. The names suggested are ones that resolve, each to its own state.
    ("Congo", ("Republic of the Congo", "COG"), ("Democratic Republic of the Congo", "COD")),
    ("the congo", ("Republic of the Congo", "COG"), ("Democratic Republic of the Congo", "COD")),
    ("Korea", ("South Korea", "KOR"), ("North Korea", "PRK")),
    ("Virgin Islands", ("British Virgin Islands", "VGB"), ("Virgin Islands of the United States", "VIR")),
])
def test_an_ambiguous_name_stops_with_the_names_to_write(name, first, second):
    with pytest.raises(CountryNameUnknown) as info:
        resolve_state(name)
    assert info.value.ambiguous and info.value.suggestions == [first[0], second[0]]
    assert str(info.value) == (f"state {' '.join(name.split())!r} is ambiguous: it could be {first[0]!r} or "
                               f"{second[0]!r}; write the one you mean")
    assert [resolve_state(n).iso3 for n, _ in (first, second)] == [first[1], second[1]]


def test_every_ambiguous_name_suggests_names_that_resolve():
    for name, suggestions in AMBIGUOUS.items():
        codes = [resolve_state(s).iso3 for s in suggestions]
        assert len(set(codes)) == len(codes) >= 2, name


@pytest.mark.parametrize("name, iso3", [("Niger", "NER"), ("Nigeria", "NGA"), ("Sudan", "SDN"), ("South Sudan", "SSD"),
                                        ("Guinea", "GIN"), ("Guinea-Bissau", "GNB"), ("Dominica", "DMA")])
def test_distinct_names_alike_are_not_ambiguous(name, iso3):
    assert resolve_state(name).iso3 == iso3


def test_init_stops_on_an_ambiguous_name_and_writes_nothing(tmp_path):
    result = CliRunner().invoke(app, ["init", str(tmp_path / "new"), "--states", "Ghana, Congo"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "harmon: state 'Congo' is ambiguous: it could be 'Republic of the Congo' or "
        "'Democratic Republic of the Congo'; write the one you mean"]
    assert not (tmp_path / "new").exists()


# --- a new region with facts, a new indicator and a new dimension --------------------------------

NEW_REFERENCES = """
  unodc2014-gha:
    document: unodc2014
    locator: "Country profile: Ghana"
  unodc2014-nga:
    document: unodc2014
    locator: "Country profile: Nigeria"
"""
NEW_DOCUMENT = """
  unodc2014:
    author: UNODC
    title: Global Report on Trafficking in Persons 2014
    year: 2014
"""
NEW_INDICATOR = """      - id: child_trafficking_law
        label: Law on child trafficking
        kind: event
        levels: event
        weight: 1
"""
NEW_DIMENSION = """  - id: prevention
    label: Prevention
    short: Prev.
    weight: 1
    indicators:
      - id: awareness_campaign
        label: National awareness campaign
        kind: status
        levels: provision
"""


def _fact(indicator: str, body: str) -> str:
    return f"  {indicator}:\n" + "".join(f"    {line}\n" for line in body.strip().splitlines())


def _record(path: Path, indicator: str, body: str) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index(f"\n  {indicator}:") + 1
    end = text.index("    source: todo\n", start) + len("    source: todo\n")
    path.write_text(text[:start] + _fact(indicator, body) + text[end:], encoding="utf-8")


def _code_region(region: Path) -> None:
    refs = region / "references.yaml"
    text = refs.read_text(encoding="utf-8")
    text = text.replace("\nreferences:\n", NEW_DOCUMENT + "\nreferences:\n").rstrip("\n") + "\n" + NEW_REFERENCES
    refs.write_text(text, encoding="utf-8")
    model = region / "indicators" / "model.yaml"
    text = model.read_text(encoding="utf-8")
    text = text.replace("      - id: un_definition\n", NEW_INDICATOR + "      - id: un_definition\n", 1)
    model.write_text(text.rstrip("\n") + "\n" + NEW_DIMENSION, encoding="utf-8")
    for path in (region / "countries").glob("*.yaml"):  # every state records the new indicators
        path.write_text(
            path.read_text(encoding="utf-8")
            + _fact("child_trafficking_law", "status: unknown\nsource: todo")
            + _fact("awareness_campaign", "status: unknown\nsource: todo"),
            encoding="utf-8",
        )
    ghana, nigeria = region / "countries" / "ghana.yaml", region / "countries" / "nigeria.yaml"
    _record(ghana, "trafficking_law", 'status: "yes"\nyear: 2005\ntitle: Human Trafficking Act 694\nsource: unodc2014-gha')
    _record(ghana, "child_trafficking_law", 'status: "yes"\nyear: 2003\nsource: unodc2014-gha')
    _record(ghana, "awareness_campaign", 'status: "yes"\nobserved: 2008\nsource: [unodc2014-gha, todo]')
    _record(nigeria, "trafficking_law", 'status: "no"\nobserved: 2010\nsource: unodc2014-nga')


def test_a_new_region_with_a_new_indicator_and_dimension_validates_and_scores(region):
    _code_region(region)
    assert harmon.validate_dataset(region) == []
    data = harmon.load_dataset(region)
    assert check_states(data) == []
    assert [d.id for d in data.model.dimensions][-1] == "prevention"
    assert "child_trafficking_law" in data.model.indicators

    result = harmon.score_year(data, 2010)
    rows = result.countries
    # Ghana: criminalization 2 of 3 indicators known (both yes), prevention yes; 5 dimensions.
    assert rows.loc["GHA", "index"] == pytest.approx(100.0)
    assert rows.loc["GHA", "coverage"] == pytest.approx(2 / 3 * 1 / 5 + 1 / 5)
    assert rows.loc["GHA", "prevention"] == pytest.approx(100.0)
    # Nigeria: no anti-trafficking law observed in 2010, nothing else known.
    assert rows.loc["NGA", "index"] == pytest.approx(0.0)
    # The law known absent makes the UN definition, which requires it, known absent too: 2 of the 3
    # criminalization indicators are known.
    assert rows.loc["NGA", "coverage"] == pytest.approx(2 / 3 * 1 / 5)
    # 2004: Ghana's trafficking law (an event of 2005) is known absent, and so the UN definition
    # that requires it; its child trafficking law (2003) is in force; its awareness campaign, a
    # status first observed in 2008, is unknown, not 0. Criminalization (0 + 0 + 1) / 3.
    early = harmon.score_year(data, 2004).countries
    assert early.loc["GHA", "coverage"] == pytest.approx(3 / 3 * 1 / 5)
    assert early.loc["GHA", "index"] == pytest.approx(100 / 3)

    assert run("validate", "--data", region).exit_code == 0
    result = run("score", "--data", region, "--year", "2010", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    ghana = next(c for c in doc["countries"] if c["iso3"] == "GHA")
    assert ghana["dimensions"]["prevention"] == pytest.approx(100.0)
    assert ghana["indicators"]["child_trafficking_law"] == 1


def test_an_indicator_a_state_does_not_record_is_reported_not_recorded(region):
    _code_region(region)
    path = region / "countries" / "senegal.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("\n  awareness_campaign:") + 1
    path.write_text(text[:start], encoding="utf-8")
    problems = check_states(harmon.load_dataset(region))
    assert len(problems) == 1 and problems[0].path == path
    assert "not recorded: awareness_campaign" in problems[0].message


def test_iso_codes_are_checked(tmp_path, dataset):
    assert check_states(dataset) == []
    copy_ = _copy_shipped(tmp_path)
    path = copy_ / "countries" / "viet-nam.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("iso3: VNM", "iso3: VNN"), encoding="utf-8")
    problems = check_states(harmon.load_dataset(copy_))
    assert [p.message for p in problems] == ["iso3 'VNN' is not an ISO 3166 alpha-3 code (Viet Nam is VNM)"]
    expected_line = path.read_text(encoding="utf-8").splitlines().index("iso3: VNN") + 1
    assert problems[0].line == expected_line


# --- JSON Schemas -------------------------------------------------------------------------------

SHIPPED = {
    "region": ["region.yaml"],
    "references": ["references.yaml"],
    "indicators": ["indicators/model.yaml"],
    "country": sorted(p.relative_to(REPO).as_posix() for p in (REPO / "countries").glob("*.yaml")),
}


def _validator(kind: str):
    schema = json_schemas()[kind]
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_every_kind_has_a_schema():
    assert set(json_schemas()) == set(SCHEMA_KINDS) == set(SHIPPED)


@pytest.mark.parametrize("kind", sorted(SHIPPED))
def test_the_schemas_accept_the_shipped_files(kind):
    validator = _validator(kind)
    for name in SHIPPED[kind]:
        errors = list(validator.iter_errors(yaml.safe_load((REPO / name).read_text(encoding="utf-8"))))
        assert errors == [], f"{name}: {errors[0].message}"


def test_check_jsonschema_accepts_the_shipped_files(tmp_path):
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    if not Path(exe).is_file():
        pytest.skip("the check-jsonschema command is not installed (pip install check-jsonschema)")
    result = run("schema", "--output", tmp_path)
    assert result.exit_code == 0, result.output
    for kind, files in SHIPPED.items():
        done = subprocess.run(
            [exe, "--schemafile", str(tmp_path / f"{kind}.schema.json"), *files],
            cwd=REPO, capture_output=True, text=True, timeout=60,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def _copy_shipped(tmp_path: Path) -> Path:
    target = tmp_path / "asean"
    target.mkdir()
    for name in ("region.yaml", "references.yaml"):
        shutil.copy(REPO / name, target / name)
    for folder in ("indicators", "countries"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def _set(data: dict, path: tuple, value) -> dict:
    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


def _drop(data: dict, path: tuple) -> dict:
    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return data


def _variants():
    load = lambda name: yaml.safe_load((REPO / name).read_text(encoding="utf-8"))  # noqa: E731
    thailand, model = load("countries/thailand.yaml"), load("indicators/model.yaml")
    region, refs = load("region.yaml"), load("references.yaml")
    fact = ("facts", "trafficking_law")
    return [
        # (id, kind, file, data, good?)
        ("country as shipped", "country", "countries/thailand.yaml", thailand, True),
        ("one source as a list", "country", "countries/thailand.yaml", _set(thailand, fact + ("source",), ["lau2016-table1"]), True),
        ("a fact with a note", "country", "countries/thailand.yaml", _set(thailand, fact + ("note",), "see the act"), True),
        ("unknown key", "country", "countries/thailand.yaml", _set(thailand, fact + ("yeer",), 2008), False),
        ("year as text", "country", "countries/thailand.yaml", _set(thailand, fact + ("year",), "2008"), False),
        ("year 1850", "country", "countries/thailand.yaml", _set(thailand, fact + ("year",), 1850), False),
        ("year as boolean", "country", "countries/thailand.yaml", _set(thailand, fact + ("year",), True), False),
        ("no source", "country", "countries/thailand.yaml", _drop(thailand, fact + ("source",)), False),
        ("empty source list", "country", "countries/thailand.yaml", _set(thailand, fact + ("source",), []), False),
        ("lower-case iso3", "country", "countries/thailand.yaml", _set(thailand, ("iso3",), "tha"), False),
        ("fact key with a dash", "country", "countries/thailand.yaml", _set(thailand, ("facts", "Trafficking-Law"), thailand["facts"]["mlat"]), False),
        ("status as a number", "country", "countries/thailand.yaml", _set(thailand, fact + ("status",), 1), False),
        ("unknown top key", "country", "countries/thailand.yaml", _set(thailand, ("region",), "ASEAN"), False),
        ("model weight 2.5", "indicators", "indicators/model.yaml", _set(model, ("dimensions", 0, "weight"), 2.5), True),
        ("model weight 0", "indicators", "indicators/model.yaml", _set(model, ("dimensions", 0, "weight"), 0), False),
        ("model weight as text", "indicators", "indicators/model.yaml", _set(model, ("dimensions", 0, "weight"), "1"), False),
        ("indicator kind typo", "indicators", "indicators/model.yaml", _set(model, ("dimensions", 0, "indicators", 0, "kind"), "events"), False),
        ("level score 2", "indicators", "indicators/model.yaml", _set(model, ("levels", "event", "yes"), 2), False),
        ("milestone year 1850", "region", "region.yaml", _set(region, ("milestones", 0, "year"), 1850), False),
        ("milestone bad date", "region", "region.yaml", _set(region, ("milestones", 0, "date"), "20 Dec 1997"), False),
        ("region without period", "region", "region.yaml", _drop(region, ("period",)), False),
        ("document year as text", "references", "references.yaml", _set(refs, ("documents", "lau2016", "year"), "2016"), False),
        ("reference without locator", "references", "references.yaml", _drop(refs, ("references", "lau2016-s2.2", "locator")), False),
        ("undated document", "references", "references.yaml", _set(refs, ("documents", "lau2016", "year"), None), True),
    ]


def test_harmon_and_the_schemas_agree_on_good_and_bad_files(tmp_path):
    validators = {kind: _validator(kind) for kind in SCHEMA_KINDS}
    target = _copy_shipped(tmp_path)
    disagreements = []
    for label, kind, name, data, good in _variants():
        schema_ok = validators[kind].is_valid(data)
        path = target / name
        original = path.read_text(encoding="utf-8")
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        try:
            problems = [p for p in harmon.validate_dataset(target) if p.path == path]
        finally:
            path.write_text(original, encoding="utf-8")
        harmon_ok = not problems
        if not (schema_ok == harmon_ok == good):
            disagreements.append(f"{label}: expected {'good' if good else 'bad'}, schema {schema_ok}, harmon {harmon_ok} {problems}")
    assert disagreements == []


def test_schema_cli_prints_one_kind_or_all():
    one = run("schema", "country")
    assert one.exit_code == 0 and json.loads(one.output) == json_schemas()["country"]
    every = run("schema")
    assert every.exit_code == 0 and set(json.loads(every.output)) == set(SCHEMA_KINDS)


# --- sources ------------------------------------------------------------------------------------


def _count_citations(data) -> tuple[Counter, Counter]:
    facts, other = Counter(), Counter()
    other.update(data.region.period.source)
    for milestone in data.region.milestones:
        other.update(milestone.source)
    for figure in data.region.figures:
        other.update(figure.source)
    other.update(data.model.source or [])
    for country in data.countries:
        other.update(country.membership_source or [])
        for spell in country.membership or []:
            other.update(spell.source)
        for fact in (f for i in country.facts for f in country.history(i)):
            facts.update(set(fact.source))
    return facts, other


def test_sources_counts_match_the_data(dataset):
    facts, other = _count_citations(dataset)
    result = run("sources", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["references"]
    assert [r["key"] for r in rows] == list(dataset.references.references)
    for row in rows:
        assert (row["facts"], row["other"]) == (facts[row["key"]], other[row["key"]]), row["key"]
    assert sum(r["facts"] for r in rows) >= sum(len(c.facts) for c in dataset.countries)
    assert run("sources").exit_code == 0


def test_sources_of_a_new_region_and_uncited_references_warned(region):
    report = sources_report(harmon.load_dataset(region))
    assert [(u.key, u.facts, u.other) for u in report.references] == [(PLACEHOLDER, 3 * 9, 3 + 1 + 1)]
    assert report.warnings == ()
    _code_region(region)
    data = harmon.load_dataset(region)
    facts, other = _count_citations(data)
    report = sources_report(data)
    assert {u.key: (u.facts, u.other) for u in report.references} == {
        key: (facts[key], other[key]) for key in data.references.references
    }
    assert report.warnings == ()
    refs = region / "references.yaml"
    refs.write_text(refs.read_text(encoding="utf-8") + '  unused:\n    document: unodc2014\n    locator: "p. 1"\n', encoding="utf-8")
    result = run("sources", "--data", region)
    assert result.exit_code == 0
    assert "warning: reference 'unused' is cited by nothing" in result.output


def test_sources_takes_no_color(tmp_path):
    # Trial item 9: `sources` draws a coloured table but refused --no-color.
    env = {"COLUMNS": "80", "FORCE_COLOR": "1", "TERM": "xterm-256color", "NO_COLOR": ""}
    coloured = CliRunner().invoke(app, ["sources"], env=env)
    plain = CliRunner().invoke(app, ["sources", "--no-color"], env=env)
    assert coloured.exit_code == plain.exit_code == 0
    assert "\x1b[" in coloured.stdout and "\x1b[" not in plain.stdout
    assert "Reference" in plain.stdout
