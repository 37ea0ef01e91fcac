"""Forms of the candidate pages: they check shape; the services check the law."""

from django import forms
from django.utils.translation import gettext_lazy as _

from election_admin.choices_cycles import Body
from election_admin.forms_cycles import DateInput
from election_admin.models import CommitteeMember

from .choices import BODY_METHODS, Education, NominationMethod, Outcome, PartyMembership, RelationKind
from .models import Department, NegativeListItem, Occupation
from .services.common import post_label, posts_for

ID_HELP = _("18 characters; the last may be X.")


class NominationRoundForm(forms.Form):
    held_on = forms.DateField(label=_("Nomination held on"), widget=DateInput())
    ballots_returned = forms.IntegerField(label=_("Nomination ballots handed in"), min_value=1)
    in_person_confirmed = forms.BooleanField(
        label=_("Only ballots handed in by the voters themselves were counted (no proxy nominations)"),
        required=False,
    )


class NominationForm(forms.Form):
    voter = forms.IntegerField(widget=forms.HiddenInput, required=False)
    id_number = forms.CharField(
        label=_("…or the nominee's ID number"), max_length=30, required=False, help_text=ID_HELP
    )
    post = forms.ChoiceField(label=_("Post"))
    method = forms.ChoiceField(label=_("Nominated by"))
    nominating_count = forms.IntegerField(
        label=_("Nominators"),
        min_value=0,
        required=False,
        help_text=_("Direct nomination: voters who named this person. Joint nomination: co-signers."),
    )
    by_households = forms.BooleanField(
        label=_("The co-signers are household representatives"), required=False
    )
    tally = forms.IntegerField(
        label=_("Nomination votes (fix the order)"),
        min_value=0,
        required=False,
        help_text=_("Leave empty to use the number of nominators."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = [
            (post, post_label(election, post)) for post, _seats in posts_for(election)
        ]
        self.fields["method"].choices = [
            (m, NominationMethod(m).label) for m in BODY_METHODS[Body(election.body)]
        ]
        if election.body != Body.RESIDENTS_COMMITTEE:
            del self.fields["by_households"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("voter") and not (cleaned.get("id_number") or "").strip():
            raise forms.ValidationError(_("Choose the nominee from the roll, or type the ID number."))
        cleaned["nominating_count"] = cleaned.get("nominating_count") or 0
        cleaned.setdefault("by_households", False)
        return cleaned


class CandidateDetailsForm(forms.Form):
    education = forms.ChoiceField(label=_("Education"), choices=Education.choices)
    party_membership = forms.ChoiceField(label=_("Party membership"), choices=PartyMembership.choices)
    occupation = forms.ModelChoiceField(
        label=_("Occupation"), queryset=Occupation.objects.none(), required=False, empty_label="—"
    )
    is_incumbent = forms.BooleanField(label=_("Member of the outgoing committee"), required=False)
    is_dual_role_intended = forms.BooleanField(
        label=_("Intended to be party secretary as well (一肩挑)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = Occupation.objects.active()


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    negative_item = forms.ModelChoiceField(
        label=_("Ground (for a fail)"), queryset=NegativeListItem.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Details"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["negative_item"].queryset = NegativeListItem.objects.active()


class VerdictForm(ReviewForm):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    paper_reference = forms.CharField(
        label=_("Reference of the department's written reply"), max_length=100, required=False
    )

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        if review is not None:
            self.fields["department"].queryset = review.departments.all()


class PassRemainingForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    paper_reference = forms.CharField(
        label=_("Reference of the department's written reply"), max_length=100, required=False
    )

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        if review is not None:
            self.fields["department"].queryset = review.departments.all()


class JointReviewOpenForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=None)
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments taking part"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles
        self.fields["departments"].queryset = Department.objects.active()
        self.fields["departments"].initial = list(Department.objects.active().values_list("pk", flat=True))
        if cycles.count() == 1:
            self.fields["cycle"].initial = cycles.first().pk


class RelationForm(forms.Form):
    relative = forms.IntegerField(widget=forms.HiddenInput, required=False)
    id_number = forms.CharField(label=_("…or the relative's ID number"), max_length=30, required=False)
    kind = forms.ChoiceField(label=_("Relation"), choices=RelationKind.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("relative") and not (cleaned.get("id_number") or "").strip():
            raise forms.ValidationError(_("Choose the relative from the roll, or type the ID number."))
        return cleaned


class WithdrawForm(forms.Form):
    received_on = forms.DateField(label=_("Written withdrawal received on"), widget=DateInput())
    reference = forms.CharField(label=_("Reference of the letter"), max_length=100)
    reason = forms.CharField(label=_("Reason given"), max_length=200, required=False)


class PublishForm(forms.Form):
    term_number = forms.IntegerField(
        label=_("Term (第X届), optional"), min_value=1, max_value=99, required=False
    )
    exception_reason = forms.CharField(
        label=_("Reason for publishing late"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only needed when the deadline has passed; it is recorded in the audit log."),
    )


class CommitteeAddForm(forms.Form):
    voter = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=30, required=False, help_text=ID_HELP)
    role = forms.ChoiceField(
        label=_("Role"), choices=CommitteeMember.Role.choices, initial=CommitteeMember.Role.MEMBER
    )
    is_reserve = forms.BooleanField(
        label=_("Reserve (next in the selection result; steps in when a member leaves)"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("voter") and not (cleaned.get("id_number") or "").strip():
            raise forms.ValidationError(_("Choose the person from the roll, or type the ID number."))
        if not cleaned.get("voter") and not (cleaned.get("name") or "").strip():
            self.add_error("name", _("Enter the name."))
        return cleaned


class CommitteeIdentifyForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    voter = forms.IntegerField(widget=forms.HiddenInput, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=30, required=False, help_text=ID_HELP)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("voter") and not (cleaned.get("id_number") or "").strip():
            raise forms.ValidationError(_("Choose the person from the roll, or type the ID number."))
        return cleaned
