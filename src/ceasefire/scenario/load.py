"""Load a scenario file: YAML with positions, pydantic validation, and errors as ``file:line:col``.

Nothing here raises anything but :class:`ScenarioError` for bad input, and a ScenarioError carries
every problem found, one per line, so that the user can fix them all in one pass.
"""

from __future__ import annotations

import hashlib
import os
import stat
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ceasefire.scenario.checks import Loc, Problem, check_scenario
from ceasefire.scenario.model import SCHEMA_VERSION, Scenario
from ceasefire.scenario.proposals import Proposal, ProposalsFile, proposal_problems
from ceasefire.scenario.yaml_hints import (
    field_names,
    flow_comma_hint,
    misspelling_hint,
    parse_hint,
    value_hint,
    with_hint,
)

MAX_BYTES = 5 * 1024 * 1024
# A document whose aliases would expand to more nodes than this is refused ("billion laughs").
MAX_EXPANDED_NODES = 1_000_000
# Collections nested deeper than this are refused before composing: the YAML composer recurses
# once per level (the C one until the process runs out of stack). Scenarios nest about 8 deep.
MAX_DEPTH = 100


@dataclass(frozen=True)
class Located:
    """A problem at a place in a file (1-based line and column)."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{_printable(self.path)}:{self.line}:{self.col}: {_printable(self.message)}"


# Control characters and everything str.splitlines() breaks on (U+2028, U+0085, ...): in a message
# they are written as escapes, so that one problem is always one line, whatever the file holds.
_UNPRINTABLE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]
}


def _printable(text: str) -> str:
    return text.translate(_UNPRINTABLE)


class ScenarioError(Exception):
    """A scenario could not be read; ``problems`` lists each problem with its position."""

    def __init__(self, problems: Sequence[Located]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class LoadedScenario:
    """A valid scenario together with where it came from."""

    scenario: Scenario
    path: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def load_scenario(path: str | Path) -> LoadedScenario:
    """Read and validate a scenario file, raising :class:`ScenarioError` on any problem."""
    return parse_scenario(read_limited(path), str(path))


def read_limited(path: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Anything else (a directory, a device such as /dev/zero, a named pipe, a file that is too large
    or cannot be read) raises :class:`ScenarioError`, located at 1:1, saying why. The file is opened
    without blocking, so a named pipe without a writer is refused rather than waited on, and read
    only up to the limit, so a file that grows while read cannot exhaust memory.
    """

    def refuse(message: str) -> ScenarioError:
        return ScenarioError([Located(str(path), 1, 1, message)])

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        raise refuse("is a directory, not a scenario file") from None
    except OSError as error:
        raise refuse(error.strerror or str(error)) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise refuse("is a directory, not a scenario file")
        raise refuse("is not a regular file (a device, pipe or socket)")
    with os.fdopen(fd, "rb") as handle:
        try:
            raw = handle.read(limit + 1)
        except OSError as error:
            raise refuse(error.strerror or str(error)) from None
    if len(raw) > limit:
        raise refuse(f"file is larger than the limit of {limit:,} bytes")
    return raw


def parse_scenario(raw: bytes | str, name: str = "<scenario>") -> LoadedScenario:
    """Validate scenario text (``name`` is used in error messages)."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            raise ScenarioError(
                [Located(name, 1, 1, f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}")]
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ScenarioError(
                [Located(name, 1, 1, f"not UTF-8 text (byte {error.start})")]
            ) from None
    else:
        text = raw
    _check_depth(text, name)
    # A valid file is read with the fast (C) loader. Only when something is wrong is it read again
    # with the round-trip loader, which keeps the line and column of every entry for the messages.
    try:
        scenario = _validate(_parse_yaml(text, name, positions=False), name)
    except ScenarioError:
        scenario = _validate(_parse_yaml(text, name, positions=True), name)
    return LoadedScenario(scenario=scenario, path=name, text=text)


_QUIET: list[bool] = []


def _yaml(positions: bool) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLFutureWarning, YAMLWarning

    # The YAML library warns of things YAML allows (a reused anchor name): nothing to print.
    # A global filter, set once, not catch_warnings(), which is not thread-safe.
    if not _QUIET:
        for category in (YAMLWarning, YAMLFutureWarning):
            warnings.filterwarnings("ignore", category=category)
        _QUIET.append(True)

    yaml = YAML(typ="rt", pure=True) if positions else YAML(typ="safe")
    yaml.allow_duplicate_keys = False
    return yaml


def _check_depth(text: str, name: str, limit: int = MAX_DEPTH) -> None:
    """Refuse collections nested deeper than ``limit``, before anything is composed.

    A pass over the parser's events (flow brackets and block indentation alike), which keeps no
    tree and does not recurse; it costs a fifth of a load. A syntax error ends the pass: the load
    that follows reports it, having nested no deeper than the events before it.
    """
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    depth = 0
    try:
        for event in _yaml(positions=False).parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > limit:
                    mark = event.start_mark
                    raise ScenarioError(
                        [
                            Located(
                                name, mark.line + 1, mark.column + 1, f"nesting deeper than {limit}"
                            )
                        ]
                    )
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except ScenarioError:
        raise
    except Exception:  # a syntax error (or the library's failure): the load reports it
        return


def _parse_yaml(text: str, name: str, *, positions: bool = True) -> Any:
    from ruamel.yaml.docinfo import DocInfo, version
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    yaml = _yaml(positions)
    # What YAML.load does first: a record of the document's %YAML and %TAG directives.
    yaml.doc_infos.append(DocInfo(requested_version=version(yaml.version)))
    try:
        # Compose once, check what the aliases would expand to, then construct from the same nodes.
        constructor, _parser = yaml.get_constructor_parser(text)
        node = constructor.composer.get_single_node()
        data = None
        if node is not None:
            _check_expansion(node, name)
            data = constructor.construct_document(node)
    except ScenarioError:
        raise
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        message = _one_line(" ".join(str(x) for x in (error.context, error.problem) if x))
        message = with_hint(f"YAML error: {message}", parse_hint(message))
        raise ScenarioError([Located(name, line, col, message)]) from None
    except ReaderError as error:
        line, col = _line_col(text, error.position)
        character = error.character
        what = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        raise ScenarioError(
            [Located(name, line, col, f"YAML error: character {what} is not allowed")]
        ) from None
    except (YAMLError, RecursionError, ValueError) as error:
        raise ScenarioError([Located(name, 1, 1, f"YAML error: {_one_line(str(error))}")]) from None
    except Exception as error:  # the YAML library's own failure on hostile input (%YAML 9.9)
        message = f"YAML error: cannot read this document ({type(error).__name__}: {error})"
        raise ScenarioError([Located(name, 1, 1, _one_line(message))]) from None
    if data is None:
        raise ScenarioError([Located(name, 1, 1, "the file is empty")])
    if not isinstance(data, Mapping):
        raise ScenarioError(
            [Located(name, 1, 1, f"a scenario is a mapping of fields, not {_kind(data)}")]
        )
    return data


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _line_col(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset in ``text``."""
    position = max(0, min(position, len(text)))
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def _kind(data: Any) -> str:
    if isinstance(data, str):
        return "a string"
    if isinstance(data, Sequence):
        return "a list"
    return f"a {type(data).__name__}"


def _check_expansion(root: Any, name: str) -> None:
    """Refuse documents whose aliases expand to too many nodes, before constructing them."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    sizes: dict[int, int] = {}
    # Iterative post-order walk; a node's expanded size is memoised by identity, so a shared
    # subtree is counted every time it is referenced (that is what construction would copy).
    stack: list[tuple[Any, bool]] = [(root, False)]
    active: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, MappingNode):
            children = [item for pair in node.value for item in pair]
        elif isinstance(node, SequenceNode):
            children = list(node.value)
        else:
            sizes[key] = 1
            continue
        if done:
            active.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > MAX_EXPANDED_NODES:
                line = node.start_mark.line + 1
                col = node.start_mark.column + 1
                raise ScenarioError(
                    [Located(name, line, col, "YAML aliases expand beyond the size limit")]
                )
            continue
        if key in active:
            raise ScenarioError(
                [
                    Located(
                        name,
                        node.start_mark.line + 1,
                        node.start_mark.column + 1,
                        "recursive YAML alias",
                    )
                ]
            )
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)


def scenario_problem(loaded: LoadedScenario, loc: Loc, message: str) -> ScenarioError:
    """A :class:`ScenarioError` for a problem an analysis finds at ``loc`` (a path of keys and
    indexes into the file), located in the file's text like a validation error."""
    data = _parse_yaml(loaded.text, loaded.path, positions=True)
    return ScenarioError(_locate([Problem(loc, message, key=True)], data, loaded.path))


def load_proposals(path: str | Path, scenario: Scenario) -> list[Proposal]:
    """Proposals from a file of their own (``proposals:``, as in a scenario), checked against
    ``scenario``'s issues and options; every problem is reported as ``file:line:col``."""
    name = str(path)
    raw = read_limited(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError([Located(name, 1, 1, f"not UTF-8 text (byte {error.start})")]) from None
    _check_depth(text, name)
    data = _parse_yaml(text, name, positions=True)
    try:
        document = ProposalsFile.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(_from_pydantic(error, data, name, ProposalsFile)) from None
    problems = list(proposal_problems(scenario, document.proposals))
    if problems:
        raise ScenarioError(_locate(problems, data, name))
    return document.proposals


def _validate(data: Any, name: str) -> Scenario:
    version = data.get("schema_version")
    if version is not None and version != SCHEMA_VERSION:
        line, col = _position(data, ("schema_version",), key=False)
        raise ScenarioError(
            [
                Located(
                    name,
                    line,
                    col,
                    f"schema_version: unknown version {version!r}; "
                    f"this ceasefire reads version {SCHEMA_VERSION}",
                )
            ]
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(_from_pydantic(error, data, name, Scenario)) from None
    problems = check_scenario(scenario)
    if problems:
        raise ScenarioError(_locate(problems, data, name))
    return scenario


def _from_pydantic(
    error: ValidationError, data: Any, name: str, model: type[BaseModel] | None = None
) -> list[Located]:
    """Pydantic's errors as located problems; with the validated ``model``, an unknown field
    close to one of the model's field names says which it may have meant."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        kind = item["type"]
        message = item["msg"]
        if kind == "extra_forbidden":
            chain = _walk(data, loc)
            container = chain[-1][0] if chain and chain[-1][1] == loc[-1] else None
            message = f"unknown field '{loc[-1]}'"
            known = [] if model is None else field_names(model, loc[:-1])
            guess = misspelling_hint(loc[-1], known, container if container is not None else ())
            if guess:
                message = f"{message}: {guess}"
            message = with_hint(message, flow_comma_hint(container, loc[-1]))
        elif kind == "missing":
            message = f"missing field '{loc[-1]}'"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        else:
            message = with_hint(message, value_hint(kind, item.get("input")))
        path = _dotted(data, loc)
        text = f"{path}: {message}" if path else message
        problems.append(Problem(loc, text, key=kind in {"extra_forbidden", "missing"}))
    return _locate(problems, data, name, prefixed=True)


def _locate(
    problems: Iterable[Problem], data: Any, name: str, *, prefixed: bool = False
) -> list[Located]:
    located: list[Located] = []
    seen: set[tuple[int, int, str]] = set()
    for problem in problems:
        line, col = _position(data, problem.loc, key=problem.key)
        message = problem.message
        if not prefixed:
            path = _dotted(data, problem.loc)
            message = f"{path}: {message}" if path else message
        if (line, col, message) not in seen:
            seen.add((line, col, message))
            located.append(Located(name, line, col, message))
    return sorted(located, key=lambda p: (p.line, p.col))


def _walk(data: Any, loc: Loc) -> list[tuple[Any, str | int]]:
    """The chain of (container, key) pairs that ``loc`` resolves to in ``data``.

    Parts of a pydantic location that name a union member rather than a key are skipped.
    """
    chain: list[tuple[Any, str | int]] = []
    node: Any = data
    for part in loc:
        in_mapping = isinstance(node, Mapping) and part in node
        in_sequence = (
            isinstance(node, Sequence)
            and not isinstance(node, str)
            and isinstance(part, int)
            and 0 <= part < len(node)
        )
        if in_mapping or in_sequence:
            chain.append((node, part))
            node = node[part]
    return chain


def _dotted(data: Any, loc: Loc) -> str:
    parts = [str(key) if isinstance(key, str) else f"[{key}]" for _, key in _walk(data, loc)]
    # A missing or unknown key is not in the data; name it all the same.
    if loc and isinstance(loc[-1], str) and (not parts or parts[-1] != loc[-1]):
        last = _walk(data, loc)
        container = last[-1][0][last[-1][1]] if last else data
        if isinstance(container, Mapping) and loc[-1] not in container:
            parts.append(str(loc[-1]))
    return ".".join(parts).replace(".[", "[")


def _position(data: Any, loc: Loc, *, key: bool) -> tuple[int, int]:
    """1-based (line, col) of the entry at ``loc``, or of the nearest enclosing entry."""
    chain = _walk(data, loc)
    for depth in range(len(chain) - 1, -1, -1):
        container, part = chain[depth]
        lc = getattr(container, "lc", None)
        if lc is None:
            continue
        try:
            if isinstance(part, int):
                line, col = lc.item(part)
            elif key or depth < len(chain) - 1:
                line, col = lc.key(part)
            else:
                line, col = lc.value(part)
        except (KeyError, IndexError, TypeError, AttributeError):
            continue
        return line + 1, col + 1
    return 1, 1
