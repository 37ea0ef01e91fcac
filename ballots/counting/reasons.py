"""Why each counting decision was taken: numbered codes with English and Chinese text, as data.

Every check and decision of the counting rules returns ``Reason`` values (code, severity, the rule's
source, both texts and the figures they were made from), so a results page can show why without
recomputing anything. Texts are plain data here (no gettext: this module imports no Django); the
interface picks the language. Codes are stable: tests and pages may rely on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .rules import POST_NAMES

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True, slots=True)
class Message:
    severity: str
    source: str
    en: str
    zh: str


# code -> (severity, source, English template, Chinese template). Templates use the figures by name;
# ``post`` adds ``{post_en}`` / ``{post_zh}``; whole numbers print with thousands separators.
MESSAGES: dict[str, Message] = {
    # --- The round as a whole (check_round) ---
    "E1": Message(
        ERROR,
        "VCOL §15",
        "{voted} of {registered} registered voters voted, not more than half (at least {needed} needed): "
        "the election is invalid and must be re-run.",
        "参加投票的选民{voted}人，未超过登记参加选举的选民{registered}人的半数（至少需{needed}人），选举无效，应重新选举。",
    ),
    "E2": Message(
        ERROR,
        "{source}",
        "{returned} ballots returned, more than {limit} {limit_en}: the round is void and must be re-run.",
        "收回选票{returned}张，多于{limit_zh}{limit}，本次选举无效，应重新选举。",
    ),
    "E3": Message(
        ERROR,
        "domain.md §6",
        "{post_en}: {votes} votes recorded, more than {ballots} ballots valid for the post × {seats} seat(s) "
        "= {limit}: the figures do not add up; check the tally.",
        "{post_zh}：得票合计{votes}票，多于该职务有效选票{ballots}张×应选{seats}名＝{limit}票，数字不符，请核对计票单。",
    ),
    "E4": Message(
        ERROR,
        "domain.md §6",
        "{post_en}: {name} has {votes} votes, more than the {ballots} ballots valid for the post: check the tally.",
        "{post_zh}：{name}得{votes}票，多于该职务有效选票{ballots}张，请核对计票单。",
    ),
    "E5": Message(
        ERROR,
        "domain.md §6",
        "{invalid} invalid ballots, more than the {returned} ballots returned: check the tally.",
        "无效票{invalid}张，多于收回选票{returned}张，请核对计票单。",
    ),
    "E6": Message(
        ERROR,
        "domain.md §6",
        "{voted} voters voted, more than the {registered} registered: check the figures.",
        "参加投票{voted}人，多于登记选民{registered}人，请核对。",
    ),
    "E7": Message(
        ERROR,
        "domain.md §6",
        "{post_en}: {void} ballots void for the post, more than the {valid} valid ballots: check the tally.",
        "{post_zh}：该职务作废选票{void}张，多于有效选票{valid}张，请核对计票单。",
    ),
    "P1": Message(
        ERROR,
        "CPC",
        "{present} of {due} members due are present, not more than 4/5 (at least {needed} needed): "
        "the election cannot be held.",
        "实到会有选举权的党员{present}人，未超过应到会{due}人的五分之四（至少需{needed}人），不得进行选举。",
    ),
    "P2": Message(
        ERROR,
        "domain.md §5",
        "{proxy_voted} votes by proxy recorded: party elections allow no proxies.",
        "记录了委托投票{proxy_voted}人：党组织选举不得委托投票。",
    ),
    "P3": Message(
        INFO,
        "CPC",
        "{present} of {due} members due are present, more than 4/5: the election may be held.",
        "实到会有选举权的党员{present}人，超过应到会{due}人的五分之四，可以进行选举。",
    ),
    "P4": Message(
        INFO,
        "CPC",
        "The secretary and deputy secretary are elected by the new committee and approved by the level above.",
        "书记、副书记由新一届委员会选举产生，报上级党组织批准。",
    ),
    "I1": Message(
        INFO,
        "VCOL §15",
        "{voted} of {registered} registered voters voted, more than half: the election is valid.",
        "登记参加选举的选民{registered}人，参加投票的选民{voted}人，超过半数，选举有效。",
    ),
    "I2": Message(
        INFO,
        "{source}",
        "{returned} ballots returned, not more than {limit} {limit_en}: the round is valid.",
        "收回选票{returned}张，未超过{limit_zh}{limit}，选举有效。",
    ),
    "I3": Message(
        INFO,
        "domain.md §6",
        "{returned} ballots returned from {voted} voters who voted: {missing} not returned.",
        "参加投票{voted}人，收回选票{returned}张，{missing}张未收回。",
    ),
    "W1": Message(
        WARNING,
        "product check",
        "{invalid} invalid ballots of {returned} returned, more than {percent}%: check the tally.",
        "无效票{invalid}张，占收回选票{returned}张的{percent}%以上，请复核。",
    ),
    "W2": Message(
        WARNING,
        "domain.md §6",
        "{returned} ballots returned, more than the {issued} issued: check the ballots.",
        "收回选票{returned}张，多于发出选票{issued}张，请核查。",
    ),
    "W3": Message(
        WARNING,
        "domain.md §6",
        "{issued} ballots issued to {voted} voters who voted: check the desk records.",
        "参加投票{voted}人，仅发出选票{issued}张，请核对发票记录。",
    ),
    "W4": Message(
        WARNING,
        "domain.md §1",
        "{seats} seats, outside the committee size {size_min}–{size_max} of the rule set.",
        "应选{seats}名，不在选举办法规定的{size_min}至{size_max}名之内。",
    ),
    # --- One ballot (examine_ballot, the live count board) ---
    "B1": Message(
        INFO, "domain.md §6", "Blank ballot: returned but invalid.", "空白票：计入收回选票，为无效票。"
    ),
    "B2": Message(
        INFO,
        "BJ §28",
        "Unreadable ballot (decided by the committee): void but counted in ballots cast.",
        "无法辨认的选票（经选举委员会认定）：作废，计入收回选票。",
    ),
    "B3": Message(
        INFO,
        "domain.md §6",
        "{post_en}: {marks} names for {seats} seat(s): void for this post.",
        "{post_zh}：所选{marks}人，多于应选{seats}名，该职务作废。",
    ),
    "B4": Message(
        INFO,
        "domain.md §6",
        "{post_en}: {marks} names for {seats} seat(s): the whole ballot is void.",
        "{post_zh}：所选{marks}人，多于应选{seats}名，整张选票作废。",
    ),
    "B5": Message(
        INFO,
        "ZJ",
        "{name} marked for {posts_en}: counted for the higher post only.",
        "{name}被同时选为{posts_zh}：只计较高职务。",
    ),
    "B6": Message(
        INFO,
        "ZJ",
        "{name} marked for {posts_en}: those marks are void.",
        "{name}被同时选为{posts_zh}：其所得各票作废。",
    ),
    "B7": Message(
        INFO,
        "ZJ",
        "{name} marked for {posts_en}: the whole ballot is void.",
        "{name}被同时选为{posts_zh}：整张选票作废。",
    ),
    # --- Winners of round 1 (decide_winners) ---
    "A1": Message(
        INFO,
        "{source}",
        "{post_en}: {name} elected with {votes} of {cast} {base_en}, more than half (at least {needed}).",
        "{post_zh}：{name}得{votes}票，超过{base_zh}{cast}的半数（至少{needed}票），当选。",
    ),
    "A2": Message(
        INFO,
        "{source}",
        "{post_en}: {name} has {votes} of {cast} {base_en}, not more than half (at least {needed} needed).",
        "{post_zh}：{name}得{votes}票，未超过{base_zh}{cast}的半数（至少需{needed}票）。",
    ),
    "A3": Message(
        INFO,
        "domain.md §6",
        "{post_en}: {name} reaches the threshold ({votes}) but has fewer votes than the {seats} elected.",
        "{post_zh}：{name}得{votes}票，虽达到当选票数，但少于按得票多少当选的{seats}人。",
    ),
    "A4": Message(
        WARNING,
        "domain.md §6",
        "{post_en}: {names} tied at {votes} votes for the last {seats} seat(s): another ballot among them.",
        "{post_zh}：{names}得票相等（{votes}票），争最后{seats}个名额：应就票数相等者再次投票。",
    ),
    "A5": Message(
        INFO,
        "domain.md §6 (下靠)",
        "{post_en}: {name} counted {votes} = {own} for the post + {cascaded} for higher posts (下靠).",
        "{post_zh}：{name}计{votes}票＝本职务{own}票＋较高职务{cascaded}票（下靠）。",
    ),
    "A6": Message(
        INFO,
        "domain.md §6",
        "{post_en}: {name} is already elected {higher_en}: not counted here.",
        "{post_zh}：{name}已当选{higher_zh}，不再计入本职务。",
    ),
    "A7": Message(
        WARNING,
        "ZJ §31",
        "{name} ({post_en}) and {other} ({other_post_en}) are close relatives elected together: {other} stays "
        "(higher post, or more votes at the same level); {name}'s election does not stand and the seat goes "
        "to the run-off.",
        "{name}（{post_zh}）与{other}（{other_post_zh}）为近亲属同时当选：保留职务较高（同职务则得票较多）的{other}，"
        "{name}不予当选，该名额另行选举。",
    ),
    "A8": Message(
        WARNING,
        "ZJ §31",
        "{names} are close relatives elected to the same level with equal votes ({votes}): another ballot "
        "decides which one stays.",
        "{names}为近亲属，同级当选且得票相等（{votes}票）：应再次投票确定保留一人。",
    ),
    "A9": Message(
        WARNING,
        "ZJ §29",
        "No woman elected: one unfilled member seat is kept for a woman in the run-off.",
        "当选人中没有妇女：在委员的剩余名额中确定一名另行选举妇女成员。",
    ),
    "A10": Message(
        WARNING,
        "ZJ §29",
        "No woman elected and no seat left: {name}, the member with the fewest votes ({votes}), gives way "
        "and the seat goes to a woman in the run-off.",
        "当选人中没有妇女且无剩余名额：得票最少的委员{name}（{votes}票）不予当选，该名额另行选举妇女成员。",
    ),
    "A11": Message(
        WARNING,
        "ZJ §29",
        "The women's post is not filled: the run-off keeps it for a woman.",
        "妇女委员未选出：另行选举时仍专选妇女委员。",
    ),
    "A12": Message(
        INFO,
        "domain.md §6",
        "{post_en}: decided after the tie re-vote for {higher_en}.",
        "{post_zh}：待{higher_zh}再次投票结果确定后计算。",
    ),
    "A13": Message(
        WARNING,
        "VCOL §15",
        "{post_en}: {unfilled} of {seats} seat(s) not filled: run-off (另行选举).",
        "{post_zh}：应选{seats}名，尚缺{unfilled}名，另行选举。",
    ),
    "A14": Message(
        INFO,
        "domain.md §8",
        "All {seats} seats filled in the first round.",
        "应选{seats}名全部一次选出。",
    ),
    "A15": Message(
        INFO,
        "ZJ §21",
        "{post_en}: {name} is not recorded as a woman: not eligible for the women's seat.",
        "{post_zh}：{name}未登记为女性，不计入妇女名额。",
    ),
    "A16": Message(
        ERROR,
        "domain.md §6",
        "The round is not valid (see the checks above): nobody is elected.",
        "本次选举无效或数字不符（见上）：不确定当选人。",
    ),
    "A17": Message(
        WARNING,
        "ZJ §29",
        "No woman elected and no member seat to keep for one: the election committee decides.",
        "当选人中没有妇女，且无委员名额可供另行选举妇女成员：由选举委员会研究处理。",
    ),
    "A18": Message(
        WARNING,
        "ZJ §29",
        "No woman elected: {names} share the fewest member votes ({votes}); another ballot decides who gives way.",
        "当选人中没有妇女：{names}同为得票最少的委员（{votes}票），应再次投票确定不予当选者。",
    ),
    "A19": Message(
        INFO,
        "domain.md §6",
        "The relatives and women checks wait for the tie re-vote(s).",
        "近亲属回避与妇女成员的审查待再次投票结果确定后进行。",
    ),
    "A20": Message(
        INFO,
        "domain.md §6",
        "{post_en}: {names} elected by the re-vote among the tied.",
        "{post_zh}：经对票数相等者再次投票，{names}当选。",
    ),
    # --- Run-off (另行选举) ---
    "R1": Message(
        INFO,
        "VCOL §15",
        "{post_en}: {seats} seat(s) in the run-off; candidates are the round-1 non-winners with most votes: {names}.",
        "{post_zh}：另行选举{seats}名，候选人为第一次投票未当选人中得票多的：{names}。",
    ),
    "R2": Message(
        WARNING,
        "VCOL §15",
        "{post_en}: only {found} round-1 non-winner(s) with votes for a pool of {size}.",
        "{post_zh}：第一次投票未当选且有得票的仅{found}人，不足{size}人。",
    ),
    "R3": Message(
        INFO,
        "VCOL §15",
        "{post_en}: {names} tied at {votes} votes at the edge of the run-off list: all are candidates.",
        "{post_zh}：{names}得票相等（{votes}票）处于候选人名单末位，均列为候选人。",
    ),
    "R4": Message(
        INFO,
        "VCOL §15",
        "{post_en}: {name} elected in the run-off with {votes} of {cast} {base_en} (at least {fraction}: {needed}).",
        "{post_zh}：{name}得{votes}票，不少于{base_zh}{cast}的{fraction_zh}（{needed}票），另行选举当选。",
    ),
    "R5": Message(
        INFO,
        "VCOL §15",
        "{post_en}: {name} has {votes} of {cast} {base_en}, less than {fraction} ({needed} needed).",
        "{post_zh}：{name}得{votes}票，少于{base_zh}{cast}的{fraction_zh}（需{needed}票）。",
    ),
    "R6": Message(
        ERROR,
        "domain.md §6",
        "The run-off on {runoff_day} is {days} day(s) after election day {election_day}; the rule set allows "
        "0 to {window}: it cannot stand.",
        "另行选举日期{runoff_day}距选举日{election_day}为{days}天，超出选举办法规定的{window}天：另行选举无效。",
    ),
    "R7": Message(
        INFO,
        "ZJ §30",
        "{elected} elected (at least {minimum}): the remaining {unfilled} seat(s) may stay empty.",
        "已选出{elected}名（达到{minimum}名以上）：不足的{unfilled}个名额可以暂缺。",
    ),
    "R8": Message(
        WARNING,
        "VCOL §15",
        "{post_en}: {unfilled} seat(s) still not filled after the run-off.",
        "{post_zh}：另行选举后仍缺{unfilled}名。",
    ),
    "R9": Message(
        INFO,
        "ZJ §31",
        "{post_en}: {name} is a close relative of {other}, already elected: not a run-off candidate.",
        "{post_zh}：{name}与已当选的{other}为近亲属，不列为另行选举候选人。",
    ),
    "R10": Message(
        INFO,
        "ZJ §29",
        "{post_en}: women candidates for the seat kept for a woman: {names}.",
        "{post_zh}：妇女名额的候选人：{names}。",
    ),
    "R11": Message(
        WARNING,
        "ZJ §31",
        "{post_en}: {name} is a close relative of {other}, elected {other_post_en}: the election does not stand.",
        "{post_zh}：{name}与已当选{other_post_zh}的{other}为近亲属，不予当选。",
    ),
    "R12": Message(
        INFO,
        "domain.md §6",
        "Run-off on {runoff_day}, {days} day(s) after election day (allowed: {window}).",
        "另行选举于{runoff_day}举行，距选举日{days}天（规定{window}天内）。",
    ),
}

# How the base of "more than half" is named.
BASE_NAMES = {
    "returned": ("ballots cast", "所投选票"),
    "voted": ("voters who voted", "参加投票的选民"),
    "present": ("members present", "实到会党员"),
}


@dataclass(frozen=True, slots=True)
class Reason:
    """One explained decision: its code, how serious, the rule's source, both texts and the figures."""

    code: str
    severity: str
    source: str
    message_en: str
    message_zh: str
    figures: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code} {self.message_en}"


def _display(value: object, language: str) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, tuple | list | frozenset):
        return ("、" if language == "zh" else ", ").join(str(v) for v in value)
    return str(value)


def explain(code: str, **figures: object) -> Reason:
    """The ``Reason`` for ``code`` with its texts filled from ``figures``."""
    message = MESSAGES[code]
    english = {key: _display(value, "en") for key, value in figures.items()}
    chinese = {key: _display(value, "zh") for key, value in figures.items()}
    for key in ("post", "other_post", "higher"):
        if key in figures:
            en, zh = POST_NAMES.get(str(figures[key]), (str(figures[key]), str(figures[key])))
            english[f"{key}_en"] = chinese[f"{key}_en"] = en
            english[f"{key}_zh"] = chinese[f"{key}_zh"] = zh
    if "posts" in figures:
        names = [POST_NAMES[p] for p in figures["posts"]]
        english["posts_en"] = chinese["posts_en"] = " and ".join(n[0] for n in names)
        english["posts_zh"] = chinese["posts_zh"] = "、".join(n[1] for n in names)
    source = message.source.format(**english) if "{" in message.source else message.source
    return Reason(
        code=code,
        severity=message.severity,
        source=source,
        message_en=message.en.format(**english),
        message_zh=message.zh.format(**chinese),
        figures=dict(figures),
    )
