"""Row rules for an imported roll: every problem of every row, duplicates within the file.

Pure: the election day and the village's groups are passed in. Duplicates against the cycle's roll
need the database and are the caller's: ``ImportResult.id_numbers()`` gives the numbers to look up,
``ImportResult.add_error`` records what it finds.

Registration category: when the file has no category column every voter is ``resident`` (户籍且居住);
when it has one, a blank cell is an error.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import islice, repeat
from typing import Any

from voters.idnumber import (
    IdProblem,
    IdProblemCode,
    ParsedId,
    add_years,
    age_on,
    birth_date_of,
    check_char,
    normalize_id,
    parse_id,
    parse_ids,
)

from .columns import FIELD_LABELS, ColumnMap, Field
from .normalize import (
    CATEGORY_LABELS,
    GENDER_LABELS,
    CellProblem,
    clean_text,
    parse_category,
    parse_date,
    parse_ethnicity,
    parse_gender,
    parse_name,
    parse_phone,
)
from .reader import DataSheet, RollFile

VOTING_AGE = 18
MAX_TEXT_LENGTHS = {Field.GROUP: 50, Field.ADDRESS: 200, Field.APPROVAL_REFERENCE: 100, Field.NOTES: 500}
EXAMPLE_MARKER = "示例"
# The template's example number: made up (1985-06-15, a man, valid checksum). A row carrying it is the
# example even when its 示例 note was deleted, so it can never be imported as a voter.
EXAMPLE_ID_NUMBER = "63012119850615031" + check_char("63012119850615031")
_FOOTER = re.compile(r"^(制表|填表|审核|核对|合计|总计|小计|负责人|联系人|注[:：]|说明[:：])")


@dataclass(slots=True)
class VoterRow:
    """One valid, normalised voter of the file (选民), ready for the database."""

    sheet: str
    row_number: int
    name: str
    id_number: str
    gender: str  # "male" / "female", from the ID number
    birth_date: date  # from the ID number
    ethnicity: str  # one of the 56 official names, or ""
    group: str
    address: str
    phone: str
    category: str  # resident / absent_opted_in / non_resident_approved
    approval_reference: str
    notes: str


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem of one row: ``第 12 行 公民身份号码：校验位错误``."""

    sheet: str
    row_number: int
    column: str  # the header as the user wrote it
    message: str

    def text(self, *, with_sheet: bool = False) -> str:
        prefix = f"{self.sheet} " if with_sheet and self.sheet else ""
        column = f"{self.column}：" if self.column else ""
        return f"{prefix}第 {self.row_number} 行 {column}{self.message}"


@dataclass(slots=True)
class ImportResult:
    """Everything the preview shows: counts, valid rows, row errors, file-level errors and notes."""

    rows_read: int = 0  # non-blank data rows
    blank_rows: int = 0
    skipped_rows: int = 0  # example and footer rows
    valid: list[VoterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duplicate_rows: int = 0  # rows sharing an ID number with another row of the file
    duplicate_ids: set[str] = field(default_factory=set)  # their ID numbers
    has_several_sheets: bool = False
    id_labels: dict[str, str] = field(default_factory=dict)  # sheet → the user's header of the ID column

    @property
    def error_rows(self) -> int:
        return len({(e.sheet, e.row_number) for e in self.errors})

    @property
    def is_importable(self) -> bool:
        return not self.file_errors

    def id_numbers(self) -> list[str]:
        """ID numbers of the valid rows, to check against the rest of the cycle."""
        return [row.id_number for row in self.valid]

    def add_errors(self, problems: Iterable[tuple[VoterRow, str, str]]) -> None:
        """Record problems found later, as (row, column label, message) — e.g. the ID number is already
        registered elsewhere in the cycle; those rows stop being valid."""
        rejected: set[int] = set()
        for row, column, message in problems:
            self.errors.append(RowError(row.sheet, row.row_number, column, message))
            rejected.add(id(row))
        if rejected:
            self.valid = [r for r in self.valid if id(r) not in rejected]

    def add_error(self, row: VoterRow, column: str, message: str) -> None:
        """One problem found later; see :meth:`add_errors` for many."""
        self.add_errors([(row, column, message)])

    def id_column_label(self, row: VoterRow) -> str:
        """The ID column's header in the row's sheet, for errors about the number."""
        return self.id_labels.get(row.sheet, FIELD_LABELS[Field.ID_NUMBER])

    def error_lines(self) -> list[str]:
        """Every row error as ``[Sheet2 ]第 N 行 列名：问题``, in sheet and row order."""
        ordered = sorted(self.errors, key=lambda e: (e.sheet, e.row_number))
        return [e.text(with_sheet=self.has_several_sheets) for e in ordered]


Cells = Sequence[object]


def _cell(cells: Cells, index: int | None) -> object:
    if index is None or index >= len(cells):
        return ""
    return cells[index]


_MEMO_LIMIT = 50_000
CHUNK_ROWS = 5000


def _outcome(parser: Callable[[object], object], raw: object) -> object:
    """``parser(raw)``, or the :class:`CellProblem` it raised."""
    try:
        return parser(raw)
    except CellProblem as problem:
        return problem.with_traceback(None)  # no frame ↔ traceback cycle to keep alive


class _ColumnMemo:
    """Outcomes of one field's parser per distinct cell value, and which values are rejected."""

    __slots__ = ("accept", "bulk_check", "outcomes", "parser", "rejected")

    def __init__(
        self,
        parser: Callable[[object], object],
        accept: Callable[[object], bool],
        bulk_check: Callable[[Sequence[object]], bool] | None = None,
    ) -> None:
        """``bulk_check(column)`` may answer True only if every cell parses to itself and is accepted."""
        self.parser, self.accept, self.bulk_check = parser, accept, bulk_check
        self.outcomes: dict[object, object] = {}
        self.rejected: set[object] = set()

    def map(self, column: Sequence[object]) -> tuple[Sequence[object], list[int]]:
        """The parser over a whole column, once per distinct value: (outcomes, indexes of rejected rows).

        An outcome is the parsed value or the :class:`CellProblem` raised. Booleans are not memoised
        (``True == 1`` would share an entry with the number 1).
        """
        distinct = set(column)
        if self.bulk_check is not None and len(distinct) * 4 > len(column) and self.bulk_check(column):
            return column, []  # many distinct values, all already clean: no per-value work
        if True in distinct or False in distinct:  # a boolean, or 0/1 numbers: no memo
            values = [_outcome(self.parser, raw) for raw in column]
            return values, [
                i
                for i, value in enumerate(values)
                if value.__class__ is CellProblem or not self.accept(value)
            ]
        outcomes, rejected = self.outcomes, self.rejected
        if len(outcomes) > _MEMO_LIMIT:
            outcomes.clear()
            rejected.clear()
        for raw in distinct.difference(outcomes):
            value = outcomes[raw] = _outcome(self.parser, raw)
            if value.__class__ is CellProblem or not self.accept(value):
                rejected.add(raw)
        if rejected.isdisjoint(distinct):
            if len(distinct) <= 64 and all(_same_text(outcomes[raw], raw) for raw in distinct):
                return column, []  # e.g. "一组" or "" throughout: the cells are their own outcomes
            return list(map(outcomes.__getitem__, column)), []
        return list(map(outcomes.__getitem__, column)), [i for i, raw in enumerate(column) if raw in rejected]


def _same_text(value: object, raw: object) -> bool:
    return value.__class__ is str and raw.__class__ is str and value == raw


# Whole-column checks, a few C-level passes each: when one answers True, every cell is already
# clean (its parser returns it unchanged) and accepted, so the column needs no per-value work.

_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000\u00a0\ufeff]")  # what to_halfwidth changes


def _joined(column: Sequence[object], separator: str = "") -> str | None:
    """The cells joined, or None when one is not text."""
    try:
        return separator.join(column)  # type: ignore[arg-type]
    except TypeError:
        return None


def _all_plain_phones(column: Sequence[object]) -> bool:
    """ASCII digits, 7–20 of them, in every cell."""
    joined = _joined(column)
    return (
        joined is not None
        and joined.isascii()
        and joined.isdigit()
        and min(map(len, column)) >= 7  # type: ignore[arg-type]
        and max(map(len, column)) <= 20  # type: ignore[arg-type]
    )


def _all_plain_names(column: Sequence[object]) -> bool:
    """Letters only (Han characters are letters), 2–30 of them, no full-width Latin, no 示例."""
    joined = _joined(column)
    return (
        joined is not None
        and joined.isalpha()
        and EXAMPLE_MARKER not in joined
        and min(map(len, column)) >= 2  # type: ignore[arg-type]
        and max(map(len, column)) <= 30  # type: ignore[arg-type]
        and not _FULL_WIDTH.search(joined)
    )


def _plain_texts(limit: int) -> Callable[[Sequence[object]], bool]:
    """Cells ``clean_text`` leaves unchanged, at most ``limit`` characters, none starting 示例."""

    def check(column: Sequence[object]) -> bool:
        joined = _joined(column, "\x00")  # NUL is not whitespace: it never merges with spaces
        return (
            joined is not None
            and EXAMPLE_MARKER not in joined
            and joined.split() == joined.split(" ")  # no tab, newline, U+3000…, doubled or end spaces
            and " \x00" not in joined
            and "\x00 " not in joined
            and not _FULL_WIDTH.search(joined)
            and (len(joined) <= limit or max(map(len, column)) <= limit)  # type: ignore[arg-type]
        )

    return check


def _always(value: object) -> bool:
    return True


def _is_real_name(value: object) -> bool:
    return bool(value) and not value.startswith(EXAMPLE_MARKER)  # type: ignore[union-attr]


def _is_not_example(value: object) -> bool:
    return not value.startswith(EXAMPLE_MARKER)  # type: ignore[union-attr]


_PLAIN_DATE = re.compile(r"(\d{4})[-./](\d\d?)[-./](\d\d?)|\d{8}", re.ASCII)


def _birth_key(raw: object) -> object:
    """A birth-date cell as ``YYYYMMDD`` (to compare with the ID's digits), a YearMonth, or ``""``."""
    if raw.__class__ is str and (match := _PLAIN_DATE.fullmatch(raw)):  # 1980.5.3 / 1980-05-03 / 19800503
        key = raw if match[1] is None else match[1] + match[2].zfill(2) + match[3].zfill(2)
        if birth_date_of(key) is not None:
            return key
    parsed = parse_date(raw)
    if parsed is None:
        return ""
    if isinstance(parsed, date):
        return f"{parsed.year:04d}{parsed.month:02d}{parsed.day:02d}"
    return parsed


def _limited_text(f: Field) -> Callable[[object], str]:
    limit = MAX_TEXT_LENGTHS[f]

    def parse(raw: object) -> str:
        text = clean_text(raw)
        if len(text) > limit:
            raise CellProblem(f"内容过长（{len(text)} 个字，最多 {limit} 个字）")
        return text

    return parse


_GROUP_TEXT = _limited_text(Field.GROUP)
_ADDRESS_TEXT = _limited_text(Field.ADDRESS)
_APPROVAL_TEXT = _limited_text(Field.APPROVAL_REFERENCE)
_NOTES_TEXT = _limited_text(Field.NOTES)
_TEXT_PARSERS = {
    Field.GROUP: _GROUP_TEXT,
    Field.ADDRESS: _ADDRESS_TEXT,
    Field.APPROVAL_REFERENCE: _APPROVAL_TEXT,
    Field.NOTES: _NOTES_TEXT,
}


def latest_adult_birth_date(election_day: date) -> date:
    """Born on or before this day → 18 or older on election day (a 29 February election day → 28 February)."""
    try:
        return election_day.replace(year=election_day.year - VOTING_AGE)
    except ValueError:
        return date(election_day.year - VOTING_AGE, 2, 28)


class _SheetValidator:
    """Checks the rows of one data sheet; keeps the column indexes and labels at hand."""

    def __init__(self, sheet: DataSheet, election_day: date, groups: set[str] | None, today: date) -> None:
        columns: ColumnMap = sheet.columns
        self.sheet = sheet.name
        self.election_day = election_day
        self.groups = groups
        self.today = today
        self.index = {f: columns.columns.get(f) for f in Field}
        self.label = {f: columns.label(f) for f in Field}
        self.has_category = Field.CATEGORY in columns.columns
        self.mapped = sorted(columns.columns.values())
        self.adult_born_by = latest_adult_birth_date(election_day)
        self.excel_number_rows = 0
        self.id_number: str | None = None  # the last checked row's valid ID number, even if it has errors
        self._prepare_fast_path(columns)

    # --- fast path: a row with no problem at all, with memoised parsers -------------------------

    def _prepare_fast_path(self, columns: ColumnMap) -> None:
        present = columns.columns.values()
        self.width = (max(present) + 1) if present else 0
        self.pad = ("",) * self.width
        self.memos: dict[Field, _ColumnMemo] = {}
        self.check_groups = self.groups is not None and self.index[Field.GROUP] is not None

    def fast_chunk(self, numbers: Sequence[int], rows: Sequence[Cells]) -> list[VoterRow | None]:
        """Each row's voter when it has no problem at all; None means "look closer" (:meth:`check`).

        Works column by column, parsing each distinct value once, with exactly the parsers of
        :meth:`check`; it must never accept a row that :meth:`check` would reject (tests compare).
        """
        size = len(rows)
        width = self.width
        if min(map(len, rows)) < width:  # short rows (CSV): pad so that every column exists
            rows = [row if len(row) >= width else [*row, *self.pad[len(row) :]] for row in rows]
        columns = list(zip(*rows, strict=False))
        blank = ("",) * size
        index, memos = self.index, self.memos
        bad: set[int] = set()

        def column(
            f: Field,
            parser: Callable[[object], object],
            accept: Callable[[object], bool] = _always,
            bulk_check: Callable[[Sequence[object]], bool] | None = None,
        ) -> Sequence[object]:
            position = index[f]
            if position is None:
                return blank
            memo = memos.get(f)
            if memo is None:
                memo = memos[f] = _ColumnMemo(parser, accept, bulk_check)
            values, rejected = memo.map(columns[position])
            bad.update(rejected)
            return values

        names = column(Field.NAME, parse_name, _is_real_name, _all_plain_names)
        if index[Field.NAME] is None:
            bad.update(range(size))
        identities = parse_ids(columns[index[Field.ID_NUMBER]], today=self.today)
        if any(i.__class__ is ParsedId and i.number == EXAMPLE_ID_NUMBER for i in identities):
            bad.update(
                n
                for n, i in enumerate(identities)
                if i.__class__ is ParsedId and i.number == EXAMPLE_ID_NUMBER
            )
        genders = column(Field.GENDER, parse_gender)
        births = column(Field.BIRTH_DATE, _birth_key)
        ethnicities = column(Field.ETHNICITY, parse_ethnicity)
        if self.check_groups:
            known = self.groups
            groups = column(Field.GROUP, _GROUP_TEXT, lambda value: value in known)  # type: ignore[operator]
        else:
            groups = column(Field.GROUP, _GROUP_TEXT, _always, _plain_texts(MAX_TEXT_LENGTHS[Field.GROUP]))
        addresses = column(
            Field.ADDRESS, _ADDRESS_TEXT, _always, _plain_texts(MAX_TEXT_LENGTHS[Field.ADDRESS])
        )
        phones = column(Field.PHONE, parse_phone, _always, _all_plain_phones)
        approvals = column(
            Field.APPROVAL_REFERENCE,
            _APPROVAL_TEXT,
            _always,
            _plain_texts(MAX_TEXT_LENGTHS[Field.APPROVAL_REFERENCE]),
        )
        notes = column(Field.NOTES, _NOTES_TEXT, _is_not_example, _plain_texts(MAX_TEXT_LENGTHS[Field.NOTES]))
        if self.has_category:
            categories = column(Field.CATEGORY, parse_category, bool)
            if "non_resident_approved" in categories:
                bad.update(
                    i
                    for i, (category, approval) in enumerate(zip(categories, approvals, strict=True))
                    if category == "non_resident_approved" and not approval
                )
        else:
            categories = ("resident",) * size

        adult_born_by, sheet = self.adult_born_by, self.sheet
        voters: list[VoterRow | None] = []
        append = voters.append
        for i, (
            number,
            name,
            identity,
            gender,
            birth,
            ethnicity,
            group,
            address,
            phone,
            category,
            approval,
            note,
        ) in enumerate(
            zip(
                numbers,
                names,
                identities,
                genders,
                births,
                ethnicities,
                groups,
                addresses,
                phones,
                categories,
                approvals,
                notes,
                strict=True,
            )
        ):
            if (
                i in bad
                or identity.__class__ is not ParsedId
                or identity.birth_date > adult_born_by
                or (gender and gender != identity.gender)
            ):
                append(None)
                continue
            if birth:
                if birth.__class__ is str:
                    if birth != identity.number[6:14]:
                        append(None)
                        continue
                elif not birth.matches(identity.birth_date):  # a YearMonth
                    append(None)
                    continue
            append(
                VoterRow(
                    sheet,
                    number,
                    name,
                    identity.number,
                    identity.gender,
                    identity.birth_date,
                    ethnicity,
                    group,
                    address,
                    phone,
                    category,
                    approval,
                    note,
                )
            )
        return voters

    # --- thorough path: every problem of the row, in words -------------------------------------

    def is_blank(self, cells: Cells) -> bool:
        """No value under any recognised column (a pre-numbered 序号 alone does not count)."""
        return all(_is_blank_cell(cells[i]) for i in self.mapped if i < len(cells))

    def is_skipped(self, cells: Cells) -> bool:
        """The template's example row, or a footer such as ``制表人：`` under the data."""
        notes = _cell(cells, self.index[Field.NOTES])
        name = _cell(cells, self.index[Field.NAME])
        if (isinstance(notes, str) and notes.startswith(EXAMPLE_MARKER)) or (
            isinstance(name, str) and name.startswith(EXAMPLE_MARKER)
        ):
            return True
        raw_id = _cell(cells, self.index[Field.ID_NUMBER])
        if isinstance(raw_id, str) and normalize_id(raw_id) == EXAMPLE_ID_NUMBER:
            return True
        if str(raw_id).strip():
            return False
        first = next((str(c).strip() for c in cells if str(c).strip()), "")
        return bool(_FOOTER.match(first))

    def check(self, number: int, cells: Cells, errors: list[RowError]) -> VoterRow | None:
        """The normalised voter, or None after appending every problem of the row to ``errors``."""
        index, label, sheet = self.index, self.label, self.sheet
        problems: list[RowError] = []

        def problem(f: Field, message: str) -> None:
            problems.append(RowError(sheet, number, label[f], message))

        def parsed(f: Field, parser: Callable[[object], Any], default: Any = "") -> Any:
            try:
                return parser(_cell(cells, index[f]))
            except CellProblem as error:
                problem(f, str(error))
                return default

        name = parsed(Field.NAME, parse_name)
        if not name and not problems:
            problem(Field.NAME, "未填写")

        raw_id = _cell(cells, index[Field.ID_NUMBER])
        identity = parse_id(raw_id, today=self.today)
        if isinstance(identity, IdProblem):
            problem(Field.ID_NUMBER, identity.message)
            if identity.code == IdProblemCode.EXCEL_NUMBER:
                self.excel_number_rows += 1
            identity = None
        self.id_number = identity.number if identity is not None else None

        gender = parsed(Field.GENDER, parse_gender)
        birth = parsed(Field.BIRTH_DATE, parse_date, None)
        if identity is not None:
            born = identity.birth_date
            if gender and gender != identity.gender:
                problem(
                    Field.GENDER,
                    f"填的是“{GENDER_LABELS[gender]}”，身份证号显示为“{GENDER_LABELS[identity.gender]}”，"
                    "请核对性别或身份证号",
                )
            if birth is not None and not (birth == born if isinstance(birth, date) else birth.matches(born)):
                typed = clean_text(_cell(cells, index[Field.BIRTH_DATE]))
                shown = f"“{typed}”" if typed == str(birth) else f"“{typed}”（即 {birth}）"
                problem(
                    Field.BIRTH_DATE,
                    f"{shown}与身份证号中的出生日期 {born.isoformat()} 不一致，请核对出生日期或身份证号",
                )
            if born > self.adult_born_by:
                problem(
                    Field.ID_NUMBER,
                    f"选举日（{self.election_day.isoformat()}）时未满 18 周岁"
                    f"（当天 {age_on(born, self.election_day)} 岁，{add_years(born, VOTING_AGE).isoformat()} 满 18 周岁）",
                )

        ethnicity = parsed(Field.ETHNICITY, parse_ethnicity)
        phone = parsed(Field.PHONE, parse_phone)
        if self.has_category:
            category = parsed(Field.CATEGORY, parse_category)
            if not category and not any(p.column == label[Field.CATEGORY] for p in problems):
                problem(Field.CATEGORY, "未填写，请填写“户籍且居住”“户籍外出参加”或“寄居满一年经同意”")
        else:
            category = "resident"

        texts = {f: parsed(f, parser) for f, parser in _TEXT_PARSERS.items()}
        if category == "non_resident_approved" and not texts[Field.APPROVAL_REFERENCE]:
            problem(
                Field.APPROVAL_REFERENCE,
                f"登记类别为“{CATEGORY_LABELS[category]}”时必须填写村民会议（代表会议）同意的批准文号",
            )
        group = texts[Field.GROUP]
        if self.groups is not None and index[Field.GROUP] is not None:
            if not group:
                problem(Field.GROUP, "未填写")
            elif group not in self.groups:
                known = "、".join(sorted(self.groups)[:10])
                problem(Field.GROUP, f"“{group}”不是本村的小组（本村小组：{known}）")

        if problems or identity is None:
            errors.extend(problems)
            return None
        return VoterRow(
            sheet=sheet,
            row_number=number,
            name=name,
            id_number=identity.number,
            gender=identity.gender,
            birth_date=identity.birth_date,
            ethnicity=ethnicity,
            group=group,
            address=texts[Field.ADDRESS],
            phone=phone,
            category=category,
            approval_reference=texts[Field.APPROVAL_REFERENCE],
            notes=texts[Field.NOTES],
        )


def _is_blank_cell(cell: object) -> bool:
    return cell is None or cell == "" or (isinstance(cell, str) and cell.isspace())


def validate_roll(
    roll: RollFile,
    *,
    election_day: date,
    groups: set[str] | None = None,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
    on_rows: Callable[[list[VoterRow]], None] | None = None,
    keep_valid: bool = True,
) -> ImportResult:
    """Check every row of every data sheet; ``progress(rows_done)`` is called every few thousand rows.

    Rows are checked in chunks, column by column (each distinct value parsed once); a row with any
    problem is then looked at alone to word every problem it has.

    ``on_rows(rows)`` (for a writer that works while the rest is read) receives, chunk by chunk, the valid
    rows whose ID number appears there for the first time in the file. A number found again later makes
    both rows errors at the end: its first row, already handed over, is then in ``duplicate_ids``.
    ``keep_valid=False`` (with ``on_rows``) leaves ``valid`` empty, so each row is freed once handed over.
    """
    result = ImportResult(
        file_errors=list(roll.errors),
        notes=list(roll.notes),
        has_several_sheets=roll.has_several_sheets,
        id_labels={s.name: s.columns.label(Field.ID_NUMBER) for s in roll.sheets},
    )
    if roll.errors:
        return result
    today = today or date.today()
    with _gc_paused():
        _validate_sheets(roll, result, election_day, groups, today, progress, on_rows, keep_valid)
    return result


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a 100,000-row roll allocates millions of acyclic objects,
    and the repeated full collections they trigger would cost a third of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _validate_sheets(
    roll: RollFile,
    result: ImportResult,
    election_day: date,
    groups: set[str] | None,
    today: date,
    progress: Callable[[int], None] | None,
    on_rows: Callable[[list[VoterRow]], None] | None = None,
    keep_valid: bool = True,
) -> None:
    first_place: dict[str, tuple[str, int]] = {}  # ID number → (sheet, row) where first seen
    duplicates: dict[str, list[tuple[str, int]]] = {}
    done = rows_read = 0
    for sheet in roll.sheets:
        validator = _SheetValidator(sheet, election_day, groups, today)
        first_row = sheet.first_row
        while rows := list(islice(sheet.rows, CHUNK_ROWS)):
            numbers = range(first_row, first_row + len(rows))
            first_row += len(rows)
            voters = validator.fast_chunk(numbers, rows)
            if all(voters) and _register_all(voters, sheet.name, numbers, first_place):
                if keep_valid:
                    result.valid.extend(voters)  # the usual chunk: every row valid, no ID seen before
                if on_rows is not None:
                    on_rows(voters)  # type: ignore[arg-type]
                rows_read += len(voters)
                done += len(numbers)
                if progress is not None:
                    progress(done)
                continue
            handed: list[VoterRow] = []
            for number, cells, row in zip(numbers, rows, voters, strict=True):
                if row is not None:
                    id_number = row.id_number
                    if keep_valid:
                        result.valid.append(row)
                    if id_number not in first_place:
                        handed.append(row)
                elif validator.is_blank(cells):
                    result.blank_rows += 1
                    continue
                elif validator.is_skipped(cells):
                    result.skipped_rows += 1
                    continue
                else:
                    row = validator.check(number, cells, result.errors)
                    if row is not None:
                        if keep_valid:
                            result.valid.append(row)
                        if row.id_number not in first_place:
                            handed.append(row)
                    id_number = validator.id_number
                rows_read += 1
                if id_number is not None:
                    if id_number in first_place:
                        duplicates.setdefault(id_number, [first_place[id_number]]).append(
                            (sheet.name, number)
                        )
                    else:
                        first_place[id_number] = (sheet.name, number)
            if on_rows is not None and handed:
                on_rows(handed)
            done += len(numbers)
            if progress is not None:
                progress(done)
        if validator.excel_number_rows:
            where = f"工作表“{sheet.name}”中" if sheet.name and roll.has_several_sheets else ""
            result.notes.append(
                f"{where}有 {validator.excel_number_rows} 行的身份证号被 Excel 存成了数字、末尾几位已经丢失："
                "请把身份证号这一列设置为“文本”格式，再重新录入这些号码。"
            )
    result.rows_read = rows_read
    if duplicates:
        _flag_duplicates(result, duplicates, roll)


def _register_all(
    voters: list[VoterRow], sheet: str, numbers: range, first_place: dict[str, tuple[str, int]]
) -> bool:
    """Record where each ID number first appears, when none of the chunk's is a repeat; else False."""
    id_numbers = [voter.id_number for voter in voters]
    distinct = set(id_numbers)
    if len(distinct) != len(id_numbers) or not distinct.isdisjoint(first_place):
        return False
    first_place.update(zip(id_numbers, zip(repeat(sheet), numbers), strict=True))
    return True


def _flag_duplicates(
    result: ImportResult, duplicates: dict[str, list[tuple[str, int]]], roll: RollFile
) -> None:
    """Each row sharing an ID number with another row gets an error naming the other row(s)."""
    label_by_sheet = {s.name: s.columns.label(Field.ID_NUMBER) for s in roll.sheets}
    several = roll.has_several_sheets
    flagged: set[tuple[str, int]] = set()
    for places in duplicates.values():
        for place in places:
            others = "、".join(
                (f"{s} " if several and s else "") + f"第 {n} 行" for s, n in places if (s, n) != place
            )
            result.errors.append(
                RowError(
                    place[0],
                    place[1],
                    label_by_sheet[place[0]],
                    f"与{others}的身份证号重复（同一人只能登记一次）",
                )
            )
            flagged.add(place)
    result.duplicate_rows = len(flagged)
    result.duplicate_ids = set(duplicates)
    result.valid = [r for r in result.valid if (r.sheet, r.row_number) not in flagged]


def validate_rows(
    rows: Iterable[tuple[int, Cells]],
    columns: ColumnMap,
    *,
    election_day: date,
    groups: set[str] | None = None,
    today: date | None = None,
    sheet_name: str = "",
) -> ImportResult:
    """Validate rows that did not come from a file (tests, pasted tables)."""
    rows = list(rows)
    first_row = rows[0][0] if rows else 2
    if [number for number, _ in rows] != list(range(first_row, first_row + len(rows))):
        raise ValueError("validate_rows() takes consecutive row numbers")
    sheet = DataSheet(
        name=sheet_name,
        columns=columns,
        header_rows=(first_row - 1,),
        first_row=first_row,
        rows=iter(c for _, c in rows),
    )
    roll = RollFile(sheets=[sheet])
    return validate_roll(roll, election_day=election_day, groups=groups, today=today)
