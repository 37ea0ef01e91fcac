"""Forms of the voter-roll pages: they check shape; the services check the law."""

from django import forms
from django.utils.translation import gettext_lazy as _

from election_admin.forms_cycles import DateInput

from .choices import Category, Gender, ObjectionDecision, ObjectionKind, VoterStatus
from .ethnicities import NAMES
from .importing.safety import DEFAULT_LIMITS

ETHNICITY_CHOICES = [("", "—")] + [(name, name) for name in NAMES]


class VoterForm(forms.Form):
    """The keyboard-first entry form: ID number first; birth date and gender follow from it."""

    id_number = forms.CharField(label=_("ID number"), max_length=30)
    name = forms.CharField(label=_("Voter name"), max_length=30)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=ETHNICITY_CHOICES, required=False)
    group = forms.CharField(label=_("Villagers' group"), max_length=50, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    category = forms.ChoiceField(
        label=_("Registration category"), choices=Category.choices, initial=Category.RESIDENT
    )
    approval_reference = forms.CharField(label=_("Approval reference"), max_length=100, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)
    correction_reason = forms.CharField(
        label=_("Reason for correcting the published roll"), max_length=200, required=False
    )

    def __init__(self, *args, is_published: bool = False, is_edit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if is_edit:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Leave empty to keep the number on file.")
        if is_published:
            self.fields["correction_reason"].required = True
        else:
            del self.fields["correction_reason"]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.update({"class": css, "data-entry-field": ""})
        self.fields["group"].widget.attrs["list"] = "groups"
        self.fields["name"].widget.attrs["autocomplete"] = "off"

    def clean_phone(self):
        phone = "".join(self.cleaned_data["phone"].split()).replace("-", "")
        if phone and not (phone.lstrip("+").isdigit() and 7 <= len(phone.lstrip("+")) <= 20):
            raise forms.ValidationError(_("A phone number has 7 to 20 digits."))
        return phone


class StrikeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    correction_reason = forms.CharField(
        label=_("Reason for correcting the published roll"), max_length=200, required=False
    )


class RollFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, last 4 of the ID, or group"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *VoterStatus.choices], required=False
    )
    group = forms.CharField(label=_("Group"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All")), *Category.choices], required=False
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx, .xls or .csv)"),
        help_text=_("At most %(mb)s MB. Use the template so the columns are recognised.")
        % {"mb": DEFAULT_LIMITS.max_bytes // (1024 * 1024)},
    )


class PublishForm(forms.Form):
    exception_reason = forms.CharField(
        label=_("Reason for publishing late"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ObjectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("The objection says"), choices=ObjectionKind.choices)
    filed_by = forms.CharField(label=_("Filed by"), max_length=50)
    filed_on = forms.DateField(label=_("Received on"), widget=DateInput())
    voter = forms.ModelChoiceField(label=_("Voter concerned"), queryset=None, required=False)
    proposed_name = forms.CharField(label=_("Name of the person to add"), max_length=30, required=False)
    proposed_id_number = forms.CharField(
        label=_("ID number of the person to add"), max_length=30, required=False
    )
    proposed_group = forms.CharField(label=_("Group of the person to add"), max_length=50, required=False)
    correct_name = forms.CharField(label=_("Correct name"), max_length=30, required=False)
    correct_group = forms.CharField(label=_("Correct group"), max_length=50, required=False)
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, voters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voter"].queryset = voters
        self.fields["voter"].label_from_instance = lambda v: f"{v.name} · {v.group or '—'} · {v.id_masked}"

    def corrections(self) -> dict:
        data = self.cleaned_data
        found = {"name": data.get("correct_name", ""), "group": data.get("correct_group", "")}
        return {k: v for k, v in found.items() if v}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ObjectionDecision.choices, widget=forms.RadioSelect
    )
    decision_text = forms.CharField(label=_("Decision and reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class CardCheckForm(forms.Form):
    region = forms.ChoiceField(label=_("Village or community"), choices=())
    serial = forms.IntegerField(label=_("Card number"), min_value=1)
    code = forms.CharField(label=_("Check code"), max_length=10)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]
