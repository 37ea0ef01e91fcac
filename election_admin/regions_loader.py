"""Loading the national statistical division codes (统计用区划代码) into ``Region``.

A source folder holds up to five files, each ``<name>.csv`` or ``<name>.csv.gz``, UTF-8 with or
without BOM, first line the column names (other columns are ignored):

    provinces  code,name                (2 digits)
    cities     code,name,provinceCode   (4 digits)
    areas      code,name,cityCode       (6 digits)
    streets    code,name,areaCode       (9 digits)
    villages   code,name,streetCode     (12 digits)

The load runs in two phases. First every row is read and checked (code format, name, parent code,
duplicates) while the valid rows are spooled to a temporary CSV file; nothing is written if any
check fails, and all errors (up to ``MAX_ERRORS``) are reported with file and line. Then one
transaction upserts the rows top-down — PostgreSQL: ``COPY`` into a temporary table and
``INSERT … SELECT … ON CONFLICT DO UPDATE``; other databases: ``bulk_create(update_conflicts=True)``
— and writes one ``region.loaded`` audit event. Existing codes get their name, parent and kind
updated; nothing is deleted, so the load is safe to run again.
"""

import csv
import gzip
import hashlib
import io
import tempfile
import time
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from audit.services import audit_record

from .choices import CODE_LENGTH, RegionKind, RegionLevel, village_level_kind
from .models import Region

DEFAULT_SOURCE_DIR = Path(__file__).resolve().parent / "data" / "regions"
MAX_ERRORS = 50
ACTOR_LABEL = "manage.py load_regions"
BATCH_SIZE = 500
STAGING_TABLE = "regions_load_staging"

LEVEL_NAMES = {
    RegionLevel.PROVINCE: "省级",
    RegionLevel.CITY: "地级",
    RegionLevel.COUNTY: "县级",
    RegionLevel.TOWNSHIP: "乡级",
    RegionLevel.VILLAGE_LEVEL: "村级",
}


@dataclass(frozen=True)
class RegionFile:
    """One of the five source files: its name without extension, the level it holds and its parent column."""

    stem: str
    level: RegionLevel
    parent_column: str | None

    @property
    def columns(self) -> tuple[str, ...]:
        return ("code", "name") + ((self.parent_column,) if self.parent_column else ())


REGION_FILES = (
    RegionFile("provinces", RegionLevel.PROVINCE, None),
    RegionFile("cities", RegionLevel.CITY, "provinceCode"),
    RegionFile("areas", RegionLevel.COUNTY, "cityCode"),
    RegionFile("streets", RegionLevel.TOWNSHIP, "areaCode"),
    RegionFile("villages", RegionLevel.VILLAGE_LEVEL, "streetCode"),
)


@dataclass
class LevelCounts:
    """Rows of one level in a load and what became of them."""

    rows: int = 0
    inserted: int = 0
    updated: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def unchanged(self) -> int:
        return self.rows - self.inserted - self.updated

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.kinds:
            data["kinds"] = dict(self.kinds)
        return data


@dataclass
class LoadResult:
    """What one load read and wrote, per level, and how long it took."""

    source_dir: Path
    province: str | None
    files: dict[str, dict[str, Any]]
    levels: dict[RegionLevel, LevelCounts]
    method: str = ""
    validate_seconds: float = 0.0
    write_seconds: float = 0.0

    @property
    def seconds(self) -> float:
        return self.validate_seconds + self.write_seconds

    @property
    def total(self) -> LevelCounts:
        total = LevelCounts()
        for counts in self.levels.values():
            total.rows += counts.rows
            total.inserted += counts.inserted
            total.updated += counts.updated
        return total

    def as_dict(self) -> dict[str, Any]:
        """The audit record of the load (JSON-safe)."""
        return {
            "source": str(self.source_dir),
            "province": self.province or "",
            "files": self.files,
            "method": self.method,
            "levels": {level.name.lower(): counts.as_dict() for level, counts in self.levels.items()},
            "total": self.total.as_dict(),
        }

    def summary_lines(self) -> list[str]:
        """A short report in Chinese for the command line."""
        scope = f"省级代码 {self.province}" if self.province else "全部"
        lines = [
            f"区划代码导入完成：来源 {self.source_dir}（{', '.join(self.files) or '无文件'}），范围：{scope}。",
            f"{'层级':<6}{'行数':>10}{'新增':>10}{'更新':>10}{'未变':>10}",
        ]
        for level, counts in [*self.levels.items(), (None, self.total)]:
            label = LEVEL_NAMES[level] if level is not None else "合计"
            lines.append(
                f"{label:<6}{counts.rows:>12,}{counts.inserted:>12,}{counts.updated:>12,}{counts.unchanged:>12,}"
            )
        village_kinds = self.levels.get(RegionLevel.VILLAGE_LEVEL, LevelCounts()).kinds
        if village_kinds:
            community, village, other = (
                village_kinds.get(kind, 0)
                for kind in (RegionKind.COMMUNITY, RegionKind.VILLAGE, RegionKind.OTHER)
            )
            lines.append(f"村级单位中：社区 {community:,} 个，村 {village:,} 个，其他 {other:,} 个。")
        lines.append(
            f"用时 {self.seconds:.1f} 秒（读取校验 {self.validate_seconds:.1f} 秒，写入 {self.write_seconds:.1f} 秒；{self.method}）。"
        )
        return lines


class _TooManyErrors(Exception):
    pass


class _Errors:
    """Collects error messages; raises ``_TooManyErrors`` once ``MAX_ERRORS`` are in."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.is_truncated = False

    def add(self, message: str) -> None:
        if len(self.messages) >= MAX_ERRORS:
            self.is_truncated = True
            raise _TooManyErrors
        self.messages.append(message)

    def __bool__(self) -> bool:
        return bool(self.messages)

    def as_validation_error(self) -> ValidationError:
        messages = list(self.messages)
        if self.is_truncated:
            messages.append(f"错误超过 {MAX_ERRORS} 条，已停止检查；请改正以上错误后再导入。")
        return ValidationError(messages)


class _CodeRegister:
    """The codes of one file and the line each was first seen on, to find duplicates.

    Official files are sorted, and while codes only ascend none can repeat: they are kept as compact
    integer arrays. The first code out of order switches to a dict (codes of one file have one length,
    so the integer is as unique as the code).
    """

    def __init__(self) -> None:
        self._codes: array | None = array("q")
        self._lines: array | None = array("q")
        self._last = -1
        self._first_line: dict[int, int] | None = None

    def previous_line(self, code: int, line: int) -> int | None:
        """Remember ``code`` seen on ``line``; answer the earlier line if it was seen before."""
        if self._first_line is None:
            if code > self._last:
                self._last = code
                self._codes.append(code)
                self._lines.append(line)
                return None
            self._first_line = dict(zip(self._codes, self._lines, strict=True))
            self._codes = self._lines = None
        previous = self._first_line.get(code)
        if previous is None:
            self._first_line[code] = line
        return previous


def _open_text(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _find_files(source_dir: Path, errors: _Errors) -> list[tuple[RegionFile, Path]]:
    if not source_dir.is_dir():
        errors.add(f"找不到目录 {source_dir}")
        return []
    found = []
    for spec in REGION_FILES:
        present = [
            path
            for path in (source_dir / f"{spec.stem}.csv", source_dir / f"{spec.stem}.csv.gz")
            if path.is_file()
        ]
        if len(present) > 1:
            errors.add(f"目录 {source_dir} 中同时有 {present[0].name} 和 {present[1].name}，请只保留一个")
        elif present:
            found.append((spec, present[0]))
    if not found and not errors:
        names = "、".join(f"{spec.stem}.csv(.gz)" for spec in REGION_FILES)
        errors.add(f"目录 {source_dir} 中没有区划文件（应有 {names} 中的一个或多个）")
    return found


def _read_error(path: Path, line: int | None, exc: Exception) -> str:
    where = f"{path.name} 第 {line} 行附近" if line else path.name
    if isinstance(exc, UnicodeDecodeError):
        return f"{where}：不是 UTF-8 编码的文本，无法读取（请另存为 UTF-8 的 CSV）"
    if isinstance(exc, csv.Error):
        return f"{where}：CSV 格式错误（{exc}）"
    return f"{where}：文件无法读取或解压（{exc}）"


def _read_header(spec: RegionFile, path: Path, errors: _Errors) -> dict[str, int] | None:
    """Column positions of the required columns, or None (with the error recorded)."""
    try:
        with _open_text(path) as handle:
            header = next(csv.reader(handle), None)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error) as exc:
        errors.add(_read_error(path, None, exc))
        return None
    required = "、".join(spec.columns)
    if not header:
        errors.add(f"{path.name} 是空文件：第 1 行应为列名，至少包含 {required}")
        return None
    names = [name.strip() for name in header]
    missing = [column for column in spec.columns if column not in names]
    if missing:
        errors.add(
            f"{path.name} 缺少必需的列：{'、'.join(missing)}（第 1 行应包含 {required}；实际为 {'、'.join(names)}）"
        )
        return None
    return {column: names.index(column) for column in spec.columns}


@dataclass
class _Pending:
    """A parent code found in no file: checked against the database at the end."""

    file_name: str
    line: int
    references: int = 1


class _Checker:
    """Reads and checks the files top-down, spooling valid rows as CSV (code, name, level, kind, parent)."""

    def __init__(
        self, *, province: str | None, spool: IO[str], errors: _Errors, stdout: IO[str] | None
    ) -> None:
        self.province = province
        self.spool = spool
        self.errors = errors
        self.stdout = stdout
        # Codes of levels 1–4 seen in the files, to resolve the parent codes of the level below.
        self.known: dict[RegionLevel, set[str]] = {}
        self.pending: dict[str, _Pending] = {}
        self.levels: dict[RegionLevel, LevelCounts] = {}
        self.files: dict[str, dict[str, Any]] = {}

    def check_file(self, spec: RegionFile, path: Path, columns: dict[str, int]) -> bool:
        """Check one file; False when it could not be read to the end."""
        if self.stdout is not None:
            self.stdout.write(f"正在读取并校验 {path.name} …\n")
        counts = self.levels.setdefault(spec.level, LevelCounts())
        self.files[path.name] = {"sha256": _sha256(path), "rows": 0}
        line = 1
        try:
            with _open_text(path) as handle:
                reader = csv.reader(handle)
                next(reader, None)
                try:
                    self._check_rows(spec, path.name, reader, columns, counts)
                finally:
                    line = reader.line_num + 1
        except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error) as exc:
            self.errors.add(_read_error(path, line, exc))
            return False
        self.files[path.name]["rows"] = counts.rows
        return True

    def _check_rows(
        self, spec: RegionFile, file_name: str, reader: Any, columns: dict[str, int], counts: LevelCounts
    ) -> None:
        add_error = self.errors.add
        write = csv.writer(self.spool).writerow
        province = self.province
        level = int(spec.level)
        length = CODE_LENGTH[spec.level]
        code_index, name_index = columns["code"], columns["name"]
        parent_index = columns.get(spec.parent_column) if spec.parent_column else None
        width = max(columns.values()) + 1
        parent_level = RegionLevel(level - 1) if parent_index is not None else None
        parent_length = CODE_LENGTH[parent_level] if parent_level is not None else 0
        parent_codes = self.known.get(parent_level, set()) if parent_level is not None else set()
        own_codes = (
            self.known.setdefault(spec.level, set()) if spec.level != RegionLevel.VILLAGE_LEVEL else None
        )
        is_village_level = spec.level == RegionLevel.VILLAGE_LEVEL
        max_name_length = Region._meta.get_field("name").max_length
        register = _CodeRegister()
        pending = self.pending
        kinds = counts.kinds

        for row in reader:
            if not row:
                continue
            line = reader.line_num
            if len(row) < width:
                if any(cell.strip() for cell in row):
                    add_error(f"{file_name} 第 {line} 行：只有 {len(row)} 列，应至少有 {width} 列")
                continue
            code = row[code_index].strip()
            if province is not None and not code.startswith(province):
                continue
            if len(code) != length or not (code.isascii() and code.isdigit()):
                add_error(f'{file_name} 第 {line} 行：代码 "{code}" 应为 {length} 位数字')
                continue
            previous = register.previous_line(int(code), line)
            if previous is not None:
                add_error(f'{file_name} 第 {line} 行：代码 "{code}" 重复（第 {previous} 行已有）')
                continue
            if own_codes is not None:
                own_codes.add(code)
            is_valid = True
            name = row[name_index].strip()
            if not name:
                add_error(f'{file_name} 第 {line} 行：代码 "{code}" 的名称为空')
                is_valid = False
            elif len(name) > max_name_length:
                add_error(f"{file_name} 第 {line} 行：名称超过 {max_name_length} 个字（共 {len(name)} 个字）")
                is_valid = False
            parent = ""
            if parent_index is not None:
                parent = row[parent_index].strip()
                if len(parent) != parent_length or not (parent.isascii() and parent.isdigit()):
                    add_error(f'{file_name} 第 {line} 行：上级代码 "{parent}" 应为 {parent_length} 位数字')
                    is_valid = False
                elif not code.startswith(parent):
                    add_error(f'{file_name} 第 {line} 行：代码 "{code}" 不以上级代码 "{parent}" 开头')
                    is_valid = False
                elif parent not in parent_codes:
                    waiting = pending.get(parent)
                    if waiting is None:
                        pending[parent] = _Pending(file_name, line)
                    else:
                        waiting.references += 1
            if not is_valid:
                continue
            kind = village_level_kind(code).value if is_village_level else ""
            if kind:
                kinds[kind] = kinds.get(kind, 0) + 1
            counts.rows += 1
            write((code, name, level, kind, parent))

    def check_parents_in_database(self) -> None:
        """Parent codes found in no file must already be in the database."""
        codes = list(self.pending)
        existing: set[str] = set()
        for chunk in _chunks(codes, BATCH_SIZE):
            existing.update(Region.objects.filter(code__in=chunk).values_list("code", flat=True))
        for code in codes:
            if code in existing:
                continue
            waiting = self.pending[code]
            others = f"，另有 {waiting.references - 1} 行也引用它" if waiting.references > 1 else ""
            self.errors.add(
                f'{waiting.file_name} 第 {waiting.line} 行：上级代码 "{code}" 不存在（文件和数据库中都没有{others}）'
            )


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _write_postgresql(spool: io.TextIOWrapper, levels: dict[RegionLevel, LevelCounts]) -> None:
    """COPY into a temporary table, count what will change, upsert what did."""
    table = connection.ops.quote_name(Region._meta.db_table)
    spool.flush()
    spool.buffer.seek(0)
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg2 cursor, inside Django's transaction
        # Serialise concurrent loads (and any other writer of regions) so the counts below stay true;
        # readers and foreign-key checks from other tables are not blocked.
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING_TABLE} (code varchar(12) NOT NULL, name varchar(100) NOT NULL,"
            " level smallint NOT NULL, kind varchar(10) NOT NULL, parent_id varchar(12)) ON COMMIT DROP"
        )
        cursor.copy_expert(
            f"COPY {STAGING_TABLE} (code, name, level, kind, parent_id) FROM STDIN"
            " WITH (FORMAT csv, FORCE_NOT_NULL (name, kind))",
            spool.buffer,
            size=1 << 20,
        )
        cursor.execute(f"ANALYZE {STAGING_TABLE}")
        cursor.execute(
            f"SELECT s.level, count(*) FILTER (WHERE r.code IS NULL),"
            f" count(*) FILTER (WHERE r.code IS NOT NULL"
            f"   AND (r.name, r.kind, r.parent_id) IS DISTINCT FROM (s.name, s.kind, s.parent_id))"
            f" FROM {STAGING_TABLE} s LEFT JOIN {table} r ON r.code = s.code GROUP BY s.level"
        )
        changes = 0
        for level, inserted, updated in cursor.fetchall():
            levels[RegionLevel(level)].inserted = inserted
            levels[RegionLevel(level)].updated = updated
            changes += inserted + updated
        if changes:
            cursor.execute(
                f"INSERT INTO {table} AS r (code, name, level, kind, parent_id)"
                f" SELECT code, name, level, kind, parent_id FROM {STAGING_TABLE} ORDER BY level, code"
                " ON CONFLICT (code) DO UPDATE"
                " SET name = EXCLUDED.name, kind = EXCLUDED.kind, parent_id = EXCLUDED.parent_id"
                " WHERE (r.name, r.kind, r.parent_id) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.parent_id)"
            )
        cursor.execute(f"DROP TABLE {STAGING_TABLE}")


def _write_with_orm(spool: io.TextIOWrapper, levels: dict[RegionLevel, LevelCounts]) -> None:
    """Batches: read what exists, then one bulk upsert of the new and changed rows."""
    spool.flush()
    spool.seek(0)
    for batch in _chunks(csv.reader(spool), BATCH_SIZE):
        existing = {
            code: (name, kind, parent_id)
            for code, name, kind, parent_id in Region.objects.filter(
                code__in=[row[0] for row in batch]
            ).values_list("code", "name", "kind", "parent_id")
        }
        changed = []
        for code, name, level, kind, parent in batch:
            parent_id = parent or None
            old = existing.get(code)
            counts = levels[RegionLevel(int(level))]
            if old is None:
                counts.inserted += 1
            elif old != (name, kind, parent_id):
                counts.updated += 1
            else:
                continue
            changed.append(Region(code=code, name=name, level=int(level), kind=kind, parent_id=parent_id))
        if changed:
            Region.objects.bulk_create(
                changed,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=["name", "kind", "parent"],
                batch_size=BATCH_SIZE,
            )


def _check_files(source_dir: Path, checker: _Checker) -> int:
    """All headers first, then the rows of each file top-down; answers the number of valid rows."""
    errors = checker.errors
    try:
        found = _find_files(source_dir, errors)
        headers = [(spec, path, _read_header(spec, path, errors)) for spec, path in found]
        if not errors:
            for spec, path, columns in headers:
                if not checker.check_file(spec, path, columns):
                    break
        total_rows = sum(counts.rows for counts in checker.levels.values())
        if not errors and total_rows == 0:
            scope = f"省级代码为 {checker.province} 的" if checker.province else "任何"
            errors.add(f"目录 {source_dir} 的文件中没有{scope}区划，未导入任何数据")
    except _TooManyErrors:
        total_rows = 0
    return total_rows


def regions_load(
    *, source_dir: str | Path, province: str | None = None, stdout: IO[str] | None = None
) -> LoadResult:
    """导入统计用区划代码 — check the region files in ``source_dir`` and upsert them in one transaction."""
    started = time.monotonic()
    source_dir = Path(source_dir).resolve()
    errors = _Errors()
    if province is not None:
        province = province.strip()
        if len(province) != 2 or not (province.isascii() and province.isdigit()):
            raise ValidationError([f'省级代码应为 2 位数字（例如 63），而不是 "{province}"'])

    with tempfile.TemporaryFile() as raw_spool:
        spool = io.TextIOWrapper(raw_spool, encoding="utf-8", newline="")
        checker = _Checker(province=province, spool=spool, errors=errors, stdout=stdout)
        total_rows = _check_files(source_dir, checker)
        result = LoadResult(
            source_dir=source_dir, province=province, files=checker.files, levels=checker.levels
        )
        with transaction.atomic():
            if not errors.is_truncated:
                try:
                    checker.check_parents_in_database()
                except _TooManyErrors:
                    pass
            if errors:
                raise errors.as_validation_error()
            result.validate_seconds = time.monotonic() - started
            if stdout is not None:
                stdout.write(f"校验通过（{total_rows:,} 行），正在写入数据库 …\n")
            write_started = time.monotonic()
            if connection.vendor == "postgresql":
                result.method = "PostgreSQL COPY + INSERT … ON CONFLICT"
                _write_postgresql(spool, checker.levels)
            else:
                result.method = f"{connection.vendor} bulk_create"
                _write_with_orm(spool, checker.levels)
            audit_record(
                actor=None,
                actor_label=ACTOR_LABEL,
                event_type="region.loaded",
                region_code=province or "",
                object_type=Region._meta.label_lower,
                object_repr=f"统计用区划代码（{province or '全部'}）",
                after=result.as_dict(),
            )
        # After the commit, which runs the deferred foreign-key checks.
        result.write_seconds = time.monotonic() - write_started
    return result
