"""The import's write, in small batches so that every batch boundary is crossed: on PostgreSQL the rows are
written while the rest of the file is still read (voters.services.imports._PipelinedWriter), elsewhere
after it. Either way the same people end up on the roll, with the same counts."""

from datetime import date, timedelta

import pytest
from django.db import transaction

from tests.voter_helpers import register, village_election
from tests.voters.files import HEADER, voter_row, write_xlsx
from voters.importing import validate
from voters.models import Voter
from voters.pii import decrypt, encrypt_many, id_hash
from voters.services import imports
from voters.services.rolls import roll_for_election


@pytest.fixture
def election(county_user, regions):
    return village_election(county_user, regions)


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(validate, "CHUNK_ROWS", 3)
    monkeypatch.setattr(imports, "BATCH_ROWS", 4)


def _name(i: int) -> str:
    return "王李张刘陈杨"[i % 6] + "明华英芳军平"[i // 6 % 6] + "国玉兰秀海文"[i // 36 % 6]


def test_batches_duplicates_and_registered_people(
    small_batches, tmp_path, county_user, township_user, regions, election
):
    """A number written in an early batch and found again later is taken back (both rows are errors);
    a duplicate whose first row was invalid never touches a voter already on the roll; people registered
    here or elsewhere are skipped and counted."""
    neighbour = village_election(county_user, regions, code="630121100200", cycle=election.cycle)
    register(township_user, neighbour, "外村人", born=date(1972, 2, 2), sequence=51)
    on_roll = register(township_user, election, "已登记", born=date(1973, 3, 3), sequence=61)
    rows = [HEADER]
    rows += [
        voter_row(_name(i), born=date(1950, 1, 1) + timedelta(days=40 * i), sequence=11) for i in range(20)
    ]
    rows.append(voter_row("重复人", born=date(1950, 1, 1), sequence=11))  # row 22: the same as row 2
    rows.append(voter_row("外村人", born=date(1972, 2, 2), sequence=51))  # row 23
    rows.append(voter_row("已登记", born=date(1973, 3, 3), sequence=61, gender="男"))  # row 24: wrong gender
    rows.append(voter_row("已登记", born=date(1973, 3, 3), sequence=61))  # row 25: same number as row 24
    address = voter_row("反斜杠", born=date(1966, 6, 6), sequence=71)
    address[6] = "某村\\2号"  # a backslash typed in a cell
    rows.append(address)  # row 26
    path = write_xlsx(tmp_path / "batches.xlsx", {"名单": rows})

    ref = roll_for_election(election)
    with transaction.atomic():
        outcome = imports.import_roll_file(path, path.name, ref)
    counts = outcome.counts()
    assert counts["written"] == 20  # rows 3–21 and the backslash row
    assert counts["duplicates_in_file"] == 4 and counts["registered_elsewhere"] == 1
    names = set(Voter.objects.filter(region_id=election.region_id).values_list("name", flat=True))
    assert _name(0) not in names and "重复人" not in names and "外村人" not in names
    assert {_name(i) for i in range(1, 20)} <= names and "反斜杠" in names
    assert Voter.objects.filter(pk=on_roll.pk).exists()  # never taken back
    assert Voter.objects.get(name="反斜杠").address == "某村\\2号"
    imported = Voter.objects.get(name=_name(3))
    assert imported.id_hash == id_hash(imported_number := decrypt(imported.id_encrypted))
    assert imported.id_masked == imported_number[:6] + "********" + imported_number[-4:]
    assert decrypt(imported.phone_encrypted) == "13800000000" and imported.phone_masked == "138****0000"
    # the columns the same for the whole file (given once to the INSERT on PostgreSQL)
    assert (imported.cycle_id, imported.region_id, imported.roll) == (ref.cycle_id, ref.region_id, ref.roll)
    assert (imported.status, imported.struck_reason, imported.source) == ("registered", "", "import")
    assert imported.created_at is not None and imported.created_at == imported.updated_at
    assert Voter.objects.filter(region_id=neighbour.region_id).count() == 1


def test_jit_setting_is_put_back_after_the_write(small_batches, tmp_path, county_user, regions):
    """The writer turns PostgreSQL's JIT off for its own statements only: the rest of the caller's
    transaction runs with the setting it had."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    election = village_election(county_user, regions)
    rows = [HEADER] + [voter_row(_name(i), born=date(1950, 1, 1) + timedelta(days=40 * i)) for i in range(9)]
    path = write_xlsx(tmp_path / "jit.xlsx", {"名单": rows})
    ref = roll_for_election(election)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = on")
        assert imports.import_roll_file(path, path.name, ref).written == 9
        cursor.execute("SELECT current_setting('jit')")
        assert cursor.fetchone()[0] == "on"


def test_encrypt_many_opens_with_decrypt_and_never_repeats_a_nonce():
    sealed = encrypt_many(["630121198001010011", "", "13800000000"] * 50)
    assert (
        sealed[1] == "" and decrypt(sealed[0]) == "630121198001010011" and decrypt(sealed[2]) == "13800000000"
    )
    assert len({value for value in sealed if value}) == 100
