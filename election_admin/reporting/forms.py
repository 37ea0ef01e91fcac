"""Forms of the statistics pages: party posts of a branch, the hand-kept election-day figures."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PartyPost


class PartyPostsForm(forms.Form):
    """One choice per member elected to a party branch committee."""

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"post_{member.pk}"] = forms.ChoiceField(
                label=member.name, choices=PartyPost.choices, required=False, initial=member.party_post
            )

    def posts(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data.get(f"post_{m.pk}") or "" for m in self.members}

    def rows(self):
        return [(member, self[f"post_{member.pk}"]) for member in self.members]


class DayFiguresForm(forms.Form):
    ballot_writer_voters = forms.IntegerField(
        label=_("Voters helped by a ballot writer"), min_value=0, required=False
    )
    booths = forms.IntegerField(label=_("Secret-ballot booths"), min_value=0, required=False)

    def __init__(self, *args, instance_values=None, **kwargs):
        if instance_values is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "ballot_writer_voters": instance_values.ballot_writer_voters,
                    "booths": instance_values.booths,
                },
            )
        super().__init__(*args, **kwargs)
