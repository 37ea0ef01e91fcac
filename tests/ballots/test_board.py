"""The live count board (唱票): ballots judged at once, running totals, take-back and correction, a double
submission saved once, closing into the box's agreed tally sheet — and the same results as the
double-entry tally path for the same ballots."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from ballots import counting
from ballots.choices import SheetStatus
from ballots.models import BoardBallot, LiveBoard, RoundResult, TallySheet
from ballots.services import board as board_services
from ballots.services.results import results_compute, round_totals
from tests.ballots.helpers import count_village, enter_twice, good_votes


@pytest.fixture
def village(county_user, regions):
    return count_village(county_user, regions)


def ids(village, *names):
    return [str(village.candidates[n].pk) for n in names]


def pile(village) -> list[dict]:
    """14 ballots whose count is exactly ``good_votes``: 13 valid, 1 blank."""
    ballots = []
    for i in range(13):
        members = []
        if i < 12:
            members.append("陈静")
        if i < 11:
            members.append("杨帆")
        if i < 8:
            members.append("黄磊")
        if 8 <= i <= 11:
            members.append("周敏")
        if i >= 11:
            members.append("吴刚")
        ballots.append(
            {
                "chair": ids(village, "张明" if i < 10 else "赵强"),
                "vice_chair": ids(village, "王芳" if i < 9 else "刘洋"),
                "member": ids(village, *members),
            }
        )
    return [{"marks": b} for b in ballots] + [{"is_blank": True}]


def enter(actor, board, ballots, prefix="t"):
    found = []
    for n, ballot in enumerate(ballots):
        found.append(
            board_services.board_ballot_add(actor=actor, board=board, token=f"{prefix}{n}", **ballot)[0]
        )
    return found


def comparable(totals: counting.RoundTotals):
    return (totals.voted, totals.issued, totals.returned, totals.invalid, dict(totals.votes))


def test_board_and_tally_path_give_the_same_totals_and_winners(village, township_user, village_clerk):
    board = board_services.board_open(actor=village_clerk, box=village.boxes[0])
    enter(village_clerk, board, pile(village))
    sheet = board_services.board_close(actor=village_clerk, board=board, voted=14, issued=14, confirm=True)
    assert sheet.status == SheetStatus.AGREED and sheet.votes == good_votes(village)
    assert (sheet.returned, sheet.invalid, sheet.post_void) == (14, 1, {})
    board_totals = round_totals(village.election, 1)
    board_result = results_compute(actor=township_user, election=village.election)
    board_elected = [(e["post"], e["name"]) for e in board_result.outcome["decision"]["elected"]]

    # The same ballots counted by hand on the paper sheet and entered twice.
    RoundResult.objects.all().delete()
    BoardBallot.objects.all().delete()
    LiveBoard.objects.all().delete()
    TallySheet.objects.all().delete()
    enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    tally_totals = round_totals(village.election, 1)
    tally_result = results_compute(actor=township_user, election=village.election)
    assert board_totals == tally_totals
    assert board_elected == [(e["post"], e["name"]) for e in tally_result.outcome["decision"]["elected"]]
    assert {name for _post, name in board_elected} == {"张明", "王芳", "陈静", "杨帆", "黄磊"}


def test_over_voted_post_is_void_at_once_with_the_reason(village, village_clerk, township_user):
    board = board_services.board_open(actor=village_clerk, box=village.boxes[0])
    ballots = pile(village)
    over = {"marks": {"chair": ids(village, "张明", "赵强"), "member": ids(village, "陈静")}}
    (ballot,) = enter(village_clerk, board, [over], prefix="over")
    assert ballot.verdict["valid"] and ballot.verdict["void_posts"] == ["chair"]
    assert "该职务作废" in ballot.verdict["reasons"][0]["zh"]
    board.refresh_from_db()
    assert board.post_void == {"chair": 1} and board.votes == {village.key("陈静"): 1}
    enter(village_clerk, board, ballots)
    board_services.board_close(actor=village_clerk, board=board, voted=15, issued=15, confirm=True)
    totals = round_totals(village.election, 1)
    papers = [
        board_services.ballot_input(b.get("marks", {}), {}, b.get("is_blank", False), False)
        for b in [over, *ballots]
    ]
    setup = board_services.board_setup(village.election)
    # The stored sheet gives exactly what the pure counting rules give for the same papers.
    assert totals == counting.count_ballots(
        papers, setup.posts, setup.rules, registered=totals.registered, voted=15, issued=15
    )
    assert totals.valid_for("chair") == 13 and totals.valid_for("member") == 14
    result = results_compute(actor=township_user, election=village.election)
    assert result.totals["post_void"] == {"chair": 1}
    assert "张明" in [e["name"] for e in result.outcome["decision"]["elected"]]


def test_double_submission_is_saved_once_and_two_clerks_number_in_turn(village, village_clerk, township_user):
    board = board_services.board_open(actor=village_clerk, box=village.boxes[0])
    ballot = {"marks": {"chair": ids(village, "张明")}}
    first, created = board_services.board_ballot_add(actor=village_clerk, board=board, token="same", **ballot)
    again, created_again = board_services.board_ballot_add(
        actor=village_clerk, board=board, token="same", **ballot
    )
    assert created and not created_again and again.pk == first.pk
    other, _ = board_services.board_ballot_add(actor=township_user, board=board, token="other", **ballot)
    board.refresh_from_db()
    assert [first.sequence, other.sequence] == [1, 2]
    assert board.returned == 2 and board.votes == {village.key("张明"): 2}


def test_take_back_and_correct(village, village_clerk):
    board = board_services.board_open(actor=village_clerk, box=village.boxes[0])
    wrong, second = enter(
        village_clerk, board, [{"marks": {"chair": ids(village, "赵强")}}, {"is_blank": True}]
    )
    board_services.board_ballot_withdraw(actor=village_clerk, ballot=second)
    board.refresh_from_db()
    assert (board.returned, board.invalid) == (1, 0)
    with pytest.raises(ValidationError, match="already taken back"):
        board_services.board_ballot_withdraw(actor=village_clerk, ballot=second)
    fixed = board_services.board_ballot_correct(
        actor=village_clerk, ballot=wrong, token="fix", marks={"chair": ids(village, "张明")}
    )
    board.refresh_from_db()
    assert fixed.replaces_id == wrong.pk and fixed.sequence == 3
    assert board.returned == 1 and board.votes == {village.key("张明"): 1}
    assert AuditEvent.objects.filter(event_type="board.ballot_withdrawn").count() == 2
    assert AuditEvent.objects.filter(event_type="board.opened").count() == 1
    # Recounting the stored ballots from scratch gives the running totals.
    count = board_services.board_recount(board)
    assert board_services.board_figures(count) == (board.votes, board.post_void)


def test_bad_input_is_refused_and_nothing_saved(village, village_clerk):
    board = board_services.board_open(actor=village_clerk, box=village.boxes[0])
    setup = board_services.board_setup(village.election)
    with pytest.raises(ValidationError) as error:
        board_services.parse_marks(setup, {"chair": "1 7"})
    assert "7" in str(error.value)
    with pytest.raises(ValidationError, match="blank or unreadable"):
        board_services.board_ballot_add(
            actor=village_clerk, board=board, token="x", is_blank=True, marks={"chair": ids(village, "张明")}
        )
    with pytest.raises(ValidationError, match="Not a candidate"):
        board_services.board_ballot_add(
            actor=village_clerk, board=board, token="y", marks={"chair": ["999999"]}
        )
    assert not BoardBallot.objects.exists()


def test_close_checks_the_figures_and_then_freezes_the_board(village, village_clerk, township_user):
    board = board_services.board_open(actor=village_clerk, box=village.boxes[0])
    enter(village_clerk, board, pile(village))
    with pytest.raises(ValidationError) as error:
        board_services.board_close(actor=village_clerk, board=board, voted=None, issued=14, confirm=True)
    assert "voted" in error.value.message_dict
    with pytest.raises(ValidationError, match="only 10 issued"):
        board_services.board_close(actor=village_clerk, board=board, voted=14, issued=10, confirm=True)
    with pytest.raises(ValidationError, match="Confirm"):
        board_services.board_close(actor=village_clerk, board=board, voted=14, issued=14)
    assert not TallySheet.objects.exists()
    board_services.board_close(actor=village_clerk, board=board, voted=14, issued=14, confirm=True)
    event = AuditEvent.objects.get(event_type="board.closed")
    assert event.after["returned"] == 14 and event.after["invalid"] == 1
    with pytest.raises(ValidationError, match="closed"):
        board_services.board_ballot_add(actor=village_clerk, board=board, token="late", is_blank=True)


def test_a_box_entered_on_paper_is_not_counted_again_on_the_board(village, village_clerk, township_user):
    enter_twice(township_user, village_clerk, village.boxes[0], votes=good_votes(village))
    with pytest.raises(ValidationError, match="already being entered"):
        board_services.board_open(actor=village_clerk, box=village.boxes[0])


def test_scope_and_roles(village, village_clerk, neighbour_township_user, city_user):
    with pytest.raises(PermissionDenied):
        board_services.board_open(actor=neighbour_township_user, box=village.boxes[0])
    with pytest.raises(PermissionDenied):
        board_services.board_open(actor=city_user, box=village.boxes[0])
    board = board_services.board_open(actor=village_clerk, box=village.boxes[0])
    with pytest.raises(PermissionDenied):
        board_services.board_ballot_add(actor=neighbour_township_user, board=board, token="n", is_blank=True)


def test_runoff_counted_on_the_board(village, township_user, village_clerk):
    from ballots.choices import RUNOFF_ROUND
    from ballots.services.results import results_certify
    from election_admin.choices_cycles import Stage

    votes = good_votes(village)
    votes[village.key("黄磊")] = 5  # not more than half of 14: one member seat left
    enter_twice(township_user, village_clerk, village.boxes[0], votes=votes)
    election = village.election
    first = results_compute(actor=township_user, election=election)
    results_certify(actor=township_user, result=first, confirmed=True, today=election.election_day)
    election.refresh_from_db()
    assert election.stage == Stage.RUNOFF

    board = board_services.board_open(actor=village_clerk, box=village.boxes[0], round_number=RUNOFF_ROUND)
    setup = board_services.board_setup(election, RUNOFF_ROUND)
    assert setup.seats == {"member": 1}  # only the seat left, the run-off list numbered 1, 2 …
    pool = {p["post"]: p["pool"] for p in first.outcome["plan"]["seats"]}["member"]
    assert [line.person for line in setup.lines] == pool
    huang = next(line.number for line in setup.lines if line.name == "黄磊")
    zhou = next(line.number for line in setup.lines if line.name == "周敏")
    for n, number in enumerate([huang] * 9 + [zhou] * 4):
        marks = board_services.parse_marks(setup, {"member": str(number)})
        board_services.board_ballot_add(actor=village_clerk, board=board, token=f"r{n}", marks=marks)
    over = board_services.parse_marks(setup, {"member": f"{huang} {zhou}"})
    board_services.board_ballot_add(actor=village_clerk, board=board, token="over", marks=over)
    sheet = board_services.board_close(actor=village_clerk, board=board, voted=14, issued=14, confirm=True)
    assert sheet.round_number == RUNOFF_ROUND and sheet.post_void == {"member": 1}
    runoff = results_compute(
        actor=township_user, election=election, round_number=RUNOFF_ROUND, runoff_day=election.election_day
    )
    assert [e["name"] for e in runoff.outcome["decision"]["elected"]] == ["黄磊"]


def test_a_box_on_the_board_is_not_entered_on_paper(village, village_clerk, township_user):
    from ballots.services.tally import tally_entry_save
    from tests.ballots.helpers import FIGURES

    board_services.board_open(actor=village_clerk, box=village.boxes[0])
    with pytest.raises(ValidationError, match="live count board"):
        tally_entry_save(
            actor=township_user, box=village.boxes[0], figures=FIGURES, votes=good_votes(village)
        )
    assert not TallySheet.objects.exists()


def test_whole_ballot_void_when_the_rule_set_says_so(village, village_clerk, regions):
    from datetime import date

    from election_admin.choices import Role
    from election_admin.models import Cycle
    from election_admin.services.rulesets import ruleset_revise
    from tests.factories import UserFactory

    bureau = UserFactory(username="qinghai", role=Role.PROVINCE_BUREAU, region=regions["63"])
    national = village.election.cycle.rule_set
    version = ruleset_revise(
        actor=bureau,
        rule_set=national,
        effective_on=date(2026, 1, 1),
        values={"overvote_voids": "ballot"},
        citations={},
    )
    Cycle.objects.filter(pk=village.election.cycle_id).update(rule_set=version)
    board = board_services.board_open(actor=village_clerk, box=village.boxes[0])
    over = {"marks": {"chair": ids(village, "张明", "赵强"), "member": ids(village, "陈静")}}
    (ballot,) = enter(village_clerk, board, [over])
    assert not ballot.verdict["valid"] and ballot.verdict["reasons"][0]["code"] == "B4"
    assert "整张选票作废" in ballot.verdict["reasons"][0]["zh"]
    board.refresh_from_db()
    assert (board.returned, board.invalid, board.votes, board.post_void) == (1, 1, {}, {})
