"""What the candidates app needs here: joint-review department staff (a role and their department), the
election committee's reserves and members' ID hashes (for the recusal of nominees), and two rule-set
numbers — the withdrawal deadline and whether relatives of candidates leave the committee (浙江: yes).

``ship`` updates the shipped rule sets of 0003 (tests call it again after a flush)."""

import datetime

import django.db.models.deletion
from django.db import migrations, models

WITHDRAWAL_CITATION = "各省选举办法（全国默认取选举日前三日书面提出）"
ZJ_WITHDRAWAL = "浙江省村民委员会选举办法：候选人在选举日三日前书面提出退出，空额按提名得票多少依次递补"
ZJ_RELATIVES = (
    "浙江省村民委员会选举办法：村民选举委员会成员的配偶、父母、子女、兄弟姐妹被提名为候选人的，应当退出村民选举委员会"
)
ZHEJIANG = ("33", datetime.date(2020, 1, 1))


def ship(apps, schema_editor):
    RuleSet = apps.get_model("election_admin", "RuleSet")
    for rule_set in RuleSet.objects.filter(revision=1, previous__isnull=True):
        citations = dict(rule_set.citations or {})
        is_zhejiang = (rule_set.province_code, rule_set.effective_on) == ZHEJIANG
        citations.setdefault("withdrawal_days_before", ZJ_WITHDRAWAL if is_zhejiang else WITHDRAWAL_CITATION)
        if is_zhejiang:
            citations.setdefault("committee_recuses_relatives", ZJ_RELATIVES)
            rule_set.committee_recuses_relatives = True
        rule_set.citations = citations
        rule_set.save(update_fields=["citations", "committee_recuses_relatives"])


def unship(apps, schema_editor):
    pass


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('election_admin', '0004_documents'),
    ]

    operations = [
        migrations.AddField(
            model_name='committeemember',
            name='id_hash',
            field=models.CharField(blank=True, default='', max_length=64, verbose_name='ID number (keyed hash)'),
        ),
        migrations.AddField(
            model_name='committeemember',
            name='is_reserve',
            field=models.BooleanField(default=False, verbose_name='reserve (next in the selection result)'),
        ),
        migrations.AddField(
            model_name='committeemember',
            name='replaces',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='election_admin.committeemember', verbose_name='stepped in for'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='committee_recuses_relatives',
            field=models.BooleanField(default=False, verbose_name='election committee members leave when a close relative is a candidate'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='withdrawal_days_before',
            field=models.PositiveSmallIntegerField(default=3, verbose_name='candidates withdraw in writing, days before election day'),
        ),
        migrations.AddField(
            model_name='user',
            name='department_code',
            field=models.CharField(blank=True, default='', max_length=30, verbose_name='joint-review department'),
        ),
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(choices=[('village_clerk', 'Village election committee clerk'), ('township_staff', 'Township staff'), ('department_reviewer', 'Joint-review department staff'), ('county_bureau', 'County civil-affairs bureau'), ('city_bureau', 'City civil-affairs bureau'), ('province_bureau', 'Province civil-affairs bureau'), ('system_admin', 'System administrator')], default='village_clerk', max_length=20, verbose_name='role'),
        ),
        migrations.AddConstraint(
            model_name='committeemember',
            constraint=models.CheckConstraint(condition=models.Q(('is_reserve', False), ('is_active', False), _connector='OR'), name='committee_reserve_not_serving'),
        ),
        migrations.AddConstraint(
            model_name='ruleset',
            constraint=models.CheckConstraint(condition=models.Q(('withdrawal_days_before__gte', 1), ('withdrawal_days_before__lte', 7)), name='ruleset_withdrawal_days_before_bounds'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('department_code__gt', ''), ('role', 'department_reviewer')), models.Q(models.Q(('role', 'department_reviewer'), _negated=True), ('department_code', '')), _connector='OR'), name='user_department_only_for_department_reviewer'),
        ),
        migrations.RunPython(ship, unship),
    ]
