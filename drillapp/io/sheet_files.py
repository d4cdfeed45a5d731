"""Reading a sheet file (CSV or the first sheet of an XLSX) into rows of cells, bounded whatever the file says.

A sheet comes from outside and may be hostile or broken, so reading never trusts it:

- the file's size, the workbook's unpacked size, the rows (`MAX_ROWS`) and columns (`MAX_COLUMNS`) are
  capped; a sheet over the row limit is refused as soon as the reader gets there, not after reading it all;
- an XLSX is read in openpyxl's streaming (read-only) mode with its declared ``<dimension>`` ignored: a
  4 KB file declaring A1:XFD1048576 holds what its cells hold, not 17 billion empty ones;
- broken XML, a damaged zip, text in no encoding we can tell (drillapp/io/text_encoding.py) or a CSV cut
  off inside quotes become a `MemberSheetError` with a one-line message, never a parser's traceback;
- CSV cells written by the app with a formula guard get it taken off (drillapp/io/csv_cells.py).

Nothing here knows what the columns mean: that is drillapp/io/member_sheets.py.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillapp.errors import DomainError
from drillapp.i18n import _
from drillapp.io.csv_cells import restore
from drillapp.io.text_encoding import TRIED, UndecodableText, decode_sheet_text

#: Data rows a sheet may have (the team of a port is a few hundred people; the large demo has 1,000).
MAX_ROWS = 5_000
#: Columns kept per row (the member sheet has 16); a non-empty cell further right is reported by column.
MAX_COLUMNS = 64
#: The file itself, and an XLSX's parts once unpacked.
MAX_FILE_BYTES = 50_000_000
MAX_UNPACKED_BYTES = 200_000_000


class MemberSheetError(DomainError):
    """A sheet that cannot be read at all (missing, not CSV/XLSX, damaged, too large)."""


@dataclass(frozen=True)
class Sheet:
    source: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]  # (row number, cells), blank rows left out
    #: True for CSV: every row has as many cells as the header, so a shorter one was cut off
    complete_rows: bool = False
    #: row number -> the first column index (from 0) of a non-empty cell beyond MAX_COLUMNS
    far_cells: dict[int, int] = field(default_factory=dict)


def read_sheet(path: str | Path) -> Sheet:
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise MemberSheetError(_("{path}: the file does not exist.").format(path=name))
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise MemberSheetError(_("{path}: not a member sheet (use a .csv or .xlsx file).").format(path=name))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise MemberSheetError(_("{path}: the file is too large ({size:,} bytes; at most {limit:,}).").format(
            path=name, size=size, limit=MAX_FILE_BYTES))
    if suffix == ".csv":
        return _collect(name, _csv_rows(path), complete_rows=True)
    return _read_xlsx(path)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _collect(name: str, table: Iterable[Iterable[Any]], complete_rows: bool) -> Sheet:
    """The header and the non-blank rows of `table`, each cut to MAX_COLUMNS; refused past MAX_ROWS rows."""
    headers: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[Any, ...]]] = []
    far: dict[int, int] = {}
    for number, raw in enumerate(table, start=1):
        if number > MAX_ROWS + 1:
            raise MemberSheetError(_("{path}: the sheet has more than {limit:,} rows of members; import at most "
                                     "{limit:,} at a time (split the sheet).").format(path=name, limit=MAX_ROWS))
        cells = list(raw)  # as long as the file made it: a CSV row cut short is shorter than the header
        if len(cells) > MAX_COLUMNS:
            beyond = next((i for i in range(MAX_COLUMNS, len(cells)) if not _blank(cells[i])), None)
            if beyond is not None:
                far[number] = beyond
            del cells[MAX_COLUMNS:]
        if headers is None:
            if number in far:
                raise MemberSheetError(_("{path}: the header row has more than {limit} columns.").format(
                    path=name, limit=MAX_COLUMNS))
            headers = tuple("" if c is None else str(c).strip() for c in cells)
            while headers and not headers[-1]:
                headers = headers[:-1]
            continue
        if all(_blank(c) for c in cells) and number not in far:
            continue
        rows.append((number, tuple(cells)))
    if headers is None or (not any(headers) and not rows):
        raise MemberSheetError(_("{path}: the file is empty.").format(path=name))
    return Sheet(name, headers, tuple(rows), complete_rows, far)


# --- CSV ---------------------------------------------------------------------------------------------------

def _csv_rows(path: Path) -> Iterator[list[str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MemberSheetError(_("{path}: the file cannot be read ({error}).").format(
            path=path, error=exc.strerror or exc)) from None
    try:
        text, _encoding = decode_sheet_text(data)
    except UndecodableText as exc:
        tried = ", ".join(TRIED)
        if exc.ambiguous:
            message = _("{path}: the text could be GB18030 or Big5 and reads sensibly both ways (tried {tried}); "
                        "save the sheet as “CSV UTF-8” or as an Excel workbook (.xlsx) and import that.")
        else:
            message = _("{path}: the text is not in an encoding the app can tell (tried {tried}); reading it would "
                        "store garbled names: save the sheet as “CSV UTF-8” or as an Excel workbook (.xlsx) and "
                        "import that.")
        raise MemberSheetError(message.format(path=path, tried=tried)) from None
    yield from _csv_cells(text, path)


def _csv_cells(text: str, path: Path) -> Iterator[list[str]]:
    """The rows of CSV text. Parsed strictly, so that a file ending inside a quoted cell (cut off) is
    refused; a quirk only strict parsing minds (a stray quote inside a cell) goes on leniently from there."""
    done = 0
    for strict in (True, False):
        reader = csv.reader(io.StringIO(text, newline=""), strict=strict)
        try:
            for index, row in enumerate(reader):
                if index >= done:
                    done += 1
                    yield [restore(cell) for cell in row]
            return
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise MemberSheetError(_("{path}: the file is cut off inside a quoted cell (row {row}); was the file "
                                         "cut short? Save it again and import that.").format(
                    path=path, row=done + 1)) from None
            if not strict:
                raise MemberSheetError(_("{path}: not a valid CSV file ({error}).").format(
                    path=path, error=exc)) from None


# --- XLSX ---------------------------------------------------------------------------------------------------

def _read_xlsx(path: Path) -> Sheet:
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise MemberSheetError(_("{path}: not a valid XLSX workbook ({error}).").format(path=path, error=exc)) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise MemberSheetError(_("{path}: the workbook is too large when unpacked ({size:,} bytes; at most "
                                 "{limit:,}).").format(path=path, size=unpacked, limit=MAX_UNPACKED_BYTES))
    book = rows = None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the declared size is whatever the file says: read the cells that are there
        rows = sheet.iter_rows(values_only=True)
        return _collect(str(path), rows, complete_rows=False)
    except MemberSheetError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # zip, XML and openpyxl errors alike: all mean "not a workbook we can read"
        raise MemberSheetError(_("{path}: not a valid XLSX workbook ({error}).").format(
            path=path, error=_one_line(exc))) from None
    finally:
        if rows is not None and hasattr(rows, "close"):
            rows.close()  # a sheet refused half-way: let go of its part of the zip now
        if book is not None:
            book.close()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    return text if len(text) <= 200 else text[:199] + "…"
