"""Exporters and their writers, in the manner of pretix's exporters: an exporter names its
columns and yields its rows once (a :class:`Table`); the writers here turn a table into CSV
(UTF-8 with BOM, for Excel) or XLSX, so escaping and headers are decided in one place.

Cells that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage
return) are prefixed with an apostrophe, so hostile text stays text (formula injection).
"""

import csv
import dataclasses
import datetime
import io
from collections.abc import Iterable, Sequence

from dxday.lib import xlsx

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclasses.dataclass(frozen=True)
class Column:
    """A column of an exported table: its name, its Frictionless type (string, integer, date,
    datetime), its title and description in English and in Vietnamese, the codes it may hold
    (code → label) and its width in a workbook."""

    name: str
    type: str = "string"
    title: str = ""
    description: str = ""
    title_vi: str = ""
    description_vi: str = ""
    choices: dict | None = None
    width: int = 0


@dataclasses.dataclass
class Table:
    """What an exporter yields: its columns and its rows (lists in the columns' order).
    ``header`` is the row of headers: the columns' names (open data) or their titles;
    ``lines`` stand above it in a workbook (an annex's title)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    header: str = "name"
    lines: Sequence[str] = ()

    def headers(self) -> list[str]:
        return [str(getattr(c, self.header) or c.name) for c in self.columns]


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return value


def keep_as_text(cells) -> None:
    """Cells of a workbook written from people's text stay text: openpyxl would store a value
    starting with "=" as a live formula; typed as a string it is shown, never run (and reads
    back unchanged, unlike an apostrophe prefix)."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.headers())
    for row in table.rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(*tables: Table) -> bytes:
    """A sheet per table: its lines, bold headers, frozen and filtered; dates as date cells
    (dd/mm/yyyy), numbers as numbers, text escaped. Written by the streaming writer of
    dxday.lib.xlsx (decision 0020): a row at a time, about a microsecond a cell."""
    buffer = io.BytesIO()
    xlsx.write(buffer, [xlsx.Sheet(
        title=table.title, lines=[str(safe_cell(line)) for line in table.lines],
        headers=(headers := table.headers()),
        widths=[c.width or max(12, min(50, len(h) + 4))
                for c, h in zip(table.columns, headers, strict=True)],
        rows=table.rows, guard=FORMULA_START, local_time=safe_cell,
        date_styles=[xlsx.DATE if c.type == "date" else xlsx.DATETIME
                     for c in table.columns]) for table in tables])
    return buffer.getvalue()
