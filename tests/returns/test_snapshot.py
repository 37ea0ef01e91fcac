"""The pure logic of a frozen return: one canonical text and hash whatever the key order, nested figures
flattened, and the difference table (changed, added and removed figures; the change only between numbers)."""

from hypothesis import given
from hypothesis import strategies as st

from election_admin.returns.snapshot import (
    DifferenceRow,
    canonical_json,
    differences,
    figure_rows,
    figures_sha256,
    flatten,
)

keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=8)  # no dots: nesting
values = st.one_of(st.none(), st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False))


@given(st.dictionaries(keys, values, max_size=20))
def test_hash_does_not_depend_on_key_order(figures):
    reordered = dict(reversed(list(figures.items())))
    assert figures_sha256(figures) == figures_sha256(reordered)
    assert differences(figures, reordered, {}) == []


@given(st.dictionaries(keys, st.integers(0, 1000), min_size=1, max_size=20))
def test_any_changed_value_changes_the_hash_and_shows_in_the_differences(figures):
    key = next(iter(figures))
    changed = {**figures, key: figures[key] + 1}
    assert figures_sha256(changed) != figures_sha256(figures)
    assert differences(figures, changed, {}) == [DifferenceRow(key, key, figures[key], figures[key] + 1, 1)]


def test_canonical_text_keeps_chinese_and_has_no_spaces():
    assert canonical_json({"b": 1, "a": "桥头镇"}) == '{"a":"桥头镇","b":1}'


def test_differences_name_the_figure_and_give_the_change_between_numbers():
    labels = {"round.committee.voted": "投票人数", "round.committee.turnout_pct": "参选率"}
    before = {"round.committee.voted": 1080, "round.committee.turnout_pct": 90.0, "gone": 3, "same": 1}
    after = {"round.committee.voted": 900, "round.committee.turnout_pct": 75.0, "same": 1, "new": None}
    rows = differences(before, after, labels)
    assert [(r.label, r.submitted, r.now, r.change) for r in rows] == [
        ("投票人数", 1080, 900, -180),
        ("参选率", 90.0, 75.0, -15.0),
        ("gone", 3, None, None),
    ]
    # a figure that appears with a value is a change too
    assert differences({}, {"new": 2}, {}) == [DifferenceRow("new", "new", None, 2, None)]


def test_nested_figures_are_flattened_with_their_parent_label():
    figures = {"members": {"women": 3, "edu": {"college": 2}}, "boxes": 4}
    assert flatten(figures) == {"members.women": 3, "members.edu.college": 2, "boxes": 4}
    rows = figure_rows(figures, {"members": "当选人", "women": "女性"})
    assert [(r.label, r.value) for r in rows] == [
        ("当选人 · 女性", 3),
        ("当选人 · edu · college", 2),
        ("boxes", 4),
    ]


def test_sections_group_the_figures_with_the_previous_term_and_change_beside():
    from election_admin.returns.snapshot import Section, SectionRow, figure_sections

    figures = {
        "round.committee.voted": 1080,
        "round.committee.boxes": None,
        "members.chairs.avg_age": 44.1,
        "previous.members.chairs.avg_age": 46.3,
        "change.members.chairs.avg_age": -2.2,
        "members.chairs.count": 3,
        "previous.members.chairs.count": None,
    }
    labels = {
        "round.committee.voted": "村(居)委会 · 参加投票人数",
        "round.committee.boxes": "村(居)委会 · 票箱",
        "members.chairs.avg_age": "村(居)委会主任 · 平均年龄",
        "members.chairs.count": "村(居)委会主任 · 人数",
    }
    sections, empty = figure_sections(figures, labels)
    assert empty == 1  # the boxes: no value this term, none before
    assert sections == [
        Section(
            "round.committee", "round", "村(居)委会", (SectionRow("参加投票人数", 1080),), has_previous=False
        ),
        Section(
            "members.chairs",
            "members",
            "村(居)委会主任",
            (SectionRow("平均年龄", 44.1, 46.3, -2.2), SectionRow("人数", 3)),
            has_previous=True,
        ),
    ]


def test_sections_follow_the_labels_order_not_the_stored_order():
    """PostgreSQL's jsonb gives keys back sorted by length: "members…" before "round…"."""
    from election_admin.returns.snapshot import figure_sections

    stored = {"members.both.count": 2, "round.committee.voted": 1080, "round.committee.rate": 91.2}
    labels = {
        "round.committee.rate": "村(居)委会 · 参选率",
        "round.committee.voted": "村(居)委会 · 参加投票人数",
        "members.both.count": "书记主任一肩挑 · 人数",
    }
    sections, _empty = figure_sections(stored, labels)
    assert [s.key for s in sections] == ["round.committee", "members.both"]
    assert [row.label for row in sections[0].rows] == ["参选率", "参加投票人数"]
