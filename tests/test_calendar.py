"""The legal calendar and stage machine: pure functions, tested with hypothesis."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from election_admin import legal_calendar as cal

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@st.composite
def rules(draw):
    def bounded(name):
        low, high = cal.RULE_BOUNDS[name]
        return draw(st.integers(low, high))

    return cal.CalendarRules(
        roll_publish_days_before=bounded("roll_publish_days_before"),
        objection_window_days=bounded("objection_window_days"),
        objection_answer_days=bounded("objection_answer_days"),
        candidate_list_days_before=bounded("candidate_list_days_before"),
        proxy_filing_days_before=bounded("proxy_filing_days_before"),
        runoff_window_days=bounded("runoff_window_days"),
        handover_days=bounded("handover_days"),
    )


def test_national_default_example():
    d = cal.deadlines_for(date(2026, 6, 30), cal.CalendarRules())
    assert d[cal.ROLL_DEADLINE] == date(2026, 6, 10)  # D-20
    assert d[cal.OBJECTIONS_CLOSED] == date(2026, 6, 15)
    assert d[cal.OBJECTIONS_ANSWERED] == date(2026, 6, 18)
    assert d[cal.CANDIDATES_DEADLINE] == date(2026, 6, 25)  # D-5
    assert d[cal.PROXIES_FILED] == date(2026, 6, 27)  # D-3
    assert d[cal.RUNOFF_DEADLINE] == date(2026, 7, 30)  # D+30
    assert d[cal.HANDOVER_DEADLINE] == date(2026, 7, 10)  # D+10


@given(days, rules())
def test_deadline_order_is_lawful(election_day, r):
    d = cal.deadlines_for(election_day, r)
    assert set(d) == set(cal.DEADLINE_ORDER)
    # The roll is published at least 20 days before D, and before the official candidate list.
    assert (election_day - d[cal.ROLL_DEADLINE]).days >= 20
    assert d[cal.ROLL_DEADLINE] < d[cal.CANDIDATES_DEADLINE] < election_day
    assert d[cal.ROLL_DEADLINE] < d[cal.OBJECTIONS_CLOSED] <= d[cal.OBJECTIONS_ANSWERED]
    assert 3 <= (election_day - d[cal.CANDIDATES_DEADLINE]).days <= 7
    assert d[cal.PROXIES_FILED] < election_day
    assert election_day <= d[cal.RUNOFF_DEADLINE] <= election_day + timedelta(days=30)
    assert election_day < d[cal.HANDOVER_DEADLINE] <= election_day + timedelta(days=10)


@given(days, st.integers(-400, 400), rules())
def test_moving_election_day_moves_every_deadline_by_the_same_amount(election_day, shift, r):
    before = cal.deadlines_for(election_day, r)
    after = cal.deadlines_for(election_day + timedelta(days=shift), r)
    assert all((after[key] - before[key]).days == shift for key in before)


@given(days, rules(), st.integers(0, 60))
def test_handover_counts_from_the_results(election_day, r, late):
    results_on = election_day + timedelta(days=late)
    d = cal.deadlines_for(election_day, r, results_on=results_on)
    assert d[cal.HANDOVER_DEADLINE] == results_on + timedelta(days=r.handover_days)


@given(st.sampled_from(cal.ALL_STAGES), days, rules())
def test_next_deadline_is_a_deadline_of_the_calendar(stage, election_day, r):
    d = cal.deadlines_for(election_day, r)
    key, due = cal.next_deadline(stage, d)
    if key is None:
        assert due is None
    else:
        assert due == d[key]
    assert cal.next_deadline(stage, {}) == (cal.STAGE_NEXT_DEADLINE[stage], None)


def test_stage_machine_is_connected_and_one_way():
    # Every stage is reachable from preparation, and the main line never goes back.
    seen, frontier = {cal.PREPARATION}, [cal.PREPARATION]
    while frontier:
        stage = frontier.pop()
        for nxt in cal.TRANSITIONS[stage]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert seen == set(cal.ALL_STAGES)
    for stage, targets in cal.TRANSITIONS.items():
        for target in targets:
            if stage in cal.STAGE_ORDER and target in cal.STAGE_ORDER:
                assert cal.STAGE_ORDER.index(target) > cal.STAGE_ORDER.index(stage)
    assert not cal.can_transition(cal.PREPARATION, cal.CANDIDATES_PUBLISHED)
    assert not cal.can_transition(cal.COMMITTEE_FORMED, cal.CANDIDATES_PUBLISHED)  # roll first


@given(st.sampled_from(cal.ALL_STAGES), days, rules(), st.integers(-60, 60))
def test_missed_deadlines_are_past_or_met_late(stage, election_day, r, offset):
    today = election_day + timedelta(days=offset)
    d = cal.deadlines_for(election_day, r)
    for key, due, met_on in cal.missed_deadlines(stage, d, today):
        assert met_on is None  # no reached dates given: only deadlines passed and not met
        assert due < today
        assert not cal.stage_reached(stage, cal.ACTION_DEADLINES[key])


def test_roll_published_late_after_election_day_moves_earlier():
    d = cal.deadlines_for(date(2026, 6, 20), cal.CalendarRules())
    missed = cal.missed_deadlines(
        cal.ROLL_PUBLISHED, d, date(2026, 5, 25), {cal.ROLL_PUBLISHED: date(2026, 6, 5)}
    )
    assert missed == [(cal.ROLL_DEADLINE, date(2026, 5, 31), date(2026, 6, 5))]


@given(st.dictionaries(st.sampled_from(list(cal.RULE_BOUNDS)), st.integers(-5, 60)))
def test_rule_errors_flags_exactly_the_out_of_bounds_numbers(values):
    errors = cal.rule_errors(values)
    for field, value in values.items():
        low, high = cal.RULE_BOUNDS[field]
        if not low <= value <= high:
            assert field in errors


def test_days_late():
    assert cal.days_late(None, date(2026, 1, 1)) == 0
    assert cal.days_late(date(2026, 1, 5), date(2026, 1, 1)) == 0
    assert cal.days_late(date(2026, 1, 1), date(2026, 1, 4)) == 3
