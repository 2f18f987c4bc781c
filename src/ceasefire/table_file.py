"""Small CSV input files (one row per item or actor), read with errors as ``FILE:LINE:COL``.

The methods that take a table rather than a scenario (``ceasefire divide``, ``ceasefire forecast``)
read it here, so that a bad cell is reported like a bad scenario entry: one line per problem, with
the row's line and the cell's column (1-based, in characters), and every problem at once.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ceasefire.scenario.load import MAX_BYTES, Located, ScenarioError


@dataclass(frozen=True)
class Row:
    """One data row: its cells, the line it is on and the column where each cell starts."""

    line: int
    cells: tuple[str, ...]
    columns: tuple[int, ...]


@dataclass(frozen=True)
class Table:
    """A CSV file's header and data rows."""

    path: str
    text: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]

    def problem(self, row: Row | None, column: int, message: str) -> Located:
        """A problem at a cell (``row=None``: in the header)."""
        if row is None:
            return Located(self.path, 1, 1 + column, message)
        col = row.columns[column] if column < len(row.columns) else 1
        return Located(self.path, row.line, col, message)


def read_table(path: str | Path) -> Table:
    """Read a CSV file with a header line; raise :class:`ScenarioError` if it cannot be read."""
    name = str(path)
    try:
        if Path(path).stat().st_size > MAX_BYTES:
            raise ScenarioError([Located(name, 1, 1, f"file is larger than {MAX_BYTES:,} bytes")])
        raw = Path(path).read_bytes()
    except ScenarioError:
        raise
    except IsADirectoryError:
        raise ScenarioError([Located(name, 1, 1, "is a directory, not a CSV file")]) from None
    except OSError as error:
        raise ScenarioError([Located(name, 1, 1, error.strerror or str(error))]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError([Located(name, 1, 1, f"not UTF-8 text (byte {error.start})")]) from None
    return parse_table(text, name)


def parse_table(text: str, name: str = "<table>") -> Table:
    """Split CSV text into a header and rows, keeping each cell's line and column."""
    lines = text.splitlines()
    rows: list[Row] = []
    header: tuple[str, ...] | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            cells = next(csv.reader(io.StringIO(line)))
        except csv.Error as error:
            raise ScenarioError([Located(name, number, 1, f"CSV error: {error}")]) from None
        columns = _cell_columns(line, len(cells))
        if header is None:
            header = tuple(c.strip() for c in cells)
            continue
        rows.append(Row(number, tuple(c.strip() for c in cells), columns))
    if header is None:
        raise ScenarioError([Located(name, 1, 1, "the file is empty")])
    return Table(name, text, header, tuple(rows))


def _cell_columns(line: str, count: int) -> tuple[int, ...]:
    """1-based start column of each cell (quoted commas are rare here; good enough for messages)."""
    starts = [1]
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(index + 2)
    return tuple(starts[:count]) if len(starts) >= count else tuple(starts)


def number_cell(
    table: Table, row: Row, column: int, problems: list[Located], *, low: float = -math.inf
) -> float:
    """The cell as a finite number ``>= low``; on failure a problem is added and NaN returned."""
    what = table.header[column] if column < len(table.header) else f"column {column + 1}"
    if column >= len(row.cells) or not row.cells[column]:
        problems.append(table.problem(row, column, f"{what}: missing value"))
        return math.nan
    try:
        value = float(row.cells[column])
    except ValueError:
        problems.append(table.problem(row, column, f"{what}: not a number: {row.cells[column]!r}"))
        return math.nan
    if not math.isfinite(value):
        problems.append(table.problem(row, column, f"{what}: must be a finite number"))
        return math.nan
    if value < low:
        problems.append(table.problem(row, column, f"{what}: must be >= {low:g}, not {value:g}"))
        return math.nan
    return value


def check_width(table: Table, width: int, problems: list[Located]) -> None:
    """Every row has the header's number of cells, which is ``width``."""
    if len(table.header) != width:
        problems.append(
            table.problem(None, 0, f"header: expected {width} columns, found {len(table.header)}")
        )
    for row in table.rows:
        if len(row.cells) != width:
            problems.append(
                table.problem(row, 0, f"expected {width} cells, found {len(row.cells)}")
            )


def unique_names(table: Table, column: int, problems: list[Located]) -> Sequence[str]:
    """The names in ``column``; empty or repeated names are problems."""
    seen: dict[str, int] = {}
    for row in table.rows:
        name = row.cells[column] if column < len(row.cells) else ""
        if not name:
            problems.append(table.problem(row, column, f"{table.header[column]}: empty name"))
        elif name in seen:
            problems.append(
                table.problem(row, column, f"{name!r} repeats the name on line {seen[name]}")
            )
        else:
            seen[name] = row.line
    return [row.cells[column] if column < len(row.cells) else "" for row in table.rows]
