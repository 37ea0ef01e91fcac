"""The previous term's list: the Excel template, a bad row named with nothing saved, then the import, with
re-elected people matched by ID (the number itself never stored); party posts recorded by the township."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from election_admin.reporting.importing import COLUMNS
from election_admin.reporting.models import ElectedMember
from election_admin.reporting.selectors import member_statistics
from election_admin.reporting.services import party_posts_set

from .report_data import COMMUNITIES, TOWNSHIP, build_report

ID_A = "630121198005010015"  # valid checksum: 1980-05-01, a man


def _checked(body17: str) -> str:
    from voters.idnumber import check_char

    return body17 + check_char(body17)


def _workbook(tmp_path, rows):
    book = load_workbook(
        BytesIO(__import__("election_admin.reporting.importing", fromlist=["x"]).template_bytes())
    )
    sheet = book.worksheets[0]
    sheet.delete_rows(2)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "previous.xlsx"
    book.save(path)
    return path


def test_template_then_a_bad_row_then_the_import(county_user, regions, tmp_path):
    cycle = build_report(county_user, regions)
    template = tmp_path / "template.xlsx"
    call_command("statistics_import_previous", "--template", str(template))
    header = [c.value for c in load_workbook(template).worksheets[0][1]]
    assert header == [label for _key, label in COLUMNS]
    village = "630121100201"
    number = _checked("63012119800501001")
    good = [village, "村民委员会", "主任", "", "老主任", number, "", "汉族", None, "大专", "中共党员", "农民"]
    bad = [village, "村民委员会", "村长", "", "某某", number[:-1] + "0", "", "汉族", None, "大专", "群众", ""]
    path = _workbook(tmp_path, [good, bad])
    args = [
        "statistics_import_previous",
        "--cycle",
        str(cycle.pk),
        "--file",
        str(path),
        "--user",
        county_user.username,
    ]
    with pytest.raises(CommandError) as error:
        call_command(*args, "--election-day", "2021-05-20")
    assert "第 3 行" in str(error.value) and "职务“村长”无法识别" in str(error.value)
    before = ElectedMember.objects.filter(previous_of=cycle).count()
    path = _workbook(tmp_path, [good])
    call_command(*args, "--election-day", "2021-05-20")
    row = ElectedMember.objects.get(previous_of=cycle, region_id=village)
    assert (row.name, row.gender, row.age) == ("老主任", "male", 41)
    assert number not in row.id_hash and len(row.id_hash) == 64
    assert ElectedMember.objects.filter(previous_of=cycle).count() == before + 1
    assert AuditEvent.objects.filter(event_type="statistics.previous_imported").count() == 2


def test_import_refuses_villages_outside_the_area(county_user, neighbour_county_user, regions):
    cycle = build_report(county_user, regions)
    from election_admin.reporting.services import previous_members_import

    row = {
        "village_code": "630121100201",
        "body": "villagers_committee",
        "post": "chair",
        "party_post": "",
        "name": "某",
        "gender": "male",
        "birth_date": __import__("datetime").date(1970, 1, 1),
        "education": "college",
        "id_hash": "a" * 64,
    }
    with pytest.raises(ValidationError, match="不在您的管辖范围"):
        previous_members_import(
            actor=neighbour_county_user,
            cycle=cycle,
            rows=[row],
            election_day=__import__("datetime").date(2021, 5, 1),
        )


def test_township_records_party_posts(county_user, township_user, neighbour_township_user, regions, client):
    cycle = build_report(county_user, regions)
    from election_admin.models import Election

    election = Election.objects.get(cycle=cycle, region_id=COMMUNITIES[0], body="party_branch")
    members = list(ElectedMember.objects.filter(election=election).order_by("name"))
    secretary = next(m for m in members if m.party_post == "secretary")
    other = next(m for m in members if m.party_post != "secretary")
    with pytest.raises(ValidationError, match="只能有一名书记"):
        party_posts_set(actor=county_user, election=election, posts={other.pk: "secretary"})
    with pytest.raises(PermissionDenied):
        party_posts_set(
            actor=neighbour_township_user, election=election, posts={other.pk: "deputy_secretary"}
        )
    party_posts_set(
        actor=county_user, election=election, posts={secretary.pk: "member", other.pk: "secretary"}
    )
    other.refresh_from_db()
    assert other.party_post == "secretary"
    assert AuditEvent.objects.filter(event_type="statistics.party_posts_set").count() == 1
    stats = member_statistics(regions["630121"], cycle)
    assert stats["secretaries"]["count"] == 45
    # The page of the election's people elected: the county sees it and saves through the form.
    client.force_login(county_user)
    url = reverse("statistics_election_members", args=[election.pk])
    page = client.get(url)
    assert page.status_code == 200 and other.name in page.content.decode()
    response = client.post(
        url, {"action": "posts", f"post_{other.pk}": "deputy_secretary", f"post_{secretary.pk}": "secretary"}
    )
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.party_post == "secretary"
    client.force_login(township_user)
    assert client.get(url).status_code == 404  # the street is not 桥头镇's
    assert TOWNSHIP.startswith("630121")


def test_the_import_page(county_user, village_clerk, regions, client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    cycle = build_report(county_user, regions)
    url = reverse("statistics_previous_import", args=[cycle.pk])
    client.force_login(county_user)
    assert client.get(reverse("statistics_previous_template")).status_code == 200
    village = "630121100201"
    good = [
        village,
        "村民委员会",
        "主任",
        "",
        "老主任",
        _checked("63012119800501001"),
        "",
        "汉族",
        None,
        "大专",
        "中共党员",
        "",
    ]
    bad = [
        village,
        "党组织",
        "委员",
        "组长",
        "某某",
        _checked("63012119700101002"),
        "",
        "汉族",
        None,
        "大专",
        "群众",
        "",
    ]
    for rows, ok in (([good, bad], False), ([good], True)):
        path = _workbook(tmp_path, rows)
        upload = SimpleUploadedFile("list.xlsx", path.read_bytes())
        page = client.post(url, {"election_day": "2021-05-20", "file": upload}, follow=True)
        html = page.content.decode()
        if ok:
            assert (
                "老主任" not in html
                and ElectedMember.objects.filter(previous_of=cycle, name="老主任").exists()
            )
        else:
            assert "党内职务“组长”无法识别" in html, html[html.find("<main") : html.find("</main>")]
            assert not ElectedMember.objects.filter(previous_of=cycle, name="老主任").exists()
    client.force_login(village_clerk)
    upload = SimpleUploadedFile("list.xlsx", _workbook(tmp_path, [good]).read_bytes())
    assert client.post(url, {"election_day": "2021-05-20", "file": upload}).status_code == 403
