"""Read a YAML data file safely, keeping the line of every value.

Only the safe subset of YAML is accepted: the standard tags (map, seq, str, int, float, bool,
null, timestamp), no anchors or aliases, no merge keys, no duplicate keys, one document, bounded
size and depth. Parsing uses libyaml's C parser when it is installed and PyYAML's pure-Python
safe parser otherwise; both are used only for their stream of events, from which the values are
built here, so that no constructor of an arbitrary tag is ever run.
"""

from __future__ import annotations


import re
import stat
import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import yaml

from harmon.errors import Problem, printable
from harmon.data.limits import ENV_MAX_FILE_BYTES, MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, max_file_bytes

__all__ = ["Document", "YamlProblem", "read_yaml", "MAX_FILE_BYTES", "MAX_DEPTH", "MAX_NODES"]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
# How to read a bigger file, as the bounds on states and indicators say it too.
_RAISE_LIMIT = f" (set {ENV_MAX_FILE_BYTES} to change the bound)"
_DECIMAL_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
# YAML 1.1 reads these unquoted words as booleans; in harmon's files they are always meant as text.
YAML11_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false"}
# The characters YAML forbids in a stream (the complement of PyYAML's list of printable ones, which
# as a negated class takes 6 ms to compile at every start): checked here, before parsing, because
# the parsers report them without a line, at an offset counted in bytes by libyaml and in
# characters by PyYAML.
_NON_PRINTABLE = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]")
# Control characters that a double-quoted value can still hold as escapes ("\e", "\x1b", "\r"):
# printed to a terminal they would act (move the cursor, recolour, retitle the window).
_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F\x7F-\x9F]")
# Invisible characters that reorder or hide text (bidirectional overrides and isolates, the
# marks, line and paragraph separators): a name holding them reads differently from what it is.
_HIDDEN = re.compile("[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]")
# Either of the two, for one search per value (a clean file has neither).
_UNSHOWN = re.compile(_CONTROL.pattern[:-1] + _HIDDEN.pattern[1:])

Path_ = tuple[Any, ...]


@dataclass
class Document:
    """A parsed file: its data as plain Python values and the line (1-based) of each value."""

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    # The source text and YAML type (bool, int, float, null, timestamp) of every value that is
    # not a plain string, for hints on YAML 1.1's traps.
    raw: dict[Path_, str] = field(default_factory=dict)
    kinds: dict[Path_, str] = field(default_factory=dict)
    source: bytes = b""  # the bytes read, for hashes: the file is read once

    def line_of(self, loc: Path_) -> int | None:
        """Return the line of the value at `loc`, or of its nearest enclosing value."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)

    def hint_for(self, loc: Path_, expected: str | None = None, choices: Sequence[str] | None = None) -> str:
        """Return a hint when the value at `loc` is not what it looks like, else ''.

        YAML 1.1 reads some unquoted words and numbers as another type than the text written:
        `NO` (Norway) and `on` as booleans, `1.10` as the number 1.1, `2020-01-01` as a date,
        an empty value or `~` as nothing. `expected` is what the file's model wanted there:
        "text", "list", "year", "integer", "number" or None (unknown: only booleans are hinted).
        `choices`, when given, are the only texts allowed there (a fact's levels): the hint then
        names the one meant, not the word as written.
        """
        loc = tuple(loc)
        raw, kind = self.raw.get(loc), self.kinds.get(loc)
        if raw is None:
            return ""
        raw = clip(raw, 40)
        if kind == "bool" and raw.lower() in YAML11_BOOL_WORDS:
            if expected in _DIGITS:
                return f" (YAML reads unquoted {raw} as a boolean; {_DIGITS[expected]})"
            return f" (YAML reads unquoted {raw} as a boolean{_as_text(raw, choices)})"
        if kind in ("int", "float") and expected in ("text", "list"):
            return f" (YAML reads unquoted {raw} as a number{_as_text(raw, choices)})"
        if kind == "timestamp" and expected in ("year", "integer", "number"):
            return f" (YAML reads {raw} as a date: write the year alone, {raw[:4]})"
        if kind == "null" and expected is not None:
            if not raw:
                return " (the value is empty: give one)"
            if expected in _DIGITS or (choices is not None and raw not in choices):
                return f" (YAML reads unquoted {raw} as no value: give one)"
            return f' (YAML reads unquoted {raw} as no value: give one, or write "{raw}" in quotes)'
        return ""


# What a value read as a boolean should have been, for a field that wants digits.
_DIGITS = {
    "year": "a year is written in digits, such as 2004",
    "integer": "a whole number is written in digits",
    "number": "a number is written in digits",
}


def _as_text(raw: str, choices: Sequence[str] | None) -> str:
    """The end of a hint for `raw`, which YAML read as another type than the text meant: write it
    in quotes; when only `choices` are allowed, the one it differs from in case only (unquoted NO
    for the level "no"), or the list of them."""
    if choices is None or raw in choices:
        return f': write "{raw}" in quotes'
    same = [c for c in choices if c.casefold() == raw.casefold()]
    if same:
        return f': write "{clip(same[0], 40)}" in quotes'
    return f"; the values allowed here are: {clip(', '.join(choices))}"


class YamlProblem(Exception):
    """A file could not be read as safe YAML; carries one `Problem`."""

    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


def read_yaml(path: Path) -> Document:
    """Read and parse `path`; return its `Document` or raise `YamlProblem`."""
    path = Path(path)

    def fail(message: str, line: int | None = None) -> YamlProblem:
        return YamlProblem(Problem(path, line, message))

    limit = max_file_bytes()
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # Why: a FIFO blocks on open and a device (a link to /dev/zero) reads without end.
            raise fail("not a regular file (a folder, a device or a pipe)")
        if info.st_size > limit:
            raise fail(f"file is {info.st_size:,} bytes; data files may be at most {limit:,} bytes{_RAISE_LIMIT}")
        data = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limit:  # the file grew after stat
        raise fail(f"file is over {limit:,} bytes; data files may be at most {limit:,} bytes{_RAISE_LIMIT}")
    if b"\x00" in data:
        raise fail("not a text file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail(f"not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded)", line) from None

    bad = _NON_PRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise fail(f"a control character (U+{ord(bad.group()):04X}) is not allowed in YAML text", line)

    if data in _PARSED:
        # The same text elsewhere (a copy of a dataset) parses the same: only its path differs.
        known = _PARSED[data]
        return known if known.path == path else replace(known, path=path)
    try:
        events = _node_events(text, fail)
    except yaml.MarkedYAMLError as exc:
        raise fail(*_describe_yaml_error(exc, text)) from None
    except yaml.YAMLError as exc:
        # Why: str(exc) can span lines; a problem is reported on one line.
        raise fail("invalid YAML: " + " ".join(str(exc).split())) from None
    if not events:
        raise fail("file is empty (no YAML document in it)")
    doc = Document(path=path, data=None, source=data)
    doc.data = _Builder(doc).build(events)
    _remember(data, doc)
    return doc


# Files parsed in this process, by content: a session that loads a dataset again (a notebook, a
# test suite, `validate` then `score` in one process) parses only files that changed. A Document
# is never modified after parsing. Small files only, and a bounded number of them.
_PARSED: dict[bytes, Document] = {}
_PARSED_MAX_FILES = 2_000
_PARSED_MAX_FILE_BYTES = 64 * 1024


def _remember(key: bytes, doc: Document) -> None:
    if len(key) > _PARSED_MAX_FILE_BYTES:
        return
    if len(_PARSED) >= _PARSED_MAX_FILES:
        _PARSED.pop(next(iter(_PARSED)))  # the oldest first
    _PARSED[key] = doc


def _node_events(text: str, fail: Any) -> list[yaml.Event]:
    """The parser's events for the one document in `text` (none for an empty file), its
    nesting checked on the way.

    Why events and not a composed node tree: libyaml's composer recurses in C once per level, so
    some 30,000 nested `[` (a 30 kB file) overflow the C stack and kill the process with a
    segmentation fault, which no Python exception reports. The event stream is produced without
    recursion, stopped at the first level too deep, and `_Builder` makes the values from it in a
    loop. The whole stream is read first, so that a syntax error anywhere is reported before
    anything the values hold.
    """
    events: list[yaml.Event] = []
    depth = 0
    second_document = None
    for event in yaml.parse(text, Loader=_LOADER):
        kind = type(event)
        if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            depth += 1
            if depth > MAX_DEPTH:
                raise fail(f"nesting too deep (at most {MAX_DEPTH} levels)", event.start_mark.line + 1)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            depth -= 1
        elif kind is yaml.DocumentStartEvent:
            if events and second_document is None:
                second_document = event
            continue
        elif kind is yaml.StreamStartEvent or kind is yaml.StreamEndEvent or kind is yaml.DocumentEndEvent:
            continue
        if second_document is None:
            events.append(event)
    if second_document is not None:
        raise fail("more than one YAML document (---) in one file", second_document.start_mark.line + 1)
    return events


def _describe_yaml_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, int | None]:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    # Why: at the end of the stream the mark is on the line after the last one; name a real line.
    last_line = max(1, len(text.splitlines()))
    if line is not None and line > last_line:
        line = last_line
    problem = exc.problem or str(exc)
    if line is not None:
        source_line = text.splitlines()[line - 1] if line - 1 < len(text.splitlines()) else ""
        if "\t" in source_line and ("tab" in problem or "cannot start any token" in problem):
            # Why: the pure-Python parser also refuses a tab after `key:`, which is not indentation.
            indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
            where = "in indentation" if "\t" in indent else "used as spacing"
            return f"a tab character {where}: YAML allows only spaces", line
    if "expected a single document" in problem or "but found another document" in problem:
        return "more than one YAML document (---) in one file", line
    diagnosis = _diagnose_layout(exc, problem, text.splitlines())
    if diagnosis is not None:
        return diagnosis
    context = f"{exc.context}: " if exc.context else ""
    message = f"invalid YAML: {context}{problem}"
    # Why: for an unclosed bracket or quote the parser stops lines later; name where it began too.
    begins = min(exc.context_mark.line + 1, last_line) if exc.context_mark is not None else None
    if exc.context and begins is not None and begins != line:
        message = f"invalid YAML: {problem} {exc.context} that begins on line {begins}"
    return " ".join(message.split()), line


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_before(lines: list[str], index: int) -> int | None:
    """The index of the last line before `index` that holds YAML (not blank, not a comment)."""
    for k in range(index - 1, -1, -1):
        if lines[k].strip() and not lines[k].lstrip().startswith("#"):
            return k
    return None


def _diagnose_layout(exc: yaml.MarkedYAMLError, problem: str, lines: list[str]) -> tuple[str, int] | None:
    """A missing colon or a line out of step with its block, named at the line to fix and said
    in words (PyYAML reports these a line late, or in its parser's terms); None for other errors."""
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        # Reported on the line after the key: the key's own line is where the colon is missing.
        k = exc.context_mark.line
        text = lines[k].strip() if k < len(lines) else ""
        key, _, rest = text.partition(" ")
        fixed = f"{key}: {rest.strip()}" if rest.strip() else f"{key}:"
        return f"no colon after the key {clip(key, 40)!r}: write {clip(fixed, 60)!r}", k + 1
    if "mapping values are not allowed" in problem and exc.problem_mark is not None:
        k = exc.problem_mark.line
        before = _content_before(lines, k)
        if before is not None and ":" not in lines[before] and _indent(lines[k]) > _indent(lines[before]):
            key = lines[before].strip()
            return (f"no colon after the key {clip(key, 40)!r}: write {clip(key, 40) + ':'!r} "
                    "(the indented lines below are its value)"), before + 1
        return ("a second ': ' in one line: put the value in quotes if it contains ': ' "
                "(key: \"text: more\"), or start a new line for another key"), k + 1
    if "expected <block end>" in problem or "did not find expected key" in problem:
        mark = exc.problem_mark
        if mark is None or mark.line >= len(lines):
            return None
        k = mark.line
        before = _content_before(lines, k)
        if before is None:
            return None
        here, above = _indent(lines[k]), _indent(lines[before])
        if here > above:
            return (f"indented {here} spaces, more than line {before + 1} above it ({above}): keys of one block "
                    f"start in the same column; indent this line by {above} spaces"), k + 1
        block = exc.context_mark.line if exc.context_mark is not None else None
        outer = _indent(lines[block]) if block is not None and block < len(lines) else 0
        where = f"line {block + 1}" if block is not None else "the block"
        return (f"indented {here} spaces, out of step with {where} ({outer}) and line {before + 1} above it "
                f"({above}): YAML nests by indentation, so a key must start in the column of its block's keys; "
                f"line it up with one of those (or fix {where} if that is the one out of step)"), k + 1
    return None


_RESOLVER = yaml.resolver.Resolver()
_SEQ, _MAP, _STR = _TAG + "seq", _TAG + "map", _TAG + "str"
# The tags of keys that YAML reads as something else than a name.
_NOT_NAMES = {_TAG + t for t in ("merge", "bool", "int", "float", "null")}


@functools.lru_cache(maxsize=4096)
def _implicit_tag(value: str, implicit: tuple[bool, bool]) -> str:
    """The tag YAML gives an untagged scalar (as PyYAML's composer resolves it); cached because
    the same keys and levels recur in every file."""
    return _RESOLVER.resolve(yaml.ScalarNode, value, implicit)


class _Mapping:
    """A mapping being built: its values so far, the key waiting for its value, and the line
    each key was first given on."""

    __slots__ = ("loc", "value", "key", "key_line", "first_line")

    def __init__(self, loc: Path_):
        self.loc = loc
        self.value: dict = {}
        self.key: Any = _NO_KEY
        self.key_line = 0
        self.first_line: dict = {}


class _Sequence:
    __slots__ = ("loc", "value")

    def __init__(self, loc: Path_):
        self.loc = loc
        self.value: list = []


_NO_KEY = object()


class _Builder:
    """Turn a document's events into plain values, checking every value on the way, in one loop
    (no recursion, see `_node_events`)."""

    def __init__(self, doc: Document):
        self.doc = doc

    def fail_at(self, line: int, message: str) -> YamlProblem:
        return YamlProblem(Problem(self.doc.path, line, message))

    def fail(self, event: yaml.Event, message: str) -> YamlProblem:
        return self.fail_at(event.start_mark.line + 1, message)

    def build(self, events: list[yaml.Event]) -> Any:
        """The document's value."""
        lines = self.doc.lines
        open_: list[_Mapping | _Sequence] = []  # the collections being built, outermost first
        result: Any = None
        count = 0  # values, as the limit counts them (keys are names, not values)
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        for event in events:
            kind = type(event)
            if kind in ends:
                value = open_.pop().value
            else:
                if event.anchor is not None:
                    # An alias would repeat a value (and nine aliases of nine, a billion); an anchor
                    # is refused where it is defined, alias or not, as the docs say, so an alias is
                    # only ever met without one (`*nowhere`).
                    raise self.fail(event, "anchors and aliases (&name, *name) are not allowed in data files")
                line = event.start_mark.line + 1
                parent = open_[-1] if open_ else None
                if type(parent) is _Mapping:
                    if parent.key is _NO_KEY:
                        parent.key, parent.key_line = self.key(event, parent), line
                        continue
                    loc: Path_ = parent.loc + (parent.key,)
                    # A value in a mapping is placed at its key's line: for a nested block that
                    # is where the reader looks.
                    lines[loc] = parent.key_line
                else:
                    loc = () if parent is None else parent.loc + (len(parent.value),)
                    lines[loc] = line
                count += 1
                if count > MAX_NODES:
                    raise self.fail(event, f"too many values (more than {MAX_NODES:,})")
                if kind is yaml.ScalarEvent:
                    value = self.scalar(event, loc)
                else:
                    tag = event.tag
                    mapping = kind is yaml.MappingStartEvent
                    if tag is not None and tag != "!" and tag != (_MAP if mapping else _SEQ):
                        raise self.fail(event, f"unsupported YAML tag {clip(_short(tag))}")
                    open_.append(_Mapping(loc) if mapping else _Sequence(loc))
                    continue
            # A value is complete: it goes into the collection around it.
            if not open_:
                result = value
            elif type(parent := open_[-1]) is _Mapping:
                parent.value[parent.key] = value
                parent.key = _NO_KEY
            else:
                parent.value.append(value)
        return result

    def key(self, event: yaml.Event, mapping: _Mapping) -> Any:
        """The name a key event gives, refused unless it is a plain new name."""
        if type(event) is not yaml.ScalarEvent:
            raise self.fail(event, "a key must be a plain value, not a list or mapping")
        tag = self.tag(event)
        # Why: every key in harmon's files is a name. An unquoted `yes:` (a status level)
        # became True and was reported as "levels.event.1: ... got True", with no hint; `1.10:`
        # would become the name "1.1" and `null:` a key of None.
        if tag in _NOT_NAMES:
            word = clip(event.value, 40)
            if tag == _TAG + "merge":
                raise self.fail(event, "merge keys (<<) are not allowed in data files")
            if tag == _TAG + "bool":
                raise self.fail(event, f'key {word} is read by YAML as a boolean: write "{word}" in quotes')
            if tag == _TAG + "null":
                if word:
                    raise self.fail(event, f'key {word} is read by YAML as no value: write "{word}" in quotes')
                raise self.fail(event, "a key is empty: write a name before the colon")
            raise self.fail(event, f'key {word} is read by YAML as a number: write "{word}" in quotes')
        key = self.scalar(event, None)
        line = event.start_mark.line + 1
        if key in mapping.first_line:
            raise self.fail(event, f"duplicate key {clip(repr(key))} (first given on line {mapping.first_line[key]})")
        mapping.first_line[key] = line
        return key

    @staticmethod
    def tag(event: yaml.ScalarEvent) -> str:
        tag = event.tag
        return _implicit_tag(event.value, event.implicit) if tag is None or tag == "!" else tag

    def unshown(self, event: yaml.ScalarEvent, value: str) -> YamlProblem:
        """The problem with a text holding a control or an invisible formatting character."""
        bad = _CONTROL.search(value)
        if bad:
            return self.fail(event, f"a control character (U+{ord(bad.group()):04X}) is not allowed in a value")
        bad = _HIDDEN.search(value)
        return self.fail(event, f"an invisible formatting character (U+{ord(bad.group()):04X}, which reorders or "
                                "hides text) is not allowed in a value")

    def scalar(self, event: yaml.ScalarEvent, loc: Path_ | None) -> Any:
        """The value of a scalar event at `loc` (None: a key), its text and type kept for hints."""
        tag, value = self.tag(event), event.value
        if tag == _STR:
            if _UNSHOWN.search(value):
                raise self.unshown(event, value)
            if loc is None:
                if "\n" in value:
                    raise self.fail(event, "a key holds a line break: a key is a name on one line")
            elif not event.style:  # unquoted: `1e6` is text to YAML 1.1, a number to the eye
                self.doc.raw[loc], self.doc.kinds[loc] = value, "plain str"
            return value
        if loc is not None and tag.startswith(_TAG):
            # Kept for hints: what was written, and what YAML made of it.
            self.doc.raw[loc] = value
            self.doc.kinds[loc] = tag[len(_TAG):]
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            if value.lower() not in YAML11_BOOL_WORDS:  # `!!bool maybe`: PyYAML refuses it too
                raise self.fail(event, f"{clip(repr(value), 40)} is tagged !!bool but is not yes, no, true or false")
            return value.lower() in ("yes", "true", "on", "y")
        if tag == _TAG + "int":
            if not _DECIMAL_INT.match(value):
                raise self.fail(
                    event,
                    f"{clip(repr(value), 40)} is read by YAML as a number in another base or format: "
                    f'write it in plain decimal digits, or quote it ("{clip(value, 40)}") if it is text',
                )
            try:
                return int(value)
            except ValueError:  # Why: Python refuses int() of over 4,300 digits; that crashed harmon
                raise self.fail(event, f"a number of {len(value):,} digits is too long") from None
        if tag == _TAG + "float":
            text = value.replace("_", "").lower()
            if not text.isascii():  # Python's float() reads other scripts' digits; YAML does not
                text = "not a number"
            special = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}
            try:
                return float(special.get(text, text))
            except ValueError:
                raise self.fail(event, f"{clip(repr(value), 40)} is read by YAML as a number in an unusual format: "
                                f"write it in plain decimal digits, or quote it") from None
        if tag == _TAG + "timestamp":
            # Dates are kept as the text written; fields that hold dates expect text.
            return value
        raise self.fail(event, f"unsupported YAML tag {clip(_short(tag))}: only plain data is allowed")


def clip(text: str, width: int = 80) -> str:
    """`text` on one line (line breaks and other unprintable characters escaped, as repr does),
    cut in the middle to about `width` characters: a problem is reported on one short line,
    whatever the file holds."""
    text = printable(text)
    if len(text) <= width:
        return text
    return f"{text[: width // 2]}…{text[-(width // 2):]} ({len(text):,} characters)"


def _short(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag
