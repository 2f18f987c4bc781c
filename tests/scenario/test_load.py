"""Loading scenarios: the normative toy example, and every kind of bad input reported at its place."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ceasefire.scenario import ScenarioError, bundled_scenarios, load_scenario, parse_scenario
from ceasefire.scenario.load import MAX_BYTES, MAX_DEPTH

LOCATED = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


def problems(text: str) -> list[tuple[int, int, str]]:
    """Parse ``text`` expecting failure; return (line, col, message) of each problem."""
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "scenario.yaml")
    result = []
    for line in str(caught.value).splitlines():
        match = LOCATED.match(line)
        assert match, f"not PATH:LINE:COL: {line!r}"
        assert match["path"] == "scenario.yaml"
        result.append((int(match["line"]), int(match["col"]), match["message"]))
    return result


def line_of(text: str, fragment: str) -> int:
    """1-based number of the first line containing ``fragment``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_toy_example_loads(toy_path: Path) -> None:
    loaded = load_scenario(toy_path)
    scenario = loaded.scenario
    assert scenario.id == "toy-border"
    assert [p.has_veto for p in scenario.parties] == [True, True]
    assert scenario.issue("border").option_ids == ["north_line", "middle_line", "south_line"]
    assert len(loaded.sha256) == 64


def test_sha256_is_of_the_text(toy_text: str) -> None:
    a = parse_scenario(toy_text)
    b = parse_scenario(toy_text + "\n# a comment changes the hash\n")
    assert a.sha256 != b.sha256
    assert a.scenario == b.scenario


@pytest.mark.parametrize(
    ("old", "new", "fragment", "message"),
    [
        ("role: belligerent", "role: fighter", "role: fighter", "Input should be"),
        ("title: A two-issue", "titel: A two-issue", "titel:", "unknown field 'titel'"),
        (
            "weights: {border: 0.7, troops: 0.3}",
            "weights: {border: 0.7, troops: 0.4}",
            "troops: 0.4}",
            "sum to 1",
        ),
        (
            "weights: {border: 0.7, troops: 0.3}",
            "weights: {border: 1.3, troops: -0.3}",
            "troops: -0.3}",
            "greater than or equal to 0",
        ),
        ("south_line: 100}", "south_line: 101}", "south_line: 101}", "less than or equal to 100"),
        ("status_quo: middle_line", "status_quo: west_line", "west_line", "not an option"),
        ("status_quo: 100", "status_quo: 150", "status_quo: 150", "outside range"),
        (
            "red_lines: {border: [north_line]}",
            "red_lines: {border: [nowhere]}",
            "nowhere",
            "not an option",
        ),
        ("as_of: 2024-01-01", "as_of: yesterday", "as_of:", "date"),
        ("    reservation: 40", "    reservation: forty", "reservation: forty", "valid number"),
        (
            "  - id: textbook",
            "  - id: textbook\n    title: Again\n  - id: textbook",
            "id: textbook",
            "duplicate",
        ),
        (
            "    sources: [textbook]\n  south:",
            "    sources: [txtbook]\n  south:",
            "[txtbook]",
            "unknown source",
        ),
        ("    reservation: 40", "", "  south:", "exactly one of"),
        ("schema_version: 1", "schema_version: 7", "schema_version", "unknown version"),
        (
            "weights: {border: 0.5, troops: 0.5}",
            "weights: {border: 0.5, troop: 0.5}",
            "troop: 0.5",
            "unknown issue",
        ),
    ],
)
def test_bad_input_is_located(
    toy_text: str, old: str, new: str, fragment: str, message: str
) -> None:
    assert old in toy_text
    text = toy_text.replace(old, new, 1)
    found = problems(text)
    expected_line = line_of(text, fragment) if "duplicate" not in message else None
    assert any(message in m for _, _, m in found), found
    if expected_line is not None:
        assert any(line == expected_line and message in m for line, _, m in found), found


def test_missing_field_points_at_its_parent(toy_text: str) -> None:
    text = toy_text.replace("    name: North\n", "", 1)
    found = problems(text)
    assert any(
        "missing field 'name'" in m and line == line_of(text, "- id: north") for line, _, m in found
    )


def test_every_problem_is_reported_at_once(toy_text: str) -> None:
    text = toy_text.replace("role: belligerent", "role: fighter", 1).replace(
        "south_line: 100}", "south_line: 101}"
    )
    assert len(problems(text)) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("- 1\n- 2\n", "not a list"),
        ("just a string\n", "not a string"),
        ("a: [1, 2\n", "YAML error"),
        ("a: 1\na: 2\n", "YAML error"),
        ("a: &x [1]\nb: *y\n", "YAML error"),
    ],
)
def test_not_a_scenario(text: str, message: str) -> None:
    assert any(message in m for _, _, m in problems(text))


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    found = problems("\n".join(lines) + "\n")
    assert any("aliases expand" in m for _, _, m in found)


def test_modest_aliases_are_fine(toy_text: str) -> None:
    text = toy_text.replace(
        "    sources: [textbook]\n  south:", "    sources: &src [textbook]\n  south:"
    )
    text = text.replace(
        "    reservation: 40\n    sources: [textbook]", "    reservation: 40\n    sources: *src"
    )
    assert parse_scenario(text).scenario.preferences["south"].sources == ["textbook"]


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    with pytest.raises(ScenarioError, match="limit"):
        load_scenario(path)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ScenarioError, match="UTF-8"):
        load_scenario(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="No such file"):
        load_scenario(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: " + "[" * 35_000 + "]" * 35_000 + "\n", (1, 3 + MAX_DEPTH)),
        ("a: " + "{b: " * 5_000 + "1" + "}" * 5_000 + "\n", (1, 4 * MAX_DEPTH)),
        ("".join(f"{'  ' * i}k{i}:\n" for i in range(150)) + "  " * 150 + "x: 1\n", None),
        ("- " * 5_000 + "x\n", (1, 1 + 2 * MAX_DEPTH)),
    ],
    ids=["flow-sequences", "flow-mappings", "block-mappings", "compact-sequences"],
)
def test_deep_nesting_is_refused_before_composing(text: str, where: tuple[int, int] | None) -> None:
    # 35000 brackets used to crash the C composer with a segmentation fault. The top-level
    # mapping is the first level, so the 100th bracket is the 101st.
    found = problems(text)
    assert [message for _, _, message in found] == [f"nesting deeper than {MAX_DEPTH}"]
    line, col = where if where is not None else (MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)
    assert found[0][:2] == (line, col)


def test_deep_nesting_does_not_crash_the_process(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 35_000 + "]" * 35_000 + "\n")
    result = subprocess.run(
        [sys.executable, "-c", "from ceasefire.cli import main; main()", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == f"{path}:1:{3 + MAX_DEPTH}: nesting deeper than {MAX_DEPTH}"


def test_nesting_up_to_the_limit_is_parsed(toy_text: str) -> None:
    nested = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    found = problems(toy_text + f"extra: {nested}\n")
    assert [message for _, _, message in found] == ["extra: unknown field 'extra'"]


def test_a_directive_after_content_gives_a_located_error(toy_text: str) -> None:
    # The fuzz test's find: %YAML 9.9 on line 16 made the resolver raise KeyError (9, 9).
    lines = toy_text.splitlines()
    lines.insert(15, "%YAML 9.9")
    found = problems("\n".join(lines) + "\n")
    assert found and all(message.startswith("YAML error") for _, _, message in found)


@pytest.mark.parametrize("directive", ["%YAML 9.9", "%YAML 1.1", "%YAML 1.2"])
def test_yaml_directives_give_located_errors(toy_text: str, directive: str) -> None:
    # %YAML 9.9 raised IndexError in the scanner; so did any directive on the error path.
    text = f"{directive}\n---\n" + toy_text.replace("title: ", "titel: ")
    found = problems(text)
    assert found
    if directive == "%YAML 9.9":
        assert found[0][:2] == (1, 1)
        assert "incompatible YAML document" in found[0][2]
    else:
        assert any("unknown field 'titel'" in message for _, _, message in found)


def test_control_characters_are_reported_where_they_are(toy_text: str) -> None:
    lines = toy_text.splitlines()
    lines[5] += " \x07x"
    found = problems("\n".join(lines) + "\n")
    assert found == [(6, len(lines[5]) - 1, "YAML error: character U+0007 is not allowed")]


def test_devices_and_pipes_are_refused_without_reading(tmp_path: Path) -> None:
    # /dev/zero used to be read until memory ran out; a named pipe without a writer hung.
    with pytest.raises(ScenarioError) as caught:
        load_scenario("/dev/zero")
    assert str(caught.value) == "/dev/zero:1:1: is not a regular file (a device, pipe or socket)"
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    with pytest.raises(ScenarioError, match="not a regular file"):
        load_scenario(pipe)
    with pytest.raises(ScenarioError, match="is a directory"):
        load_scenario(tmp_path)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x1c", "\x0b"])
def test_one_problem_is_one_line_whatever_the_file_holds(toy_text: str, separator: str) -> None:
    # The fuzz test's find: a key holding U+2028 split a message over two lines.
    text = toy_text.replace("weights: {border: 0.7", f'weights: {{"bor{separator}der": 0.7', 1)
    assert text != toy_text
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "scenario.yaml")
    lines = str(caught.value).splitlines()
    assert len(lines) == len(caught.value.problems)
    assert all(LOCATED.match(line) for line in lines), lines
    if separator in "\u2028\u2029":  # kept by YAML in the key, escaped in the message
        assert any(f"\\u{ord(separator):04x}" in line for line in lines), lines


@pytest.mark.parametrize(
    ("old", "new", "path", "suggestion"),
    [
        ("weights: {border: 0.5", "wieghts: {border: 0.5", "preferences.south.wieghts", "weights"),
        ("title: A two-issue", "titel: A two-issue", "titel", "title"),
        ("proposals:", "proposal:", "proposal", "proposals"),
        (
            "{id: south_line, label:",
            "{id: south_line, lable:",
            "issues[0].options[2].lable",
            "label",
        ),
    ],
)
def test_a_misspelled_field_names_the_field_meant(
    toy_text: str, old: str, new: str, path: str, suggestion: str
) -> None:
    assert old in toy_text
    text = toy_text.replace(old, new, 1)
    found = problems(text)
    typo = path.rsplit(".", 1)[-1].split("[")[0]
    expected = f"{path}: unknown field '{typo}': did you mean '{suggestion}'?"
    assert (line_of(text, new), expected) in [(line, message) for line, _, message in found]


def test_a_misspelled_field_of_a_distribution_names_the_field_meant() -> None:
    text = Path(bundled_scenarios()["iran-iraq-1982"]).read_text()
    old = "{dist: triangular, low: 5000, mode: 15000"
    assert old in text
    text = text.replace(old, old.replace("mode:", "mdoe:"), 1)
    line = line_of(text, "mdoe:")
    column = text.splitlines()[line - 1].index("mdoe:") + 1
    expected = "war.sides[0].recruits_per_month.mdoe: unknown field 'mdoe': did you mean 'mode'?"
    assert (line, column, expected) in problems(text)


def test_an_unknown_field_far_from_every_field_has_no_suggestion(toy_text: str) -> None:
    found = problems(toy_text.replace("title: A two-issue", "zzz: 1\ntitle: A two-issue", 1))
    assert (line_of(toy_text, "title: A two"), 1, "zzz: unknown field 'zzz'") in found


def test_validate_suggests_the_field_meant(toy_text: str, tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(toy_text.replace("weights: {border: 0.5", "wieghts: {border: 0.5", 1))
    result = subprocess.run(
        [sys.executable, "-c", "from ceasefire.cli import main; main()", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    line = line_of(path.read_text(), "wieghts:")
    assert (
        f"{path}:{line}:5: preferences.south.wieghts: unknown field 'wieghts': "
        "did you mean 'weights'?"
    ) in result.stderr.splitlines()
