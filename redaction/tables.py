"""Tables pasted into a prompt (CSV, tab-separated, pipe-separated): which column each cell is in,
so a cell can be judged by its heading ("DOB", "Cand No", "Contact") rather than by its looks."""

import re
from dataclasses import dataclass

DELIMITERS = ("\t", "|", ",")
_HEADING = re.compile(r"[A-Za-z][A-Za-z0-9 .'’/&()#+_-]{0,30}")


@dataclass(frozen=True)
class Cell:
    heading: str  # lower-cased column heading
    start: int
    end: int


def table_cells(text: str) -> list[Cell]:
    """Every non-empty cell under a heading row, with its offsets in text."""
    if not any(d in text for d in DELIMITERS):
        return []
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    cells: list[Cell] = []
    i = 0
    while i < len(lines):
        start, line = lines[i]
        delimiter = _heading_delimiter(line)
        if delimiter is None:
            i += 1
            continue
        headings = [h.strip().casefold() for h in line.split(delimiter)]
        i += 1
        while i < len(lines) and lines[i][1].count(delimiter) >= 1:
            row_start, row = lines[i]
            offset = row_start
            for column, value in enumerate(row.split(delimiter)):
                stripped = value.strip()
                if stripped and column < len(headings) and headings[column]:
                    lead = len(value) - len(value.lstrip())
                    cells.append(Cell(headings[column], offset + lead, offset + lead + len(stripped)))
                offset += len(value) + 1
            i += 1
    return cells


def _heading_delimiter(line: str) -> str | None:
    """The delimiter of a heading row: three or more short headings, none of them a number."""
    for delimiter in DELIMITERS:
        if line.count(delimiter) < 2:
            continue
        headings = [h.strip() for h in line.split(delimiter)]
        filled = [h for h in headings if h]
        if len(filled) >= 3 and all(_HEADING.fullmatch(h) for h in filled):
            return delimiter
    return None
