"""The figures a return freezes: exactly ``election_admin.reporting.figures.return_figures`` (the statistics
app's headline figures of a region and cycle) and its labels. Imported when called, so this app loads
whatever the state of the statistics app."""

from django.utils import timezone


def live_figures(region, cycle) -> dict:
    """Today's headline figures of ``region`` in ``cycle``."""
    from election_admin.reporting.figures import return_figures

    return return_figures(region, cycle)


def live_labels() -> dict:
    """Figure key → label (translated in the current language)."""
    from election_admin.reporting.figures import figure_labels

    return {key: str(label) for key, label in figure_labels().items()}


def read_now(region, cycle) -> tuple[dict, dict, object]:
    """(figures, labels, the time they were read)."""
    return live_figures(region, cycle), live_labels(), timezone.now()
