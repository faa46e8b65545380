"""`harmon.data.yamlio.read_yaml` builds values from the parser's events in one loop; this checks
it against PyYAML's own safe loader and composer, which it must agree with on every plain-data
document: the same values (`yaml.safe_load`), and each value placed at the line the composed
node tree gives (a mapping's value at its key's line, a list item at its own line).

Both parsers are checked: libyaml's (when installed) and PyYAML's pure-Python one.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from harmon.data import yamlio
from harmon.data.limits import MAX_DEPTH

LOADERS = [pytest.param(yaml.SafeLoader, id="pure-python")]
if hasattr(yaml, "CSafeLoader"):
    LOADERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))

# Text as a data file may hold it: no control or invisible formatting characters (refused, with
# their own tests in test_bad_input.py), nothing YAML cannot carry.
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), max_size=30)
KEYS = TEXT.filter(lambda key: "\n" not in key and "\r" not in key)
SCALARS = st.one_of(
    TEXT, st.integers(-10**30, 10**30), st.floats(allow_nan=False), st.booleans(), st.none(),
    st.sampled_from(["yes", "no", "on", "1.10", "2004-01-01", "0o17", "1e6", "~", "", "null", "-", "#x", "a: b"]),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=25,
)
STYLES = st.sampled_from([{"default_flow_style": False}, {"default_flow_style": True}, {"default_flow_style": None}])


def expected_lines(node: yaml.Node, loc: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """The line of every value, from the composed node tree: what `Document.lines` must hold."""
    out = {} if out is None else out
    out.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[loc + (key,)] = key_node.start_mark.line + 1
            expected_lines(value_node, loc + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for k, item in enumerate(node.value):
            expected_lines(item, loc + (k,), out)
    return out


def same(a: Any, b: Any) -> bool:
    """Equal values, -0.0 and 0.0 told apart (a number must come back as written)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return isinstance(b, float) and a == b and math.copysign(1, a) == math.copysign(1, b)
    return type(a) is type(b) and a == b


def depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    return 0


@pytest.mark.parametrize("loader", LOADERS)
@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(value=DOCUMENTS, style=STYLES)
def test_values_and_lines_agree_with_pyyaml(tmp_path_factory: pytest.TempPathFactory, loader: Any, value: Any,
                                            style: dict) -> None:
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=60, **style)
    path = tmp_path_factory.mktemp("doc") / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlio, "_LOADER", loader)
        patch.setattr(yamlio, "_PARSED", {})
        doc = yamlio.read_yaml(path)
    assert depth(value) <= MAX_DEPTH
    assert same(doc.data, yaml.load(text, Loader=loader))
    assert same(doc.data, value)
    assert doc.lines == expected_lines(yaml.compose(text, Loader=loader))


@pytest.mark.parametrize("loader", LOADERS)
def test_a_file_nested_far_deeper_than_the_c_stack_allows_is_refused_at_its_line(
    tmp_path: Path, loader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # libyaml's composer would recurse once per level and overflow the C stack (a segmentation
    # fault, no exception) well before 100,000 levels; the events are read without recursion.
    path = tmp_path / "deep.yaml"
    path.write_text("name: x\nnote: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    monkeypatch.setattr(yamlio, "_LOADER", loader)
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.read_yaml(path)
    assert info.value.problem.line == 2
    assert info.value.problem.message == f"nesting too deep (at most {MAX_DEPTH} levels)"


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("text, line, message", [
    ("a: 1\n---\nb: 2\n", 2, "more than one YAML document (---) in one file"),
    ("a: 1\nb: *nowhere\n", 2, "anchors and aliases (&name, *name) are not allowed in data files"),
    ("a: &here 1\nb: [2, *here]\n", 1, "anchors and aliases (&name, *name) are not allowed in data files"),
    # An anchor with no alias is refused too, where it is defined (trial item 11: it was accepted).
    ("a: 1\nmlat: &a\n", 2, "anchors and aliases (&name, *name) are not allowed in data files"),
    ("a: 1\nb:\n  - &x {c: 1}\n", 3, "anchors and aliases (&name, *name) are not allowed in data files"),
    ("a: 1\n&k b: 2\n", 2, "anchors and aliases (&name, *name) are not allowed in data files"),
    ("a:\n  ? [x, y]\n  : 1\n", 2, "a key must be a plain value, not a list or mapping"),
    ("a:\n  b: 1\n  b: 2\n", 3, "duplicate key 'b' (first given on line 2)"),
    ("a: !!set {x, y}\n", 1, "unsupported YAML tag !!set"),
    ("a:\n  - !!omap [x: 1]\n", 2, "unsupported YAML tag !!omap"),
    ("a: 1\n<<: {b: 2}\n", 2, "merge keys (<<) are not allowed in data files"),
    ("a:\n  b: !!bool maybe\n", 2, "'maybe' is tagged !!bool but is not yes, no, true or false"),
    ("# only a comment\n", None, "file is empty (no YAML document in it)"),
])
def test_what_the_builder_refuses(tmp_path: Path, loader: Any, monkeypatch: pytest.MonkeyPatch, text: str,
                                  line: int | None, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(yamlio, "_LOADER", loader)
    monkeypatch.setattr(yamlio, "_PARSED", {})
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.read_yaml(path)
    assert (info.value.problem.line, info.value.problem.message) == (line, message)


def test_an_empty_document_is_no_value(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("---\n", encoding="utf-8")
    assert yamlio.read_yaml(path).data is None


def test_the_characters_refused_before_parsing_are_those_pyyaml_cannot_read() -> None:
    every = "".join(map(chr, range(0x110000)))
    assert yamlio._NON_PRINTABLE.findall(every) == yaml.reader.Reader.NON_PRINTABLE.findall(every)
