"""The pure rules of the candidate list: margins (差额), the cut-off and its ties, nomination order, the
direct-nomination bound and surname stroke order — checked exhaustively where the space is small."""

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from candidates import rules, strokes


def test_party_margin_is_twenty_percent_rounded_up():
    assert rules.party_extra(5, 20) == 1
    assert rules.party_extra(3, 20) == 1  # 0.6 → 1
    assert rules.party_extra(7, 20) == 2  # 1.4 → 2
    assert rules.party_extra(10, 20) == 2
    assert rules.party_extra(7, 30) == 3  # 2.1 → 3
    assert rules.candidates_needed(5, rules.party_margin(5, 20)) == (6, None)


@given(seats=st.integers(1, 9), percent=st.integers(20, 50))
def test_party_margin_is_the_smallest_whole_number_at_least_the_percentage(seats, percent):
    extra = rules.party_extra(seats, percent)
    assert extra * 100 >= seats * percent
    assert (extra - 1) * 100 < seats * percent
    low, high = rules.candidates_needed(seats, rules.party_margin(seats, percent))
    assert low == seats + extra and high is None


@given(seats=st.integers(1, 7), low=st.integers(1, 5), spread=st.integers(0, 4))
def test_needed_range_follows_the_margin(seats, low, spread):
    needed = rules.candidates_needed(seats, rules.Margin(low, low + spread))
    assert needed == (seats + low, seats + low + spread)


T0 = datetime(2026, 5, 1, 9, 0)


def ranked(name, tally, minutes=0):
    return rules.Ranked(name, tally, T0 + timedelta(minutes=minutes), name)


def test_tally_order_breaks_ties_by_nomination_time_then_name():
    items = [ranked("张三", 10, 5), ranked("王五", 10, 5), ranked("李四", 12, 9), ranked("赵六", 10, 1)]
    # 李 most votes; 赵 nominated first of the three tied at 10; 王 (4 strokes) before 张 (7)
    assert [r.item for r in rules.tally_order(items)] == ["李四", "赵六", "王五", "张三"]


def test_cut_list_takes_the_cap_and_keeps_reserves():
    ordered = rules.tally_order([ranked("a", 9), ranked("b", 8), ranked("c", 7)])
    cut = rules.cut_list(ordered, 2)
    assert cut.official == ["a", "b"] and cut.reserves == ["c"] and cut.tie_at_cutoff == []
    assert rules.cut_list(ordered, None).official == ["a", "b", "c"]
    assert rules.cut_list(ordered, 5).reserves == []


def test_tie_at_the_cut_off_is_reported_with_everyone_tied():
    ordered = rules.tally_order([ranked("a", 9), ranked("b", 7, 1), ranked("c", 7, 2), ranked("d", 7, 3)])
    cut = rules.cut_list(ordered, 2)
    assert cut.tie_at_cutoff == ["b", "c", "d"]
    assert rules.cut_list(ordered, 2, by_tally=False).tie_at_cutoff == []  # party lists have no cap anyway


@given(tallies=st.lists(st.integers(0, 20), min_size=0, max_size=10), cap=st.integers(0, 10))
def test_cut_list_properties(tallies, cap):
    ordered = rules.tally_order([ranked(str(i), t, i) for i, t in enumerate(tallies)])
    cut = rules.cut_list(ordered, cap)
    assert cut.official + cut.reserves == [r.item for r in ordered]
    assert len(cut.official) == min(cap, len(tallies))
    if cut.tie_at_cutoff:
        assert cut.official[-1] in cut.tie_at_cutoff and cut.reserves[0] in cut.tie_at_cutoff


def test_direct_nomination_limit_is_ballots_times_seats():
    assert rules.direct_nomination_limit(300, 1) == 300
    assert rules.direct_nomination_limit(300, 3) == 900


def test_stroke_table_has_the_hundred_most_common_surnames():
    top100 = (
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
        "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    )
    assert len(set(top100)) == 100
    assert all(surname in strokes.STROKES for surname in top100)
    assert strokes.STROKES["王"][0] == 4 and strokes.STROKES["魏"][0] == 17 and strokes.STROKES["丁"][0] == 2


def test_stroke_order_by_count_then_first_stroke_then_unknown_last():
    names = ["魏明", "丁一", "王五", "方平", "张三", "李四", "𠀋某", "韦华"]
    # 丁(2) 王(4 横) 韦(4 横) 方(4 点) 李(7 横) 张(7 折) 魏(17) and the unknown one last
    assert strokes.sort_by_strokes(names) == ["丁一", "王五", "韦华", "方平", "李四", "张三", "魏明", "𠀋某"]
    assert strokes.unknown_characters("𠀋某") == "𠀋"
    assert strokes.unknown_characters("王五") == ""


def test_same_surname_orders_by_the_given_name():
    assert strokes.sort_by_strokes(["王芳", "王一"]) == [
        "王一",
        "王芳",
    ]  # 一 is in no table → code point; 芳 too


def test_rules_module_imports_no_django():
    import ast
    import pathlib

    for module in ("rules.py", "strokes.py"):
        tree = ast.parse((pathlib.Path(rules.__file__).parent / module).read_text())
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert "django" not in imported, module
