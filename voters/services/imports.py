"""Importing a roll from a spreadsheet (导入选民名单): upload → background check with progress → preview of
every row error → confirm → one atomic write (PostgreSQL COPY, else bulk_create).

The pure parts (safety checks, reading, row rules, error workbook) are ``voters.importing``; this module
adds what needs the database: duplicates against the whole cycle, storage, the Job and the audit event.
"""

from __future__ import annotations

import hashlib
import io
import queue
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.health import task_enqueue
from election_admin.models import DocumentKind, Election, Job
from election_admin.services import jobs as job_services
from election_admin.services.documents import document_store

from ..choices import ImportStatus, VoterStatus
from ..idnumber import mask_id
from ..importing.columns import Field
from ..importing.error_workbook import build_error_workbook
from ..importing.reader import RollFileError, read_roll
from ..importing.safety import ImportRefused, check_upload
from ..importing.validate import ImportResult, RowError, VoterRow, validate_roll
from ..models import RollImport, Voter
from ..pii import encrypt_many, encrypter, id_hasher, mask_phone
from .rolls import (
    RollRef,
    lock_election,
    require_election_day,
    require_roll_editor,
    roll_for_election,
    roll_is_published,
)

JOB_KIND = "voter_import"
LOOKUP_CHUNK = 5000
MAX_STORED_ERRORS = 20_000
ELSEWHERE_MESSAGE = "此人已在本次换届的其他村（社区）登记，同一人只能登记一次"


@dataclass
class CheckedRoll:
    """A file read and checked against the rules and the cycle: what can be written, and every problem."""

    result: ImportResult
    insertable: list[VoterRow] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    already_on_roll: int = 0
    elsewhere: int = 0
    header_rows: dict[str, int] = field(default_factory=dict)
    importable: int | None = None  # when ``insertable`` also holds rows left out (the pipelined write)

    def counts(self) -> dict[str, int]:
        result = self.result
        return {
            "rows_read": result.rows_read,
            "blank_rows": result.blank_rows,
            "skipped_rows": result.skipped_rows,
            "error_rows": result.error_rows,
            "duplicates_in_file": result.duplicate_rows,
            "registered_elsewhere": self.elsewhere,
            "already_on_roll": self.already_on_roll,
            "importable": len(self.insertable) if self.importable is None else self.importable,
        }


def active_hashes_in_cycle(ref: RollRef, hashes: list[str]) -> dict[str, str]:
    """id_hash → region of every voter of the cycle's roll (not struck off) among ``hashes``."""
    found: dict[str, str] = {}
    if connection.vendor == "postgresql":
        sql = (
            "SELECT id_hash, region_id FROM voters_voter WHERE cycle_id = %s AND roll = %s "
            "AND NOT (status = %s) AND id_hash = ANY(%s)"
        )
        with connection.cursor() as cursor:
            for start in range(0, len(hashes), 50_000):
                cursor.execute(
                    sql, [ref.cycle_id, ref.roll, VoterStatus.STRUCK, hashes[start : start + 50_000]]
                )
                found.update(cursor.fetchall())
        return found
    voters = Voter.objects.active().filter(cycle_id=ref.cycle_id, roll=ref.roll)
    for start in range(0, len(hashes), LOOKUP_CHUNK):
        found.update(
            voters.filter(id_hash__in=hashes[start : start + LOOKUP_CHUNK]).values_list(
                "id_hash", "region_id"
            )
        )
    return found


def check_roll_file(
    path: str | Path, declared_name: str, ref: RollRef, *, progress=None, lookup: bool = True
) -> CheckedRoll:
    """Read and check every row, then look every valid ID number up in the whole cycle (one query per
    50,000 numbers on PostgreSQL). Rows already on this roll are skipped; rows registered in another
    village become row errors (without saying where: that is another village's data).

    ``lookup=False`` leaves the look-up to the write (PostgreSQL's unique index, ``ON CONFLICT``)."""
    election_day = require_election_day(ref)
    try:
        roll = read_roll(path, declared_name)
    except RollFileError as error:
        return CheckedRoll(result=ImportResult(file_errors=[str(error)]))
    if progress is not None:
        progress.expect(roll.expected_rows)
    result = validate_roll(roll, election_day=election_day, progress=progress.rows if progress else None)
    checked = CheckedRoll(result=result, header_rows={s.name: s.header_rows[-1] for s in roll.sheets})
    if not result.valid:
        return checked
    hasher = id_hasher()
    hashes = [hasher(row.id_number) for row in result.valid]
    existing = active_hashes_in_cycle(ref, hashes) if lookup else {}
    if not existing:
        checked.insertable, checked.hashes = result.valid, hashes
        return checked
    labels = {s.name: s.columns.label(Field.ID_NUMBER) for s in roll.sheets}
    keep_rows, keep_hashes = [], []
    for row, hashed in zip(result.valid, hashes, strict=True):
        region = existing.get(hashed)
        if region is None:
            keep_rows.append(row)
            keep_hashes.append(hashed)
        elif region == ref.region_id:
            checked.already_on_roll += 1
        else:
            checked.elsewhere += 1
            result.errors.append(
                RowError(row.sheet, row.row_number, labels.get(row.sheet, "公民身份号码"), ELSEWHERE_MESSAGE)
            )
    checked.insertable, checked.hashes = keep_rows, keep_hashes
    return checked


# --- writing -----------------------------------------------------------------------------------

VOTER_COLUMNS = (
    "cycle_id",
    "region_id",
    "roll",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "group",
    "address",
    "category",
    "approval_reference",
    "status",
    "struck_reason",
    "notes",
    "id_hash",
    "id_masked",
    "id_encrypted",
    "phone_masked",
    "phone_encrypted",
    "source",
    "created_at",
    "updated_at",
)
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class _StreamedLines(io.TextIOBase):
    """A read-only text file over an iterator of lines, so COPY streams while Python is still making rows
    (the server inserts on the other core) and the whole payload is never held in memory."""

    def __init__(self, lines) -> None:
        self._lines = iter(lines)
        self._buffer = ""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        if size is None or size < 0:
            text, self._buffer = self._buffer + "".join(self._lines), ""
            return text
        parts, length = [self._buffer], len(self._buffer)
        while length < size:
            line = next(self._lines, None)
            if line is None:
                break
            parts.append(line)
            length += len(line)
        text = "".join(parts)
        self._buffer = text[size:]
        return text[:size]

    def readline(self, size: int = -1) -> str:  # psycopg2 only calls read(); here for completeness
        return self.read(size)


def _copy_lines(ref: RollRef, rows: list[VoterRow], hashes: list[str], *, source: str, now: datetime):
    """COPY text-format lines, made one by one: masked and encrypted ID and phone, escaped text."""
    encrypt = encrypter()
    constant_head = f"{ref.cycle_id}\t{ref.region_id}\t{ref.roll}\t"
    stamp = now.isoformat()
    constant_tail = f"\t{source}\t{stamp}\t{stamp}\n"
    registered = VoterStatus.REGISTERED.value
    escape = _COPY_ESCAPES
    for row, hashed in zip(rows, hashes, strict=True):
        number, phone = row.id_number, row.phone
        fields = (
            row.name,
            row.gender,
            row.ethnicity,
            row.birth_date.isoformat(),
            row.group,
            row.address,
            row.category,
            row.approval_reference,
            registered,
            "",
            row.notes,
            hashed,
            mask_id(number),
            encrypt(number),
            mask_phone(phone),
            encrypt(phone),
        )
        raw = "".join(fields)
        if "\\" in raw or "\t" in raw or "\n" in raw or "\r" in raw:
            fields = tuple(value.translate(escape) for value in fields)
        yield constant_head + "\t".join(fields) + constant_tail


# What the pipelined writer COPYs into its staging table: the columns that differ from row to row. The
# others (cycle, village, roll, status, source, time stamps) are the same for the whole file and are given
# once, as parameters of the INSERT, so that neither Python nor the server formats or parses them per row.
STAGED_COLUMNS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "group",
    "address",
    "category",
    "approval_reference",
    "notes",
    "id_hash",
    "id_masked",
    "id_encrypted",
    "phone_masked",
    "phone_encrypted",
)


def _copy_text(rows: list[VoterRow], hashes: list[str]) -> bytes:
    """The COPY text (UTF-8) of :data:`STAGED_COLUMNS` for many rows at once, in the order of their hashes
    (the unique index's order), with the ID numbers and phones encrypted column-wise."""
    order = sorted(range(len(rows)), key=hashes.__getitem__)
    rows = [rows[i] for i in order]
    hashes = [hashes[i] for i in order]
    numbers = [row.id_number for row in rows]
    phones = [row.phone for row in rows]
    sealed_numbers = encrypt_many(numbers)
    sealed_phones = encrypt_many(phones)

    def lines(escape: bool):
        for row, hashed, number, sealed_number, phone, sealed_phone in zip(
            rows, hashes, numbers, sealed_numbers, phones, sealed_phones, strict=True
        ):
            name, group, address, approval, notes = (
                row.name,
                row.group,
                row.address,
                row.approval_reference,
                row.notes,
            )
            if escape:
                name, group, address, approval, notes = (
                    value.translate(_COPY_ESCAPES) for value in (name, group, address, approval, notes)
                )
            # a valid number is 18 characters; its birth date and mask are slices of it
            masked_phone = (
                phone[:3] + "*" * (len(phone) - 7) + phone[-4:] if len(phone) > 7 else mask_phone(phone)
            )
            yield (
                f"{name}\t{row.gender}\t{row.ethnicity}\t{number[6:10]}-{number[10:12]}-{number[12:14]}\t"
                f"{group}\t{address}\t{row.category}\t{approval}\t{notes}\t{hashed}\t"
                f"{number[:6]}********{number[14:]}\t{sealed_number}\t{masked_phone}\t{sealed_phone}\n"
            )

    data = b"".join([line.encode() for line in lines(False)])  # UTF-8 line by line: no large str
    if (
        b"\\" in data
        or b"\r" in data
        or data.count(b"\n") != len(rows)
        or data.count(b"\t") != (len(STAGED_COLUMNS) - 1) * len(rows)
    ):
        data = b"".join([line.encode() for line in lines(True)])  # a backslash, tab or line break in a cell
    return data


_STAGING_COLUMNS = ", ".join(f'"{name}"' for name in VOTER_COLUMNS)


def write_voters(ref: RollRef, rows: list[VoterRow], hashes: list[str], *, source: str, now: datetime) -> int:
    """Insert voters already checked against the cycle in one statement: COPY on PostgreSQL (streamed),
    bulk_create elsewhere. The one-registration constraint still has the last word (IntegrityError)."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY voters_voter ({_STAGING_COLUMNS}) FROM STDIN",
                _StreamedLines(_copy_lines(ref, rows, hashes, source=source, now=now)),
                size=1 << 16,
            )
        return len(rows)
    encrypt = encrypter()
    Voter.objects.bulk_create(
        (
            Voter(
                **ref.filter_kwargs(),
                name=row.name,
                gender=row.gender,
                ethnicity=row.ethnicity,
                birth_date=row.birth_date,
                group=row.group,
                address=row.address,
                category=row.category,
                approval_reference=row.approval_reference,
                notes=row.notes,
                id_hash=hashed,
                id_masked=mask_id(row.id_number),
                id_encrypted=encrypt(row.id_number),
                phone_masked=mask_phone(row.phone),
                phone_encrypted=encrypt(row.phone),
                source=source,
                created_at=now,
                updated_at=now,
            )
            for row, hashed in zip(rows, hashes, strict=True)
        ),
        batch_size=2000,
    )
    return len(rows)


@dataclass
class ImportOutcome:
    checked: CheckedRoll
    written: int

    def counts(self) -> dict[str, int]:
        return self.checked.counts() | {"written": self.written}


def import_roll_file(
    path: str | Path,
    declared_name: str,
    ref: RollRef,
    *,
    source: str = "import",
    timings: dict | None = None,
    progress=None,
) -> ImportOutcome:
    """Read, check every row, check against the whole cycle and write, in the caller's transaction: what
    the confirm button's background job does (and what bench/bench_voter_import.py times).

    On PostgreSQL the writing overlaps the reading (:class:`_PipelinedWriter`); elsewhere the file is
    checked, looked up and written one step after the other."""
    timings = {} if timings is None else timings
    started = time.perf_counter()
    if connection.vendor != "postgresql":
        checked = check_roll_file(path, declared_name, ref, progress=progress)
        timings["read_validate"] = time.perf_counter() - started
        if checked.result.file_errors:
            return ImportOutcome(checked, 0)
        started = time.perf_counter()
        written = write_voters(ref, checked.insertable, checked.hashes, source=source, now=timezone.now())
        timings["write"] = time.perf_counter() - started
        return ImportOutcome(checked, written)
    election_day = require_election_day(ref)
    try:
        roll = read_roll(path, declared_name)
    except RollFileError as error:
        return ImportOutcome(CheckedRoll(result=ImportResult(file_errors=[str(error)])), 0)
    if progress is not None:
        progress.expect(roll.expected_rows)
    writer = _PipelinedWriter(ref, source=source, now=timezone.now(), expected_rows=roll.expected_rows)
    try:
        result = validate_roll(
            roll,
            election_day=election_day,
            progress=progress.rows if progress is not None else None,
            on_rows=writer.put,
            keep_valid=False,  # each row is freed once its batch is written
        )
        timings["read_validate"] = time.perf_counter() - started
        started = time.perf_counter()
    except BaseException:
        writer.finish(abandon=True)  # the caller's transaction is rolled back: write nothing more
        raise
    writer.finish()
    timings["write"] = time.perf_counter() - started
    started = time.perf_counter()
    checked = CheckedRoll(result=result, header_rows={s.name: s.header_rows[-1] for s in roll.sheets})
    if result.file_errors:
        return ImportOutcome(checked, 0)
    written = writer.settle(result.duplicate_ids, checked)
    timings["classify"] = time.perf_counter() - started
    return ImportOutcome(checked, written)


_STAGED = ", ".join(f'"{name}"' for name in STAGED_COLUMNS)
_FILE_CONSTANTS = (
    "cycle_id",
    "region_id",
    "roll",
    "status",
    "struck_reason",
    "source",
    "created_at",
    "updated_at",
)
_INSERT_CHUNK = (
    f"WITH inserted AS (INSERT INTO voters_voter ({', '.join(_FILE_CONSTANTS)}, {_STAGED}) "
    f"SELECT %(cycle)s, %(region)s, %(roll)s, %(status)s, '', %(source)s, %(now)s, %(now)s, {_STAGED} "
    "FROM voter_import_rows "  # COPYed in key order: no sort
    "ON CONFLICT (cycle_id, id_hash, roll) WHERE NOT (status = 'struck') DO NOTHING RETURNING id_hash), "
    "skipped AS (SELECT id_hash FROM voter_import_rows EXCEPT ALL SELECT id_hash FROM inserted) "
    "SELECT skipped.id_hash, coalesce(v.region_id, '') FROM skipped LEFT JOIN voters_voter v "
    "ON v.cycle_id = %(cycle)s AND v.roll = %(roll)s AND v.id_hash = skipped.id_hash AND NOT (v.status = 'struck')"
)


class _BytesReader:
    """A file over bytes that COPY reads in slices (io.BytesIO would copy them whole first)."""

    def __init__(self, data: bytes) -> None:
        self.view, self.position = memoryview(data), 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.view) if size is None or size < 0 else self.position + size
        chunk = self.view[self.position : end].tobytes()
        self.position += len(chunk)
        return chunk


BATCH_ROWS = 40_000  # rows per INSERT at most: each one walks the cycle's unique index once, in key order
MIN_BATCH_ROWS = 5_000
BATCH_SHARE = 0.15  # of the sheet's rows: the server starts early and, at Python's pace, never waits long


class _PipelinedWriter:
    """Writes checked rows while the rest of the file is still being read (PostgreSQL).

    The reading thread hashes, encrypts and formats each chunk of valid rows (:meth:`put`); a second
    thread, on the same connection and so in the same transaction, COPYs the chunk into a temporary
    table and inserts it in key order with ``ON CONFLICT DO NOTHING`` — the one-registration unique index
    is the look-up against the whole cycle — answering only the rows it skipped and where they are
    registered. psycopg2 releases the GIL while the server works, so Python and PostgreSQL use both
    cores. The reading thread must not use the connection until :meth:`finish`.
    """

    def __init__(self, ref: RollRef, *, source: str, now: datetime, expected_rows: int | None = None) -> None:
        self.ref, self.source, self.now = ref, source, now
        self.hasher = id_hasher()
        self.rows: list[VoterRow] = []  # the batch being gathered
        self.hashes: list[str] = []  # of every row handed over
        self.skipped: dict[str, str] = {}  # id_hash → region where already registered ("" unknown)
        self.error: BaseException | None = None
        # Python prepares a row about as fast as the server writes it, so equal batches keep both busy; the
        # first one should come early (the server idles until then) but each batch walks the index once
        self.batch_rows = min(BATCH_ROWS, max(MIN_BATCH_ROWS, int((expected_rows or 0) * BATCH_SHARE)))
        self.handed = 0  # rows already handed to the writing thread
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        connection.ensure_connection()
        self.raw = connection.connection
        self.thread = threading.Thread(target=self._run, name="voter-import-writer", daemon=True)
        self.thread.start()

    def put(self, rows: list[VoterRow]) -> None:
        if self.error is not None:
            self._raise()
        hasher = self.hasher
        self.rows += rows
        self.hashes += [hasher(row.id_number) for row in rows]
        if len(self.rows) >= self.batch_rows:
            self._hand_over()

    def _hand_over(self) -> None:
        if self.rows:
            rows, self.rows = self.rows, []  # the rows of the batch; their hashes stay in self.hashes
            hashes = self.hashes[self.handed :]
            self.handed = len(self.hashes)
            self.queue.put(_copy_text(rows, hashes))

    def _run(self) -> None:
        try:
            with self.raw.cursor() as cursor:
                # No JIT: compiling the INSERT's expressions costs more than it saves on a batch, and the
                # planner, which cannot know the staging table's size, may decide to (it once took a third of
                # the server's time). Only for these statements: the setting is put back below.
                cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
                jit = cursor.fetchone()[0]
                cursor.execute(
                    f"CREATE TEMPORARY TABLE voter_import_rows ON COMMIT DROP AS "
                    f"SELECT {_STAGED} FROM voters_voter WITH NO DATA"
                )
                ref = self.ref
                params = {
                    "cycle": ref.cycle_id,
                    "region": ref.region_id,
                    "roll": ref.roll,
                    "status": VoterStatus.REGISTERED.value,
                    "source": self.source,
                    "now": self.now,
                }
                while (text := self.queue.get()) is not None:
                    cursor.copy_expert(
                        f"COPY voter_import_rows ({_STAGED}) FROM STDIN", _BytesReader(text), size=1 << 20
                    )
                    del text
                    cursor.execute(_INSERT_CHUNK, params)
                    self.skipped.update(cursor.fetchall())
                    cursor.execute("TRUNCATE voter_import_rows")
                cursor.execute("DROP TABLE voter_import_rows")
                cursor.execute("SELECT set_config('jit', %s, true)", [jit])
        except BaseException as error:  # handed to the reading thread; drain so that it never blocks
            self.error = error
            while self.queue.get() is not None:
                pass

    def finish(self, *, abandon: bool = False) -> None:
        """Hand over the last batch and wait for it; re-raise what the writing thread met
        (IntegrityError…). ``abandon`` only stops the thread (the reading failed)."""
        if self.error is None and not abandon:
            self._hand_over()
        self.queue.put(None)
        self.thread.join()
        if self.error is not None and not abandon:
            self._raise()

    def _raise(self) -> None:
        with connection.wrap_database_errors:  # psycopg2's errors as Django's (IntegrityError…)
            raise self.error

    def settle(self, duplicate_ids: set[str], checked: CheckedRoll) -> int:
        """Take back the first rows of ID numbers found again later in the file (both are errors), count
        the rows found registered, and fill ``checked``; answers the rows written."""
        duplicate_hashes = {self.hasher(number) for number in duplicate_ids}
        skipped = self.skipped
        handed = set(self.hashes)  # only rows this import wrote: never someone registered before
        retract = [h for h in duplicate_hashes if h in handed and h not in skipped]
        if retract:
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM voters_voter WHERE cycle_id = %s AND roll = %s AND region_id = %s "
                    "AND NOT (status = 'struck') AND id_hash = ANY(%s)",
                    [self.ref.cycle_id, self.ref.roll, self.ref.region_id, retract],
                )
        here = elsewhere = 0
        for hashed, region in skipped.items():
            if hashed in duplicate_hashes:
                continue
            if region == self.ref.region_id:
                here += 1
            else:
                elsewhere += 1
        checked.already_on_roll, checked.elsewhere = here, elsewhere
        # every handed row has its own number: written = handed − skipped − taken back
        written = len(self.hashes) - len(skipped) - len(retract)
        checked.insertable, checked.hashes, checked.importable = [], self.hashes, written
        return written


# --- the flow ----------------------------------------------------------------------------------


def _sha256_of(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def roll_import_upload(*, actor, election: Election, upload) -> tuple[RollImport, bool]:
    """Receive a file: refuse hostile ones at once, return the earlier import of the same file (re-uploading
    does nothing), else store it and queue the background check. Answers (import, created)."""
    require_roll_editor(actor)
    election = lock_election(actor, election.pk)
    ref = roll_for_election(election)
    require_election_day(ref)
    if roll_is_published(ref):
        raise ValidationError(
            _("The roll has been published: it now changes only through objections and recorded corrections.")
        )
    name = Path(upload.name or "").name[:200] or "upload.xlsx"
    try:
        check_upload(upload.file, name)
    except ImportRefused as refused:
        raise ValidationError(refused.message) from None
    sha256 = _sha256_of(upload)
    existing = RollImport.objects.filter(**ref.filter_kwargs(), sha256=sha256).first()
    if existing is not None:
        return existing, False
    roll_import = RollImport(
        **ref.filter_kwargs(),
        election=election,
        original_name=name,
        extension=Path(name).suffix.lower(),
        size=upload.size,
        sha256=sha256,
        created_by=actor,
    )
    upload.seek(0)
    roll_import.file.save(name, File(upload.file), save=False)
    roll_import.save()
    job = job_services.job_create(
        actor=actor, kind=JOB_KIND, region=election.region, total=100, params={"import_id": roll_import.pk}
    )
    roll_import.job = job
    roll_import.save(update_fields=["job"])
    from ..tasks import roll_import_check_task

    import_id, job_id = roll_import.pk, job.pk
    transaction.on_commit(lambda: task_enqueue(roll_import_check_task, import_id, job_id, job_id=job_id))
    return roll_import, True


class _Progress:
    """Maps rows checked to the Job's 0–100: reading and checking the rows is 5–80 %, the look-up in the
    cycle and the error workbook the rest. The row count comes from the sheet's dimensions when the file
    states them, else it is estimated from the file size."""

    def __init__(self, job_id: int, size: int, extension: str) -> None:
        self.job_id = job_id
        self.done = 0
        self.estimate = max(1000, size // (40 if extension == ".xlsx" else 90))

    def expect(self, rows: int | None) -> None:
        if rows:
            self.estimate = rows

    def to(self, percent: int) -> None:
        percent = min(percent, 100)
        if percent > self.done:
            job_services.job_progress(job_id=self.job_id, processed_increment=percent - self.done)
            self.done = percent

    def rows(self, rows_done: int) -> None:
        self.to(5 + min(75, rows_done * 75 // self.estimate))


def roll_import_check(*, import_id: int, job_id: int) -> None:
    """The background check (Celery): read, validate, look up the cycle, store the preview and the error
    workbook. Safe to run twice: only a pending import is checked."""
    roll_import = RollImport.objects.select_related(
        "election__cycle__rule_set", "election__region", "created_by"
    ).get(pk=import_id)
    if roll_import.status != ImportStatus.PENDING:
        return
    progress = _Progress(job_id, roll_import.size, roll_import.extension)
    progress.to(5)
    ref = roll_for_election(roll_import.election)
    checked = check_roll_file(roll_import.file.path, roll_import.original_name, ref, progress=progress)
    progress.to(85)
    result = checked.result
    with transaction.atomic():
        roll_import = RollImport.objects.select_for_update().get(pk=import_id)
        if roll_import.status != ImportStatus.PENDING:
            return
        roll_import.counts = checked.counts()
        roll_import.file_errors = list(result.file_errors)
        roll_import.notes = list(result.notes)
        lines = result.error_lines()
        roll_import.row_errors = lines[:MAX_STORED_ERRORS]
        if result.errors and checked.header_rows:
            content = build_error_workbook(
                roll_import.file.path,
                roll_import.original_name,
                result.errors,
                header_rows=checked.header_rows,
            )
            roll_import.error_document = document_store(
                actor=roll_import.created_by,
                kind=DocumentKind.VOTER_IMPORT_ERRORS,
                region=roll_import.region,
                title=f"{roll_import.original_name}（错误说明）",
                content=content,
                filename=f"{Path(roll_import.original_name).stem}-错误说明.xlsx",
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                subject=roll_import,
                data_version=roll_import.sha256,
            )
        roll_import.status = ImportStatus.FAILED if result.file_errors else ImportStatus.PARSED
        roll_import.save()
    job_services.job_succeeded(
        job_id=job_id,
        result_url=reverse("voter_import_detail", kwargs={"import_id": import_id}),
        message=_("%(rows)s rows read, %(importable)s can be imported, %(errors)s rows have problems.")
        % {"rows": result.rows_read, "importable": len(checked.insertable), "errors": result.error_rows},
    )


def roll_import_fail(*, import_id: int, job_id: int, message: str) -> None:
    RollImport.objects.filter(pk=import_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.FAILED, file_errors=[message]
    )
    job_services.job_failed(job_id=job_id, message=message)


APPLY_JOB_KIND = "voter_import_apply"
PUBLISHED_MESSAGE = (
    "The roll has been published: it now changes only through objections and recorded corrections."
)


def _visible_import(actor, import_id: int, *, lock: bool = False) -> RollImport:
    imports = RollImport.objects.visible_to(actor)
    if lock:
        imports = imports.select_for_update()
    roll_import = imports.filter(pk=import_id).first()
    if roll_import is None:
        raise ValidationError(_("This import does not exist or is outside your area."))
    return roll_import


def _require_confirmable(roll_import: RollImport) -> None:
    if roll_import.status == ImportStatus.APPLIED:
        raise ValidationError(_("This file has already been imported."))
    if roll_import.status not in (ImportStatus.PARSED, ImportStatus.APPLYING):
        raise ValidationError(_("This file cannot be imported: see the problems listed."))


@transaction.atomic
def roll_import_confirm(*, actor, roll_import: RollImport) -> Job:
    """导入 (the confirm button) — queue the background job that writes the checked file; answers its Job.
    Confirming again while it runs answers the same job: the file is written once."""
    require_roll_editor(actor)
    election = lock_election(actor, roll_import.election_id)
    roll_import = _visible_import(actor, roll_import.pk, lock=True)
    if roll_import.status == ImportStatus.APPLYING and roll_import.apply_job_id:
        return roll_import.apply_job
    _require_confirmable(roll_import)
    if roll_is_published(roll_for_election(election)):
        raise ValidationError(_(PUBLISHED_MESSAGE))
    job = job_services.job_create(
        actor=actor,
        kind=APPLY_JOB_KIND,
        region=election.region,
        total=100,
        params={"import_id": roll_import.pk},
    )
    roll_import.status = ImportStatus.APPLYING
    roll_import.apply_job = job
    roll_import.save(update_fields=["status", "apply_job"])
    from ..tasks import roll_import_apply_task

    import_id, job_id, user_id = roll_import.pk, job.pk, actor.pk
    transaction.on_commit(
        lambda: task_enqueue(roll_import_apply_task, import_id, job_id, user_id, job_id=job_id)
    )
    return job


class _VisibleProgress(_Progress):
    """The Job's progress written through a second connection (PostgreSQL), so that the page shows it
    while the import's own transaction is still open."""

    def __init__(self, job_id: int, size: int, extension: str) -> None:
        super().__init__(job_id, size, extension)
        self.side = connections.create_connection(DEFAULT_DB_ALIAS)

    def to(self, percent: int) -> None:
        percent = min(percent, 100)
        if percent > self.done:
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Job._meta.db_table} SET processed = LEAST(%s, total) WHERE id = %s",
                    [percent, self.job_id],
                )
            self.done = percent

    def close(self) -> None:
        self.side.close()


def roll_import_apply(*, actor, roll_import: RollImport, job_id: int | None = None) -> RollImport:
    """导入 — write every importable row of a checked file in one transaction, after checking it again
    (every row, and against the whole cycle as it is now). Applying twice does nothing more (the second
    raises). With ``job_id`` the Job's progress follows the rows read."""
    require_roll_editor(actor)
    _require_confirmable(_visible_import(actor, roll_import.pk))
    progress = None
    if job_id is not None:
        progress_class = _VisibleProgress if connection.vendor == "postgresql" else _Progress
        progress = progress_class(job_id, roll_import.size, roll_import.extension)
        progress.to(5)
    try:
        with transaction.atomic():
            election = lock_election(actor, roll_import.election_id)
            roll_import = _visible_import(actor, roll_import.pk, lock=True)
            _require_confirmable(roll_import)
            ref = roll_for_election(election)
            if roll_is_published(ref):
                raise ValidationError(_(PUBLISHED_MESSAGE))
            try:
                with transaction.atomic():
                    outcome = import_roll_file(
                        roll_import.file.path, roll_import.original_name, ref, progress=progress
                    )
                    if outcome.checked.result.file_errors:
                        raise ValidationError(outcome.checked.result.file_errors[0])
            except IntegrityError:
                raise ValidationError(
                    _(
                        "Someone registered one of these people in this cycle while the file was being "
                        "imported; nothing was imported. Check the file again."
                    )
                ) from None
            counts = outcome.counts()
            roll_import.counts = roll_import.counts | {"applied": counts}
            roll_import.status = ImportStatus.APPLIED
            roll_import.applied_at, roll_import.applied_by = timezone.now(), actor
            roll_import.save()
            audit_record(
                actor=actor,
                event_type="roll.imported",
                region_code=roll_import.region_id,
                obj=roll_import,
                after={
                    "file": roll_import.original_name,
                    "sha256": roll_import.sha256,
                    "roll": ref.roll,
                    **counts,
                },
            )
    finally:
        if isinstance(progress, _VisibleProgress):
            progress.close()
    return roll_import


def roll_import_apply_job(*, import_id: int, job_id: int, user_id: int) -> None:
    """The confirm button's background job (Celery). Safe to run twice: an applied file is left alone. A
    refusal (published meanwhile, someone registered meanwhile…) puts the file back to "checked" and
    fails the Job with the reason, which the import page shows."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.get(pk=user_id)
    roll_import = RollImport.objects.get(pk=import_id)
    detail = reverse("voter_import_detail", kwargs={"import_id": import_id})
    if roll_import.status == ImportStatus.APPLIED:
        job_services.job_succeeded(job_id=job_id, result_url=detail)
        return
    try:
        roll_import = roll_import_apply(actor=actor, roll_import=roll_import, job_id=job_id)
    except ValidationError as error:
        roll_import_apply_fail(import_id=import_id, job_id=job_id, message=" ".join(error.messages))
        return
    applied = roll_import.counts.get("applied", {})
    job_services.job_succeeded(
        job_id=job_id,
        result_url=detail,
        message=_("Imported %(written)s voters from %(file)s.")
        % {"written": applied.get("written", 0), "file": roll_import.original_name},
    )


def roll_import_apply_fail(*, import_id: int, job_id: int, message: str) -> None:
    """Nothing was written: the file is "checked" again (it may be confirmed again) and the Job says why."""
    RollImport.objects.filter(pk=import_id, status=ImportStatus.APPLYING).update(status=ImportStatus.PARSED)
    job_services.job_failed(job_id=job_id, message=message)
