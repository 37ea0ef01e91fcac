"""Forms of the cycle pages: they check shape; the services check the law."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from . import legal_calendar as cal
from .choices import RegionLevel
from .choices_cycles import OPTIONAL_BODIES, Body, RiskClass, Stage
from .models import CommitteeMember, Region, RuleSet
from .models.rulesets import LEAVE_EMPTY_BOUNDS, RULE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class CycleOpenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("e.g. 2026年大通县村（社区）两委换届")
    )
    region = RegionChoiceField(label=_("Area"), queryset=Region.objects.none())
    rule_set = forms.ModelChoiceField(label=_("Rule set"), queryset=RuleSet.objects.none())
    window_start = forms.DateField(label=_("Election days from"), widget=DateInput())
    window_end = forms.DateField(label=_("Election days until"), widget=DateInput())
    term_start = forms.DateField(label=_("New term starts"), widget=DateInput())
    optional_bodies = forms.MultipleChoiceField(
        label=_("Also elect"),
        choices=[(b.value, b.label) for b in OPTIONAL_BODIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The villagers' and residents' committees are always elected."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).filter(
            level__in=[RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY]
        )
        self.fields["rule_set"].queryset = RuleSet.objects.visible_to(user).order_by(
            "province_code", "-effective_on", "-revision"
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("window_start"), cleaned.get("window_end")
        if start and end and start > end:
            self.add_error("window_end", _("The window must end on or after its first day."))
        return cleaned


class BulkElectionDayForm(forms.Form):
    township = RegionChoiceField(label=_("Township"), queryset=Region.objects.none())
    election_day = forms.DateField(label=_("Election day"), widget=DateInput())
    bodies = forms.MultipleChoiceField(
        label=_("Bodies"),
        choices=Body.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty for every body."),
    )

    def __init__(self, *args, user, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Region.objects.visible_to(user).filter(
            level=RegionLevel.TOWNSHIP, code__startswith=cycle.region_id
        )
        self.fields["bodies"].choices = [(b, Body(b).label) for b in cycle.bodies]


class ElectionDayForm(forms.Form):
    election_day = forms.DateField(label=_("Election day"), widget=DateInput())


class ElectionEditForm(forms.Form):
    seats_vice_chair = forms.IntegerField(label=_("Vice-chairs"), min_value=0, max_value=3)
    seats_member = forms.IntegerField(label=_("Members"), min_value=0, max_value=8)
    seats_women_member = forms.IntegerField(label=_("Women's post"), min_value=0, max_value=1)
    risk_class = forms.ChoiceField(label=_("Risk class"), choices=RiskClass.choices)
    risk_reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class StageAdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"))
    exception_reason = forms.CharField(
        label=_("Reason for a late step"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only needed when the deadline has passed; it is recorded in the audit log."),
    )

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        # Results are certified on the count's results page, which checks the figures and asks about
        # open serious complaints first; this general form never offers that step.
        self.fields["to_stage"].choices = [
            (stage, Stage(stage).label)
            for stage in cal.ALL_STAGES
            if cal.can_transition(election.stage, stage) and stage != Stage.RESULTS_CERTIFIED
        ]


class CommitteeMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    role = forms.ChoiceField(
        label=_("Role"), choices=CommitteeMember.Role.choices, initial=CommitteeMember.Role.MEMBER
    )


class RuleSetForm(forms.Form):
    """Every number of a rule set with its citation; saved as a new revision."""

    effective_on = forms.DateField(label=_("Effective from"), widget=DateInput())

    def __init__(self, *args, rule_set: RuleSet, **kwargs):
        initial = {"effective_on": rule_set.effective_on, **rule_set.values()}
        for name in RULE_FIELDS:
            initial[f"citation_{name}"] = rule_set.citations.get(name, "")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name in RULE_FIELDS:
            model_field = RuleSet._meta.get_field(name)
            form_field = model_field.formfield()
            form_field.required = not isinstance(form_field, forms.BooleanField)
            if isinstance(form_field, forms.IntegerField):
                low, high = cal.RULE_BOUNDS.get(name, LEAVE_EMPTY_BOUNDS)
                form_field.help_text = f"{low}–{high}"
                if name not in cal.RULE_BOUNDS:  # a counting option: bounds checked here, meaning explained
                    form_field.help_text += " · " + str(model_field.help_text)
                    form_field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            self.fields[name] = form_field
            self.fields[f"citation_{name}"] = forms.CharField(
                label=_("Citation"), max_length=300, required=False
            )

    def rule_rows(self):
        return [(self[name], self[f"citation_{name}"]) for name in RULE_FIELDS]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in RULE_FIELDS}

    def citations(self) -> dict:
        return {name: self.cleaned_data.get(f"citation_{name}", "") for name in RULE_FIELDS}


class CycleCloseForm(forms.Form):
    """结束换届: a reason, needed only while some elections are not complete."""

    reason = forms.CharField(
        label=_("Why close with elections not complete"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
