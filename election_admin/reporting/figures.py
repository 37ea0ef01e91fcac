"""The headline figures of a region and cycle as one flat, JSON-serialisable dict — the contract other apps
(逐级上报, the returns up the hierarchy) snapshot. Keys are stable; values are ``int``, ``float`` (one
decimal, rounded half-up as reports do) or ``None`` (no data: nothing held yet, no previous term…).

Keys
----
``round.<group>.<figure>`` — the round, ``<group>`` one of
    ``committee`` (villagers' or residents' committees, 村(居)委会), ``party_branch`` (党组织),
    ``supervision`` (村(居)务监督委员会);
    ``<figure>`` one of ``due``, ``held``, ``elected``, ``elected_pct``, ``on_time``, ``on_time_pct``
    (of due), ``first_round_success``, ``first_round_success_pct`` (of held), ``runoff``, ``rerun``,
    ``failed``, ``registered``, ``voted``, ``turnout_pct``, ``proxy_voters``, ``mobile_box_voters``,
    ``ballot_writer_voters``, ``boxes``, ``mobile_boxes``, ``booths``, ``polling_stations``.

``members.<group>.<figure>`` — the people elected, ``<group>`` one of
    ``both`` (both committees together, a person on both counted once), ``committee``,
    ``party_branch``, ``supervision``, ``chairs`` (村(居)委会主任), ``secretaries`` (党组织书记);
    ``<figure>`` one of ``count``, ``women``, ``women_pct``, ``party``, ``party_pct``, ``minority``,
    ``minority_pct``, ``avg_age``, ``age_35_under``, ``age_35_under_pct``, ``age_36_45``,
    ``age_36_45_pct``, ``age_46_55``, ``age_46_55_pct``, ``age_56_over``, ``age_56_over_pct``,
    ``edu_below_senior``, ``edu_senior``, ``edu_college``, ``edu_bachelor_plus``,
    ``edu_bachelor_plus_pct``, ``re_elected``, ``re_elected_pct``, ``first_time``, ``first_time_pct``
    (of the people compared with the previous term; None without a previous list), ``cross_serving``
    (交叉任职, people on both committees), ``cross_serving_pct``, ``dual_role_villages`` (一肩挑),
    ``dual_role_pct`` (of villages with a chair elected).

``previous.members.<group>.<figure>`` — the same figures for the previous term (None when absent).

``change.members.<group>.<figure>`` — for ``avg_age`` (years) and every ``*_pct`` (percentage points):
    current minus previous published figure, one decimal; None without a previous term.

Definitions of every figure: docs/statistics.md.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import selectors

ROUND_KEYS = (
    "due",
    "held",
    "elected",
    "elected_pct",
    "on_time",
    "on_time_pct",
    "first_round_success",
    "first_round_success_pct",
    "runoff",
    "rerun",
    "failed",
    "registered",
    "voted",
    "turnout_pct",
    "proxy_voters",
    "mobile_box_voters",
    "ballot_writer_voters",
    "boxes",
    "mobile_boxes",
    "booths",
    "polling_stations",
)
MEMBER_KEYS = (
    "count",
    "women",
    "women_pct",
    "party",
    "party_pct",
    "minority",
    "minority_pct",
    "avg_age",
    "age_35_under",
    "age_35_under_pct",
    "age_36_45",
    "age_36_45_pct",
    "age_46_55",
    "age_46_55_pct",
    "age_56_over",
    "age_56_over_pct",
    "edu_below_senior",
    "edu_senior",
    "edu_college",
    "edu_bachelor_plus",
    "edu_bachelor_plus_pct",
    "re_elected",
    "re_elected_pct",
    "first_time",
    "first_time_pct",
    "cross_serving",
    "cross_serving_pct",
    "dual_role_villages",
    "dual_role_pct",
)
ROUND_GROUPS = ("committee", "party_branch", "supervision")
MEMBER_GROUPS = ("both", "committee", "party_branch", "supervision", "chairs", "secretaries")

GROUP_LABELS = {
    "committee": _("Villagers' and residents' committees"),
    "party_branch": _("Party organisations"),
    "supervision": _("Supervision committees"),
    "both": _("Both committees together"),
    "chairs": _("Committee chairs"),
    "secretaries": _("Party secretaries"),
}
FIGURE_LABELS = {
    "due": _("Elections due"),
    "held": _("Elections held"),
    "elected": _("Elected (results certified)"),
    "elected_pct": _("Elected, % of due"),
    "on_time": _("Re-elected on time"),
    "on_time_pct": _("On-time rate, %"),
    "first_round_success": _("Filled in the first round"),
    "first_round_success_pct": _("First-round success rate, %"),
    "runoff": _("Went to a run-off"),
    "rerun": _("Re-run"),
    "failed": _("Failed (void)"),
    "registered": _("Registered voters"),
    "voted": _("Voters who voted"),
    "turnout_pct": _("Turnout, %"),
    "proxy_voters": _("Voters by proxy"),
    "mobile_box_voters": _("Voters at mobile boxes"),
    "ballot_writer_voters": _("Voters helped by a ballot writer"),
    "boxes": _("Ballot boxes"),
    "mobile_boxes": _("Mobile ballot boxes"),
    "booths": _("Secret-ballot booths"),
    "polling_stations": _("Polling stations"),
    "count": _("People elected"),
    "women": _("Women"),
    "women_pct": _("Women, %"),
    "party": _("Party members"),
    "party_pct": _("Party members, %"),
    "minority": _("Ethnic minorities"),
    "minority_pct": _("Ethnic minorities, %"),
    "avg_age": _("Average age"),
    "age_35_under": _("Aged 35 or younger"),
    "age_35_under_pct": _("Aged 35 or younger, %"),
    "age_36_45": _("Aged 36–45"),
    "age_36_45_pct": _("Aged 36–45, %"),
    "age_46_55": _("Aged 46–55"),
    "age_46_55_pct": _("Aged 46–55, %"),
    "age_56_over": _("Aged 56 or over"),
    "age_56_over_pct": _("Aged 56 or over, %"),
    "edu_below_senior": _("Junior secondary or below"),
    "edu_senior": _("Senior secondary or technical school"),
    "edu_college": _("Junior college"),
    "edu_bachelor_plus": _("Bachelor's degree or above"),
    "edu_bachelor_plus_pct": _("Bachelor's degree or above, %"),
    "re_elected": _("Re-elected"),
    "re_elected_pct": _("Re-elected, %"),
    "first_time": _("Elected for the first time"),
    "first_time_pct": _("Elected for the first time, %"),
    "cross_serving": _("On both committees (交叉任职)"),
    "cross_serving_pct": _("On both committees, %"),
    "dual_role_villages": _("Secretary also chair (一肩挑), villages"),
    "dual_role_pct": _("Secretary also chair (一肩挑), %"),
}


def _is_change_key(figure: str) -> bool:
    return figure == "avg_age" or figure.endswith("_pct")


def return_figures(region, cycle) -> dict:
    """Every headline figure of ``region`` (a Region, or None for the cycle's whole area) in ``cycle``,
    flat and JSON-serialisable; keys as in the module docstring. The caller scopes: pass only a region
    the user may see."""
    out: dict = {}
    rounds = selectors.round_statistics(region, cycle)
    for group in ROUND_GROUPS:
        for figure in ROUND_KEYS:
            out[f"round.{group}.{figure}"] = rounds[group].get(figure)
    current = selectors.member_statistics(region, cycle)
    has_previous = selectors.has_previous(region, cycle)
    previous = selectors.member_statistics(region, cycle, previous=True) if has_previous else {}
    changes = selectors.member_comparison(current, previous) if has_previous else {}
    for group in MEMBER_GROUPS:
        for figure in MEMBER_KEYS:
            out[f"members.{group}.{figure}"] = current[group].get(figure)
            out[f"previous.members.{group}.{figure}"] = previous.get(group, {}).get(figure)
            if _is_change_key(figure):
                out[f"change.members.{group}.{figure}"] = changes.get(group, {}).get(figure)
    return out


def figure_labels() -> dict:
    """{key: translated label} for every key ``return_figures`` returns (in the active language)."""
    labels: dict = {}
    for group in ROUND_GROUPS:
        for figure in ROUND_KEYS:
            labels[f"round.{group}.{figure}"] = f"{GROUP_LABELS[group]} · {FIGURE_LABELS[figure]}"
    previous, change = _("previous term"), _("change")
    for group in MEMBER_GROUPS:
        for figure in MEMBER_KEYS:
            label = f"{GROUP_LABELS[group]} · {FIGURE_LABELS[figure]}"
            labels[f"members.{group}.{figure}"] = label
            labels[f"previous.members.{group}.{figure}"] = f"{label} ({previous})"
            if _is_change_key(figure):
                labels[f"change.members.{group}.{figure}"] = f"{label} ({change})"
    return labels
