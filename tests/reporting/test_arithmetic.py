"""The figure arithmetic: rounding, shares, averages and changes the way published reports do them."""

from datetime import date

from election_admin.reporting import arithmetic as ar


def test_share_rounds_half_up_to_one_decimal():
    assert ar.share(125, 225) == 55.6
    assert ar.share(1, 8) == 12.5
    assert ar.share(1, 16) == 6.3  # 6.25 → 6.3 (half-up, not banker's 6.2)
    assert ar.share(45, 45) == 100.0
    assert ar.share(3, 0) is None
    assert ar.share(None, 10) is None


def test_average_rounds_half_up():
    assert ar.average(8700, 225) == 38.7  # 38.666…
    assert ar.average(85, 2) == 42.5
    assert ar.average(5, 0) is None


def test_change_is_the_difference_of_published_figures():
    assert ar.change(38.7, 40.9) == -2.2
    assert ar.change(55.6, 49.8) == 5.8
    assert ar.change(55.6, None) is None


def test_age_on_the_election_day_counts_completed_years():
    assert ar.age_on(date(1980, 6, 15), date(2026, 6, 14)) == 45
    assert ar.age_on(date(1980, 6, 15), date(2026, 6, 15)) == 46
    assert ar.age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25


def test_age_bands_cover_every_age():
    assert ar.age_band(35) == "age_35_under"
    assert ar.age_band(36) == "age_36_45"
    assert ar.age_band(55) == "age_46_55"
    assert ar.age_band(56) == "age_56_over"
    assert ar.describe_change(-2.2) == "−2.2"
    assert ar.describe_change(5.8) == "+5.8"
