"""What the supervision app (election_admin.supervision) needs here: the rule-set flag ``seal_same_day``
(the outgoing committee hands over its seal the day the new committee is elected — 上海: yes, elsewhere
within the handover days) and the departure certificate (离任证书) as a document kind.

``ship`` sets the flag and its citation on the shipped rule sets of 0003 (tests call it again after a
flush)."""

import datetime

from django.db import migrations, models

SEAL_CITATION = "村民委员会组织法：自新一届村民委员会产生之日起十日内完成移交（印章随工作移交）"
SH_SEAL = "上海市村民委员会选举办法：新一届村民委员会产生之日，原村民委员会应当将印章移交新一届村民委员会"
SHANGHAI = ("31", datetime.date(2020, 1, 1))


def ship(apps, schema_editor):
    RuleSet = apps.get_model("election_admin", "RuleSet")
    for rule_set in RuleSet.objects.filter(revision=1, previous__isnull=True):
        citations = dict(rule_set.citations or {})
        is_shanghai = (rule_set.province_code, rule_set.effective_on) == SHANGHAI
        citations.setdefault("seal_same_day", SH_SEAL if is_shanghai else SEAL_CITATION)
        rule_set.seal_same_day = is_shanghai
        rule_set.citations = citations
        rule_set.save(update_fields=["citations", "seal_same_day"])


def unship(apps, schema_editor):
    pass


class Migration(migrations.Migration):

    dependencies = [
        ("election_admin", "0005_candidates_support"),
    ]

    operations = [
        migrations.AddField(
            model_name="ruleset",
            name="seal_same_day",
            field=models.BooleanField(
                default=False, verbose_name="seal handed over the day the new committee is elected"
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="kind",
            field=models.CharField(
                choices=[
                    ("voter_list_notice", "Voter list notice"),
                    ("voter_list_supplement", "Supplementary voter list notice"),
                    ("objection_decision", "Objection decision notice"),
                    ("voter_cards", "Voter cards"),
                    ("voter_import_errors", "Voter import errors"),
                    ("roll_export", "Voter roll export"),
                    ("candidate_list_notice", "Official candidate list notice"),
                    ("result_notice", "Election result notice"),
                    ("certificate", "Certificate of election"),
                    ("tally_report", "Tally report"),
                    ("summary_workbook", "Summary workbook"),
                    ("progress_export", "Progress table"),
                    ("statistics_workbook", "Statistics workbook"),
                    ("weekly_report", "Weekly progress report"),
                    ("election_record", "Election record sheet"),
                    ("departure_certificate", "Departure certificate"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(ship, unship),
    ]
