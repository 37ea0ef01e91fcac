"""Pure logic of a frozen return (no Django import): canonical JSON and its SHA-256, flattening nested
figures into rows, and the difference between the submitted figures and today's."""

import hashlib
import json
from dataclasses import dataclass
from numbers import Number


def canonical_json(figures: dict) -> str:
    """The one text of a set of figures: keys sorted, no spaces, Chinese kept as is."""
    return json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def figures_sha256(figures: dict) -> str:
    return hashlib.sha256(canonical_json(figures).encode("utf-8")).hexdigest()


def flatten(figures: dict, prefix: str = "") -> dict[str, object]:
    """Nested figures as one level, in their order: {"by_education": {"college": 3}} → {"by_education.college": 3}.
    Lists are kept whole (shown as they are)."""
    flat: dict[str, object] = {}
    for key, value in figures.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def label_for(path: str, labels: dict) -> str:
    """The label of a flattened key: its own, else its parent's label with the last part appended."""
    if path in labels:
        return str(labels[path])
    head, _dot, tail = path.rpartition(".")
    if head and tail:
        return f"{label_for(head, labels)} · {labels.get(tail, tail)}"
    return path


def _is_number(value) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


@dataclass(frozen=True)
class FigureRow:
    """One figure of a return: its key, label and value (for the snapshot table)."""

    key: str
    label: str
    value: object


@dataclass(frozen=True)
class DifferenceRow:
    """One figure that changed since submission: submitted, now, and the change when both are numbers."""

    key: str
    label: str
    submitted: object
    now: object
    change: object  # now − submitted, or None when not both numbers


def figure_rows(figures: dict, labels: dict) -> list[FigureRow]:
    return [FigureRow(key, label_for(key, labels), value) for key, value in flatten(figures).items()]


def differences(submitted: dict, now: dict, labels: dict) -> list[DifferenceRow]:
    """Every figure whose value differs (a figure only on one side counts as changed), in the order of the
    submitted figures, then new ones."""
    old, new = flatten(submitted), flatten(now)
    rows = []
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        change = None
        if _is_number(before) and _is_number(after):
            change = round(after - before, 4) if isinstance(after - before, float) else after - before
        rows.append(DifferenceRow(key, label_for(key, labels), before, after, change))
    return rows


# --- Grouped for reading: one table per group, this term beside the previous term and the change ------
SECTION_PREFIXES = ("round", "members")
_BESIDE = ("previous", "change")


@dataclass(frozen=True)
class SectionRow:
    """One figure of a group: this term, and (people elected) the previous term and the change."""

    label: str
    value: object
    previous: object = None
    change: object = None


@dataclass(frozen=True)
class Section:
    """The figures of one group (``round.committee``, ``members.chairs`` …), titled by the group."""

    key: str
    kind: str  # "round", "members" or "other"
    title: str
    rows: tuple[SectionRow, ...]
    has_previous: bool


def _split_label(label: str) -> tuple[str, str]:
    """ "村(居)委会 · 参选率" → ("村(居)委会", "参选率")."""
    head, sep, tail = label.rpartition(" · ")
    return (head, tail) if sep else ("", label)


def figure_sections(figures: dict, labels: dict) -> tuple[list[Section], int]:
    """The figures as groups in their order, each row with its previous-term figure and change beside it;
    rows with no value at all are left out and counted (the second item).

    The order is the labels' (the order the statistics app defines), not the stored figures': PostgreSQL's
    jsonb keeps keys sorted by length, so a stored return comes back in another order than it was written."""
    flat = flatten(figures)
    rank = {key: position for position, key in enumerate(labels)}
    grouped: dict[str, list[tuple[str, str]]] = {}
    for key in sorted(flat, key=lambda k: rank.get(k, len(rank))):
        parts = key.split(".")
        if parts[0] in _BESIDE:
            continue
        if parts[0] in SECTION_PREFIXES and len(parts) == 3:
            grouped.setdefault(f"{parts[0]}.{parts[1]}", []).append((key, parts[2]))
        else:
            grouped.setdefault("other", []).append((key, key))
    sections, empty = [], 0
    for section_key, keys in grouped.items():
        rows, title = [], ""
        for key, _figure in keys:
            previous, change = flat.get(f"previous.{key}"), flat.get(f"change.{key}")
            if flat[key] is None and previous is None and change is None:
                empty += 1
                continue
            head, label = _split_label(label_for(key, labels))
            title = title or head
            rows.append(SectionRow(label, flat[key], previous, change))
        if rows:
            kind = section_key.split(".")[0] if section_key != "other" else "other"
            has_previous = any(r.previous is not None or r.change is not None for r in rows)
            sections.append(Section(section_key, kind, title, tuple(rows), has_previous))
    return sections, empty
