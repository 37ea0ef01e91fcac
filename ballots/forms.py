"""Forms of the ballots app: shape only; the services check the law."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import BoxKind, StaffRole, VenueKind

FIGURE_FIELDS = {
    "voted": _("Voters who voted"),
    "issued": _("Ballots issued"),
    "returned": _("Ballots returned"),
    "invalid": _("Invalid ballots"),
}


class BoxForm(forms.Form):
    venue_kind = forms.ChoiceField(label=_("Venue kind"), choices=VenueKind.choices)
    venue_name = forms.CharField(label=_("Venue"), max_length=100)
    label = forms.CharField(label=_("Ballot box"), max_length=50)
    kind = forms.ChoiceField(label=_("Box kind"), choices=BoxKind.choices)


def _number(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        required=True,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off", "min": 0}),
        error_messages={"required": _("Enter the figure from the sheet (0 if none).")},
    )


class TallyForm(forms.Form):
    """The figures and one field per candidate line, all blank until typed."""

    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for name, label in FIGURE_FIELDS.items():
            self.fields[name] = _number(label)
        for line in self.lines:
            self.fields[line.field] = _number(f"{line.post_label} · {line.name}")

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIGURE_FIELDS}

    def votes(self) -> dict:
        return {line.key: self.cleaned_data[line.field] for line in self.lines}


class ResolveForm(TallyForm):
    note = forms.CharField(label=_("How the difference was resolved"), max_length=300)


class ComputeForm(forms.Form):
    correction_reason = forms.CharField(label=_("Reason for the correction"), max_length=300, required=False)


class CertifyForm(forms.Form):
    confirmed = forms.BooleanField(label=_("I have checked the results; they are correct and final."))
    despite_complaints = forms.BooleanField(
        label=_("Certify despite the open serious complaints"), required=False
    )


def _last4() -> forms.CharField:
    return forms.CharField(
        label=_("Last 4 characters of the ID number"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class CountStaffForm(forms.Form):
    """An announcer, teller or scrutineer: a voter on the roll, found by name and the ID's last four."""

    role = forms.ChoiceField(label=_("Duty"), choices=StaffRole.choices)
    name = forms.CharField(label=_("Full name"), max_length=30)
    id_last4 = _last4()
    box = forms.ModelChoiceField(label=_("Ballot box"), queryset=None, required=False)

    def __init__(self, *args, boxes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["box"].queryset = boxes


class ProxyForm(forms.Form):
    """A proxy vote: the voter and the proxy, each found on the roll by name and the ID's last four."""

    principal_name = forms.CharField(label=_("Voter's name"), max_length=30)
    principal_last4 = _last4()
    proxy_name = forms.CharField(label=_("Proxy's name"), max_length=30)
    proxy_last4 = _last4()
    relation = forms.CharField(label=_("Relation to the voter"), max_length=30)
    filed_on = forms.DateField(label=_("Filed on"), widget=forms.DateInput(attrs={"type": "date"}))
