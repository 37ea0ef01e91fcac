"""The catalogue of audit event types: every event written must have a type listed here.

Codes are stable identifiers stored in the log; labels are what the audit page shows.
Later apps add their events here (the catalogue is below every app and imports none).
"""

from django.utils.translation import gettext_lazy as _

EVENT_TYPES: dict[str, str] = {
    # accounts
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Failed sign-in"),
    "auth.logout": _("Signed out"),
    "auth.password_changed": _("Password changed"),
    "auth.two_factor_enabled": _("Two-factor sign-in turned on"),
    "auth.two_factor_disabled": _("Two-factor sign-in turned off"),
    "staff.created": _("Staff account created"),
    "staff.updated": _("Staff account changed"),
    "staff.deactivated": _("Staff account deactivated"),
    "staff.reactivated": _("Staff account reactivated"),
    "staff.password_reset": _("Staff password reset"),
    # regions
    "region.loaded": _("Regions loaded"),
    # documents
    "document.generated": _("Document generated"),
    "document.downloaded": _("Document downloaded"),
    # personal data
    "pii.revealed": _("Personal data shown in full"),
    # the log itself
    "audit.verified": _("Audit chain verified"),
    # election cycles (rule sets, cycles, elections, stages)
    "ruleset.revised": _("Rule set revised"),
    "cycle.opened": _("Election cycle opened"),
    "cycle.populated": _("Elections of a cycle created"),
    "cycle.closed": _("Election cycle closed"),
    "election.day_set": _("Election day set"),
    "election.updated": _("Election seats or risk class changed"),
    "election.stage_advanced": _("Election stage advanced"),
    "election.deadline_exception": _("Deadline missed, exception recorded"),
    "election.results_recorded": _("Election results recorded"),
    "committee.member_added": _("Election committee member added"),
    "committee.member_left": _("Election committee member left"),
    "progress.exported": _("Progress table exported"),
    # voter rolls
    "voter.registered": _("Voter registered"),
    "voter.updated": _("Voter details changed"),
    "voter.struck": _("Voter struck off the roll"),
    "voter.restored": _("Voter restored to the roll"),
    "roll.imported": _("Voter roll imported"),
    "roll.carried_over": _("Voter roll carried over from the last cycle"),
    "roll.published": _("Voter roll published"),
    "roll.supplement_published": _("Supplementary voter list published"),
    "roll.corrected": _("Published voter roll corrected"),
    "roll.exported": _("Voter roll exported"),
    "roll.cards_printed": _("Voter cards printed"),
    "objection.filed": _("Objection to the roll filed"),
    "objection.decided": _("Objection to the roll decided"),
    # candidates (nomination, review, joint review, the official list)
    "committee.member_identified": _("Election committee member's ID recorded"),
    "committee.member_stepped_in": _("Reserve stepped into the election committee"),
    "committee.member_recused": _("Election committee member recused for a candidate"),
    "nomination.round_recorded": _("Nomination round recorded"),
    "nomination.recorded": _("Nomination recorded"),
    "nomination.confirmed": _("Nomination confirmed by the nominee"),
    "nomination.declined": _("Nomination declined"),
    "candidate.updated": _("Candidate details changed"),
    "candidate.reviewed": _("Candidate qualification reviewed"),
    "candidate.relation_declared": _("Close relation of a candidate declared"),
    "candidate.withdrawn": _("Candidate withdrew"),
    "joint_review.opened": _("Joint review opened"),
    "joint_review.verdict": _("Joint review verdict entered"),
    "joint_review.closed": _("Joint review closed"),
    "candidate_list.published": _("Official candidate list published"),
    "candidate_list.changed": _("Official candidate list changed after a withdrawal"),
    # supervision of the round (responsibility, visits, complaints, reports, handover, targets)
    "supervision.assignment_set": _("Responsible leader assigned"),
    "supervision.assignment_removed": _("Responsible leader removed"),
    "supervision.visit_recorded": _("Supervision visit recorded"),
    "supervision.visit_followed_up": _("Follow-up of a supervision visit done"),
    "supervision.settings_changed": _("Supervision settings of a cycle changed"),
    "complaint.received": _("Complaint received"),
    "complaint.assigned": _("Complaint assigned"),
    "complaint.answered": _("Complaint answered"),
    "weekly_report.made": _("Weekly progress report made"),
    "handover.recorded": _("Handover or departure audit recorded"),
    "handover.outgoing_members_set": _("Outgoing committee members recorded"),
    "targets.set": _("Composition targets set"),
    "reserve.added": _("Reserve added to the pool"),
    "reserve.removed": _("Reserve removed from the pool"),
    # election day and the count (ballots)
    "venue.created": _("Voting venue created"),
    "ballot_box.created": _("Ballot box created"),
    "count_staff.added": _("Count staff added"),
    "proxy.filed": _("Proxy vote filed"),
    "proxies.published": _("Proxy vote list published"),
    "mobile_box.voter_added": _("Voter put on a mobile ballot box's list"),
    "mobile_box.voter_removed": _("Voter taken off a mobile ballot box's list"),
    "mobile_box.published": _("Mobile ballot box voter list published"),
    "tally.entered": _("Tally sheet entered"),
    "tally.resolved": _("Tally sheet difference resolved"),
    "tally_report.made": _("Tally report made"),
    "results.computed": _("Results computed"),
    "results.certified": _("Results certified"),
    "results.corrected": _("Certified results corrected"),
    "results.notice_requested": _("Result notice requested again"),
    "area_documents.summary_made": _("Summary workbook of an area made"),
    "area_documents.notices_batched": _("Result notices of an area made into one file"),
    # returns up the hierarchy (逐级上报)
    "return.submitted": _("Return submitted"),
    "return.resubmitted": _("Return re-submitted"),
    "return.sent_back": _("Return sent back"),
    "return.accepted": _("Return accepted"),
    "return.due_dates_set": _("Due dates of the returns set"),
    "board.opened": _("Live count board opened"),
    "board.ballot_withdrawn": _("Ballot taken back on the live count board"),
    "board.closed": _("Live count board closed into the tally sheet"),
    "tie.revote_recorded": _("Tie re-vote recorded"),
    # statistics of the round (people elected, party posts, previous term)
    "statistics.members_recorded": _("People elected recorded for the statistics"),
    "statistics.party_posts_set": _("Party posts of a branch recorded"),
    "statistics.day_figures_set": _("Ballot writers and booths recorded"),
    "statistics.previous_imported": _("People elected in the previous term imported"),
}


def event_label(event_type: str) -> str:
    return str(EVENT_TYPES.get(event_type, event_type))
