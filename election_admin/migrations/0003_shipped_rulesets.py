"""The rule sets shipped with the product: the national default and the provinces we hold texts for.

Citations are data (article numbers change between editions; the national laws were amended on
2025-10-28, in force 2026-01-01): each province re-issuing its measures adds a new version through
the rule-set pages, which keeps the old one for cycles already opened under it.
"""

import datetime

from django.db import migrations

VCOL = "村民委员会组织法（2018年修正）"
RCOL = "城市居民委员会组织法（2018年修正）"
CPC = "中国共产党基层组织选举工作条例（2020）"

NATIONAL_CITATIONS = {
    "roll_publish_days_before": f"{VCOL}第十四条：选民名单应当在选举日的二十日前公布",
    "objection_window_days": f"{VCOL}第十四条：自名单公布之日起五日内向村民选举委员会申诉",
    "objection_answer_days": f"{VCOL}第十四条：村民选举委员会应当自收到申诉之日起三日内作出处理决定",
    "candidate_list_days_before": "各省选举办法（全国默认取选举日前五日，各省三至七日）",
    "proxy_limit": f"{VCOL}第十五条；各省选举办法：每一选民接受委托投票不得超过三人",
    "proxy_filing_days_before": "各省选举办法（全国默认取选举日前三日）",
    "chair_margin_min": f"{VCOL}第十五条：候选人名额应当多于应选名额",
    "member_margin_min": f"{VCOL}第十五条：候选人名额应当多于应选名额",
    "party_margin_percent": f"{CPC}第十三条：候选人应多于应选人数的20%",
    "villagers_committee_size_min": f"{VCOL}第六条：村民委员会由主任、副主任和委员共三至七人组成",
    "residents_committee_size_min": f"{RCOL}：居民委员会由主任、副主任和委员共五至九人组成",
    "supervision_committee_size_min": f"{VCOL}第三十二条：村务监督委员会",
    "party_branch_size_min": CPC,
    "election_committee_size_min": f"{VCOL}第十二条：村民选举委员会",
    "ballots_comparator": "各省选举办法（收回选票多于投票人数的，选举无效）",
    "runoff_threshold_denominator": f"{VCOL}第十五条：另行选举得票多的当选，但所得票数不得少于已投选票数的三分之一",
    "runoff_window_days": "各省选举办法（全国默认取选举日起三十日内）",
    "handover_days": f"{VCOL}：自新一届村民委员会产生之日起十日内完成移交",
    "term_years": f"{VCOL}第十一条：村民委员会每届任期五年",
}

SHIPPED = [
    {
        "province_code": "",
        "name": "全国默认（村民委员会组织法）",
        "effective_on": datetime.date(2018, 12, 29),
        "source": f"{VCOL}；{RCOL}；{CPC}",
        "values": {},
        "citations": NATIONAL_CITATIONS,
    },
    {
        "province_code": "33",
        "name": "浙江省村民委员会选举办法",
        "effective_on": datetime.date(2020, 1, 1),
        "source": "浙江省村民委员会选举办法（2020年修订）",
        "values": {
            "election_committee_size_min": 5,
            "election_committee_size_max": 9,
            "has_women_post": True,
        },
        "citations": {
            **NATIONAL_CITATIONS,
            "has_women_post": "浙江省村民委员会选举办法第二十一条：妇女委员专职专选",
            "election_committee_size_min": "浙江省村民委员会选举办法：村民选举委员会由五至九人组成",
            "ballots_comparator": "浙江省村民委员会选举办法第二十七条：收回的选票多于投票人数的，选举无效",
            "proxy_limit": "浙江省村民委员会选举办法第二十五条：每一选民接受委托投票不得超过三人",
        },
    },
    {
        "province_code": "31",
        "name": "上海市村民委员会选举办法",
        "effective_on": datetime.date(2020, 1, 1),
        "source": "上海市村民委员会选举办法（2020年修正）",
        "values": {
            "proxy_filing_days_before": 5,
            "member_margin_min": 1,
            "member_margin_max": 3,
            "supervision_committee_size_max": 7,
            "election_committee_size_min": 7,
            "election_committee_size_max": 9,
        },
        "citations": {
            **NATIONAL_CITATIONS,
            "proxy_filing_days_before": "上海市村民委员会选举办法第十六条：委托投票应当在选举日五日前办理",
            "member_margin_min": "上海市村民委员会选举办法第十二条：主任、副主任候选人多一人，委员候选人多一至三人",
            "supervision_committee_size_min": "上海市村民委员会选举办法：村务监督委员会三至七人",
            "election_committee_size_min": "上海市村民委员会选举办法：村民选举委员会由七至九人组成",
            "ballots_comparator": "上海市村民委员会选举办法第十九条：收回的选票多于投票人数的，选举无效",
        },
    },
    {
        "province_code": "11",
        "name": "北京市村民委员会选举办法",
        "effective_on": datetime.date(2012, 1, 1),
        "source": "北京市村民委员会选举办法（2012年）",
        "values": {
            "chair_margin_max": 2,
            "vice_chair_margin_max": 2,
            "member_margin_max": 2,
            "runoff_window_days": 15,
            "election_committee_size_min": 5,
            "election_committee_size_max": 9,
        },
        "citations": {
            **NATIONAL_CITATIONS,
            "chair_margin_min": "北京市村民委员会选举办法第十六条：各职务候选人多一至二人",
            "member_margin_min": "北京市村民委员会选举办法第十六条：各职务候选人多一至二人",
            "runoff_window_days": "北京市村民委员会选举办法：另行选举在选举日起十五日内进行",
            "election_committee_size_min": "北京市村民委员会选举办法：村民选举委员会由五至九人组成",
            "ballots_comparator": "北京市村民委员会选举办法第二十八条：收回的选票多于投票人数的，选举无效",
        },
    },
    {
        "province_code": "41",
        "name": "河南省实施《村民委员会组织法》办法",
        "effective_on": datetime.date(2011, 1, 1),
        "source": "河南省实施《中华人民共和国村民委员会组织法》办法（2011年）",
        "values": {
            "ballots_comparator": "issued",
            "election_committee_size_min": 7,
            "election_committee_size_max": 9,
        },
        "citations": {
            **NATIONAL_CITATIONS,
            "ballots_comparator": "河南省实施办法：收回的选票多于发出的选票的，选举无效",
            "election_committee_size_min": "河南省实施办法：村民选举委员会由七至九人组成",
        },
    },
]


def ship(apps, schema_editor):
    RuleSet = apps.get_model("election_admin", "RuleSet")
    for item in SHIPPED:
        RuleSet.objects.get_or_create(
            province_code=item["province_code"],
            effective_on=item["effective_on"],
            revision=1,
            defaults={
                "name": item["name"],
                "source": item["source"],
                "citations": item["citations"],
                **item["values"],
            },
        )


def unship(apps, schema_editor):
    RuleSet = apps.get_model("election_admin", "RuleSet")
    for item in SHIPPED:
        RuleSet.objects.filter(
            province_code=item["province_code"], effective_on=item["effective_on"], revision=1, cycles__isnull=True
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("election_admin", "0002_cycles_elections_rulesets"),
    ]

    operations = [migrations.RunPython(ship, unship)]
