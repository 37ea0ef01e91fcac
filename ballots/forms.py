"""Forms of the ballots app: shape only; the services check the law."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import MAX_COUNT, BoxKind, StaffRole, VenueKind
from .counting.inputs import WRITE_IN_PREFIX, is_write_in, write_in_key

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
        max_value=MAX_COUNT,
        required=True,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off", "min": 0}),
        error_messages={"required": _("Enter the figure from the sheet (0 if none).")},
    )


WRITE_IN_ROWS = 2


def _posts(lines) -> list[tuple[str, str]]:
    posts: dict[str, str] = {}
    for line in lines:
        posts.setdefault(line.post, line.post_label)
    return list(posts.items())


def write_in_initial(lines, values: dict) -> dict:
    """Initial values of the write-in rows (另选他人) from stored votes keyed ``post|write_in:name``."""
    initial: dict = {}
    for post, _label in _posts(lines):
        found = [
            (k.partition("|")[2], v)
            for k, v in values.items()
            if k.startswith(f"{post}|") and is_write_in(k.partition("|")[2])
        ]
        for n, (person, count) in enumerate(found):
            initial[f"wi_{post}_{n}_name"] = person[len(WRITE_IN_PREFIX) :]
            initial[f"wi_{post}_{n}_votes"] = count
    return initial


class TallyForm(forms.Form):
    """The figures and one field per candidate line, all blank until typed; then a few write-in rows
    (另选他人: a name and its votes) per post."""

    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for name, label in FIGURE_FIELDS.items():
            self.fields[name] = _number(label)
        for line in self.lines:
            self.fields[line.field] = _number(f"{line.post_label} · {line.name}")
        self.write_in_rows = []
        for post, post_label in _posts(self.lines):
            given = [*self.initial, *self.data]
            used = sum(1 for key in given if key.startswith(f"wi_{post}_") and key.endswith("_name"))
            for n in range(max(WRITE_IN_ROWS, used + 1)):
                name_field, votes_field = f"wi_{post}_{n}_name", f"wi_{post}_{n}_votes"
                self.fields[name_field] = forms.CharField(
                    label=_("%(post)s · written-in name") % {"post": post_label},
                    max_length=30,
                    required=False,
                )
                self.fields[votes_field] = forms.IntegerField(
                    label=_("%(post)s · votes for the written-in name") % {"post": post_label},
                    min_value=0,
                    max_value=MAX_COUNT,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off", "min": 0}),
                )
                self.write_in_rows.append((post, name_field, votes_field))

    def clean(self):
        cleaned = super().clean()
        for _post, name_field, votes_field in self.write_in_rows:
            name = " ".join((cleaned.get(name_field) or "").split())
            votes = cleaned.get(votes_field)
            if name and votes is None:
                self.add_error(votes_field, _("Enter the votes for this name."))
            elif votes and not name:
                self.add_error(name_field, _("Enter the name written in."))
        return cleaned

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIGURE_FIELDS}

    def votes(self) -> dict:
        votes = {line.key: self.cleaned_data[line.field] for line in self.lines}
        for post, name_field, votes_field in self.write_in_rows:
            name = " ".join((self.cleaned_data.get(name_field) or "").split())
            if name and self.cleaned_data.get(votes_field):
                key = f"{post}|{write_in_key(name)}"
                votes[key] = votes.get(key, 0) + self.cleaned_data[votes_field]
        return votes


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
    """An announcer, teller, scrutineer or ballot writer: a voter on the roll, found by name and the ID's
    last four."""

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


class MobileBoxVoterForm(forms.Form):
    """A voter for a mobile ballot box's list: found on the roll by name and the ID's last four."""

    name = forms.CharField(label=_("Full name"), max_length=30)
    id_last4 = _last4()
    reason = forms.CharField(
        label=_("Why at the mobile box"),
        max_length=60,
        required=False,
        help_text=_("e.g. ill in bed, over 80, lives on the far pasture"),
    )
