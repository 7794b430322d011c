"""The errors the ``sheets`` library raises, in one small tree.

    SheetError            a spreadsheet cannot be read or written as asked; carries
    │                     ``file``, ``sheet``, ``row`` (1-based, as Excel shows it),
    │                     ``column`` (name or letter) and ``expected`` when known
    ├── SheetLocked       the workbook is open or locked elsewhere (Excel's ``~$`` owner file,
    │                     no write permission); trying again later may work
    └── SheetCorrupt      the file is not the spreadsheet its name says (bad zip, truncated,
                          wrong format)

    ValueParseError (ValueError)  one value is not a date / amount; raised by ``sheets.values``
                          without a location, which the reader adds by wrapping it in a
                          SheetError.

The library imports nothing from ``bots``; ``bots/steps/sheet.py`` maps these errors to the
runtime's error tree (locked -> TransientError, the rest -> InputError).
"""

from __future__ import annotations


class ValueParseError(ValueError):
    """A single value is not what was expected (``expected`` says what would have been)."""

    def __init__(self, message: str, *, value: object = None, expected: str | None = None):
        self.value, self.expected = value, expected
        super().__init__(message)


class SheetError(Exception):
    """A spreadsheet problem, placed where the user can find it."""

    def __init__(self, message: str, *, file: str | None = None, sheet: str | int | None = None,
                 row: int | None = None, column: str | int | None = None, expected: str | None = None):
        self.message, self.file, self.sheet, self.row, self.column, self.expected = (
            message, None if file is None else str(file), sheet, row, column, expected)
        super().__init__(self.describe())

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def describe(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        if self.expected and "expected" not in self.message:
            text += f" (expected {self.expected})"
        return text


class SheetLocked(SheetError):
    """The workbook is open in another program or not writable right now."""


class SheetCorrupt(SheetError):
    """The file is damaged or is not the format its name claims."""
