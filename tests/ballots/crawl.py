"""Out-of-area objects of the ballots app for tests/test_crawl.py: a box, sheet and result in 湟源县."""

from tests.cycle_helpers import huangyuan_objects


def huangyuan_ballot_objects(canaries) -> dict:
    if "hy_box" not in canaries:
        from ballots.models import BallotBox, RoundResult, TallySheet, Venue
        from election_admin.models import User

        election = huangyuan_objects(canaries)["election"]
        bureau = User.objects.get(username="canary-huangyuan-bureau")
        venue = Venue.objects.create(election=election, kind="assembly", name="CANARY-HUANGYUAN 会场")
        box = BallotBox.objects.create(
            election=election, venue=venue, label="CANARY-HUANGYUAN", created_by=bureau
        )
        sheet = TallySheet.objects.create(election=election, box=box)
        result = RoundResult.objects.create(election=election, computed_by=bureau)
        canaries.update(hy_box=box, hy_sheet=sheet, hy_result=result)
    if "hy_board" not in canaries:
        from ballots.models import BoardBallot, LiveBoard

        box = canaries["hy_box"]
        board = LiveBoard.objects.create(election=box.election, box=box, opened_by=box.created_by)
        ballot = BoardBallot.objects.create(
            board=board, sequence=1, token="canary", is_blank=True, entered_by=box.created_by
        )
        canaries.update(hy_board=board, hy_board_ballot=ballot)
    if "hy_mobile_voter" not in canaries:
        from ballots.models import BallotBox, MobileBoxVoter
        from tests.voter_helpers import huangyuan_voter_objects

        voter = huangyuan_voter_objects(canaries)["hy_voter"]
        box = canaries["hy_box"]
        mobile = BallotBox.objects.create(
            election=box.election,
            venue=box.venue,
            label="CANARY-HUANGYUAN 流动",
            kind="mobile",
            created_by=box.created_by,
        )
        item = MobileBoxVoter.objects.create(
            election=box.election, box=mobile, voter=voter, reason="CANARY", added_by=box.created_by
        )
        canaries.update(hy_mobile_box=mobile, hy_mobile_voter=item)
    return canaries


BALLOTS_OUT_OF_AREA = {
    ("ballots_election_day", "election_id"): lambda c: huangyuan_objects(c)["election"].pk,
    ("ballots_staff_add", "election_id"): lambda c: huangyuan_objects(c)["election"].pk,
    ("ballots_proxy_add", "election_id"): lambda c: huangyuan_objects(c)["election"].pk,
    ("ballots_tally_report", "election_id"): lambda c: huangyuan_objects(c)["election"].pk,
    ("ballots_results", "election_id"): lambda c: huangyuan_objects(c)["election"].pk,
    ("ballots_results_compute", "election_id"): lambda c: huangyuan_objects(c)["election"].pk,
    ("ballots_tally_entry", "box_id"): lambda c: huangyuan_ballot_objects(c)["hy_box"].pk,
    ("ballots_tally_compare", "sheet_id"): lambda c: huangyuan_ballot_objects(c)["hy_sheet"].pk,
    ("ballots_results_certify", "result_id"): lambda c: huangyuan_ballot_objects(c)["hy_result"].pk,
    ("ballots_certificates", "result_id"): lambda c: huangyuan_ballot_objects(c)["hy_result"].pk,
    # the live count board (唱票) and the tie re-vote
    ("ballots_board_box", "box_id"): lambda c: huangyuan_ballot_objects(c)["hy_box"].pk,
    ("ballots_board", "board_id"): lambda c: huangyuan_ballot_objects(c)["hy_board"].pk,
    ("ballots_board_close", "board_id"): lambda c: huangyuan_ballot_objects(c)["hy_board"].pk,
    ("ballots_board_projector", "board_id"): lambda c: huangyuan_ballot_objects(c)["hy_board"].pk,
    ("ballots_board_projector_totals", "board_id"): lambda c: huangyuan_ballot_objects(c)["hy_board"].pk,
    ("ballots_board_withdraw", "ballot_id"): lambda c: huangyuan_ballot_objects(c)["hy_board_ballot"].pk,
    ("ballots_board_correct", "ballot_id"): lambda c: huangyuan_ballot_objects(c)["hy_board_ballot"].pk,
    ("ballots_tie_revote", "result_id"): lambda c: huangyuan_ballot_objects(c)["hy_result"].pk,
    ("ballots_tie_revote", "index"): 0,
    # area documents: 湟源县's cycle (the area code is the crawl's generic out-of-area 630123100)
    ("ballots_area_documents", "cycle_id"): lambda c: huangyuan_objects(c)["cycle"].pk,
    ("ballots_area_summary", "cycle_id"): lambda c: huangyuan_objects(c)["cycle"].pk,
    ("ballots_area_notices", "cycle_id"): lambda c: huangyuan_objects(c)["cycle"].pk,
    ("ballots_result_notice", "result_id"): lambda c: huangyuan_ballot_objects(c)["hy_result"].pk,
    # election-day lists: a mobile box of 湟源县 with a voter on it, and its proxies
    ("ballots_mobile_box_voters", "box_id"): lambda c: huangyuan_ballot_objects(c)["hy_mobile_box"].pk,
    ("ballots_mobile_box_publish", "box_id"): lambda c: huangyuan_ballot_objects(c)["hy_mobile_box"].pk,
    ("ballots_mobile_box_voter_remove", "item_id"): (
        lambda c: huangyuan_ballot_objects(c)["hy_mobile_voter"].pk
    ),
    ("ballots_proxies_publish", "election_id"): lambda c: huangyuan_objects(c)["election"].pk,
    # the printable ballot paper and count sheet
    ("ballots_ballot_paper", "election_id"): lambda c: huangyuan_objects(c)["election"].pk,
    ("ballots_count_sheet", "box_id"): lambda c: huangyuan_ballot_objects(c)["hy_box"].pk,
}
