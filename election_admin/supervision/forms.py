"""Forms of the supervision pages: they check shape; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.choices import Education, PartyMembership
from election_admin.choices import RegionLevel
from election_admin.choices_cycles import Body
from election_admin.forms_cycles import DateInput, RegionChoiceField
from election_admin.models import Election, Region, User
from voters.choices import Gender

from .choices import (
    COMPLAINT_ANSWER_DAYS_BOUNDS,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintOutcome,
    ReservePost,
)


def villages_of(user, cycle):
    """Village-level units of the cycle's area that the user may see and that have an election in it."""
    codes = Election.objects.visible_to(user).filter(cycle=cycle).values("region_id")
    return (
        Region.objects.visible_to(user)
        .filter(level=RegionLevel.VILLAGE_LEVEL, code__in=codes)
        .order_by("code")
    )


class ElectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.region.name} · {Body(obj.body).label}"


class VisitForm(forms.Form):
    region = RegionChoiceField(label=_("Village or community"), queryset=Region.objects.none())
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput())
    group_name = forms.CharField(
        label=_("Supervision group"), max_length=50, help_text=_("e.g. 县第一督导组")
    )
    members = forms.CharField(label=_("Members of the group"), max_length=200, required=False)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(
        label=_("Follow-up required"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, user, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = villages_of(user, cycle)


class FollowUpForm(forms.Form):
    done_on = forms.DateField(label=_("Follow-up done on"), widget=DateInput())


class ComplaintForm(forms.Form):
    region = RegionChoiceField(label=_("Village or community"), queryset=Region.objects.none())
    election = ElectionChoiceField(
        label=_("Election concerned"),
        queryset=Election.objects.none(),
        required=False,
        help_text=_("Leave blank when the complaint is about the village's round as a whole."),
    )
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Channel"), choices=ComplaintChannel.choices)
    complainant = forms.CharField(
        label=_("From"), max_length=50, required=False, help_text=_("Leave blank for an anonymous complaint.")
    )
    complainant_phone = forms.CharField(label=_("Complainant's phone"), max_length=20, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=ComplaintCategory.choices)
    summary = forms.CharField(label=_("What the complaint says"), widget=forms.Textarea(attrs={"rows": 4}))
    is_serious = forms.BooleanField(label=_("Serious (flags the election until answered)"), required=False)

    def __init__(self, *args, user, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = villages_of(user, cycle)
        self.fields["election"].queryset = (
            Election.objects.visible_to(user)
            .filter(cycle=cycle)
            .select_related("region")
            .order_by("region_id", "body")
        )


class ComplaintAssignForm(forms.Form):
    assigned_to = forms.CharField(
        label=_("Handled by"), max_length=100, help_text=_("A leader, a department or the township.")
    )
    assigned_on = forms.DateField(label=_("Assigned on"), widget=DateInput())


class ComplaintAnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ComplaintOutcome.choices)
    answer = forms.CharField(label=_("Answer given"), widget=forms.Textarea(attrs={"rows": 3}))


class SettingsForm(forms.Form):
    complaint_answer_days = forms.IntegerField(
        label=_("Complaints answered within, days"),
        min_value=COMPLAINT_ANSWER_DAYS_BOUNDS[0],
        max_value=COMPLAINT_ANSWER_DAYS_BOUNDS[1],
        help_text=_("15 unless the county decides otherwise; applies to complaints received from now on."),
    )


class HandoverForm(forms.Form):
    audit_done_on = forms.DateField(label=_("Departure audit done on"), widget=DateInput(), required=False)
    audit_published_on = forms.DateField(
        label=_("Audit result published on"), widget=DateInput(), required=False
    )
    audit_result = forms.CharField(label=_("Audit result"), max_length=300, required=False)
    seal_on = forms.DateField(label=_("Seal handed over on"), widget=DateInput(), required=False)
    accounts_on = forms.DateField(label=_("Accounts handed over on"), widget=DateInput(), required=False)
    files_on = forms.DateField(label=_("Files handed over on"), widget=DateInput(), required=False)
    assets_on = forms.DateField(label=_("Assets handed over on"), widget=DateInput(), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)
    late_reason = forms.CharField(label=_("Reason for the late handover"), max_length=300, required=False)


class OutgoingMembersForm(forms.Form):
    members = forms.CharField(
        label=_("Outgoing members"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One per line: name, post held (e.g. 王建国，村委会主任)."),
    )

    def member_list(self) -> list[tuple[str, str]]:
        result = []
        for line in self.cleaned_data["members"].splitlines():
            line = line.strip()
            if not line:
                continue
            for separator in ("，", ",", "\t", " "):
                if separator in line:
                    name, post = line.split(separator, 1)
                    result.append((name.strip(), post.strip()))
                    break
            else:
                result.append((line, ""))
        return result


class ReserveForm(forms.Form):
    region = RegionChoiceField(label=_("Village or community"), queryset=Region.objects.none())
    post = forms.ChoiceField(label=_("Groomed for"), choices=ReservePost.choices)
    name = forms.CharField(label=_("Name"), max_length=30)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput(), required=False)
    age = forms.IntegerField(
        label=_("Age"),
        min_value=18,
        max_value=70,
        required=False,
        help_text=_("When the birth date is not known."),
    )
    education = forms.ChoiceField(label=_("Education"), choices=Education.choices)
    party_membership = forms.ChoiceField(
        label=_("Party membership"), choices=PartyMembership.choices, initial=PartyMembership.NONE
    )
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)

    def __init__(self, *args, user, area: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.visible_to(user)
            .filter(level=RegionLevel.VILLAGE_LEVEL, code__startswith=area.code)
            .order_by("code")
        )


class ReserveRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Why the person leaves the pool"), max_length=200)


class LeaderLinkForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Staff account"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.visible_to(actor).filter(is_active=True).order_by("username")
        )
