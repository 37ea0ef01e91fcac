"""Forms of the ballots app: shape only; the services check the law."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import BoxKind, VenueKind

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
