"""Roster import: CSV and XLSX files, all rows or none, the same rules on page, API and command."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citkit.core.models import AuditEntry, Job
from citkit.people import importing, services
from citkit.people.importing import validation, writing
from citkit.people.management.commands.import_roster import Command as ImportRosterCommand
from citkit.people.models import Person, PersonKind, PersonStatus, RosterUpload, Shift
from citkit.testing.factories import AgencyFactory, PersonFactory

pytestmark = pytest.mark.django_db

POLICE = "Riverbend Police Department"
HEADER = ["First name", "Last name", "Agency", "Badge #", "Shift", "Hire date", "E-mail", "Phone"]


def good_row(n: int, **changes) -> list[str]:
    row = {
        "First name": f"Pat{n}",
        "Last name": f"Officer{n:04d}",
        "Agency": POLICE,
        "Badge #": str(2000 + n),
        "Shift": "Night",
        "Hire date": "2019-03-15",
        "E-mail": f"pat{n}@riverbend.example",
        "Phone": "+1 573 555 0110",
    }
    row.update(changes)
    return [row[h] for h in HEADER]


def csv_bytes(rows, header=HEADER, delimiter=",", bom=False, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode(encoding) + out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as a pasted cell is
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def counts():
    return Person.objects.count(), AuditEntry.objects.count()


def refused(actor, program, filename, content, mapping=None) -> list[importing.Problem]:
    """Import that must fail and write nothing; returns the problems."""
    before = counts()
    with pytest.raises(importing.RosterImportError) as caught:
        importing.import_file(
            actor=actor, program=program, filename=filename, content=content, mapping=mapping
        )
    assert counts() == before
    return caught.value.problems


# --- Good files ---------------------------------------------------------------------------


def test_it_imports_a_csv_with_a_bom_and_semicolons(coordinator, program_a, police_a, clinic_a):
    content = csv_bytes(
        [
            good_row(1, Shift="night", **{"Hire date": "03/15/2019"}),
            good_row(2, Agency="riverbend police department", Shift="Evening"),
            good_row(3),
        ],
        delimiter=";",
        bom=True,
    )
    created = importing.import_file(
        actor=coordinator, program=program_a, filename="roster.csv", content=content
    )

    assert created == 3
    people = list(Person.objects.filter(program=program_a).order_by("last_name"))
    assert [p.last_name for p in people] == ["Officer0001", "Officer0002", "Officer0003"]
    first = people[0]
    assert first.first_name == "Pat1"  # the BOM is not part of the first header
    assert first.agency == police_a
    assert first.badge_number == "2001"
    assert first.shift == Shift.NIGHT
    assert first.hire_date == datetime.date(2019, 3, 15)
    assert first.kind == PersonKind.OFFICER
    assert first.status == PersonStatus.ACTIVE
    assert first.phone == "(573) 555-0110"  # written the program's way
    assert people[1].shift == Shift.EVENING
    for person in people:
        entry = AuditEntry.objects.get(object_id=str(person.pk), content_type__model="person")
        assert entry.action == "import"
        assert entry.actor == coordinator


def test_it_imports_an_xlsx_with_real_date_cells(coordinator, program_a, police_a, clinic_a):
    header = ["Surname", "First Name", "Department", "Badge No", "DOH", "Type", "Status"]
    rows = [
        ["Reyes", "Dana", POLICE, 1042, datetime.datetime(2018, 6, 1), "Officer", "active"],
        ["Lee", "Sam", clinic_a.name, None, datetime.date(2020, 1, 2), "clinician", "Inactive"],
        ["Park", "Jo", POLICE, "1043", "2021-09-30", "Peer specialist", ""],
    ]
    created = importing.import_file(
        actor=coordinator,
        program=program_a,
        filename="Roster.XLSX",
        content=xlsx_bytes(rows, header=header),
    )

    assert created == 3
    reyes = Person.objects.get(last_name="Reyes")
    assert reyes.badge_number == "1042"  # a number cell, without ".0"
    assert reyes.hire_date == datetime.date(2018, 6, 1)
    lee = Person.objects.get(last_name="Lee")
    assert (lee.kind, lee.status, lee.agency) == ("clinician", "inactive", clinic_a)
    assert lee.hire_date == datetime.date(2020, 1, 2)
    assert Person.objects.get(last_name="Park").kind == PersonKind.PEER
    assert AuditEntry.objects.filter(action="import").count() == 3


def test_it_guesses_the_columns_of_common_rosters():
    headers = ["Surname", "Given name", "Badge No.", "Department", "DOH", "E-Mail", "Notes"]
    assert importing.guess_mapping(headers) == {
        "Surname": "last_name",
        "Given name": "first_name",
        "Badge No.": "badge_number",
        "Department": "agency",
        "DOH": "hire_date",
        "E-Mail": "email",
        "Notes": "",
    }
    assert importing.guess_mapping(["Last Name", "Badge #", "Agency", "Hire Date"]) == {
        "Last Name": "last_name",
        "Badge #": "badge_number",
        "Agency": "agency",
        "Hire Date": "hire_date",
    }


# --- Bad files: nothing is written, and the message says where --------------------------


BAD_FILES = {
    "empty file": ("roster.csv", b"", "The file is empty"),
    "header only": ("roster.csv", csv_bytes([]), "no rows of people"),
    "cp1252 text": (
        "roster.csv",
        "First name,Last name,Agency,Badge #\r\nRené,Dubé,X,1\r\n".encode("cp1252"),
        "not UTF-8 text. In Excel, save it as 'CSV UTF-8'",
    ),
    "UTF-16 text": (
        "roster.csv",
        "First name,Last name,Agency,Badge #\r\nRené,Dubé,X,1\r\n".encode("utf-16"),
        "not UTF-8 text",
    ),
    "PNG named .csv": (
        "roster.csv",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40,
        "PNG image",
    ),
    "PDF": ("roster.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF document"),
    "other extension": ("roster.docx", b"First name,Last name\nA,B\n", "Only CSV (.csv) and Excel"),
    "corrupt xlsx": ("roster.xlsx", b"PK\x03\x04" + b"\x13garbage" * 50, "could not be read"),
    "text named xlsx": ("roster.xlsx", csv_bytes([good_row(1)]), "could not be read"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_it_refuses_an_unreadable_file(case, coordinator, program_a, police_a):
    filename, content, expected = BAD_FILES[case]
    problems = refused(coordinator, program_a, filename, content)
    assert len(problems) == 1
    assert expected in problems[0].message


BAD_ROWS = {
    # case: (changes to row 4, expected column, expected message)
    "duplicate badge within the file": (
        {"Badge #": "2002"},
        "Badge #",
        "badge number 2002 is already used on row 3",
    ),
    "unknown agency": (
        {"Agency": "Riverbend PD"},
        "Agency",
        'no partner agency named "Riverbend PD" in this program',
    ),
    "bad date": ({"Hire date": "13/45/2020"}, "Hire date", '"13/45/2020" is not a date'),
    "future hire date": ({"Hire date": "2999-01-01"}, "Hire date", "is in the future"),
    "formula": (
        {"Last name": '=HYPERLINK("http://evil.example","x")'},
        "Last name",
        'looks like a spreadsheet formula ("=HYPERLINK(',
    ),
    "formula in the phone column": (
        {"Phone": "+SUM(A1:A9)"},
        "Phone",
        "looks like a spreadsheet formula",
    ),
    "negative number": ({"Badge #": "-5"}, "Badge #", "looks like a spreadsheet formula"),
    "unknown shift": ({"Shift": "Graveyard"}, "Shift", '"Graveyard" is not a shift'),
    "missing last name": ({"Last name": "  "}, "Last name", "the last name is missing"),
    "missing badge of an officer": ({"Badge #": ""}, "Badge #", "an officer needs a badge"),
    "too-long value": ({"First name": "x" * 101}, "First name", "is 101 characters long"),
    "bad e-mail": ({"E-mail": "dana@"}, "E-mail", '"dana@" is not an e-mail address'),
    "not a phone": ({"Phone": "call the desk"}, "Phone", '"call the desk" is not a phone number'),
}


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
@pytest.mark.parametrize("filename", ["roster.csv", "roster.xlsx"])
def test_one_bad_row_stops_the_whole_import(case, filename, coordinator, program_a, police_a):
    changes, column, expected = BAD_ROWS[case]
    rows = [good_row(1), good_row(2), good_row(3, **changes), good_row(4)]
    content = xlsx_bytes(rows) if filename.endswith("xlsx") else csv_bytes(rows)

    problems = refused(coordinator, program_a, filename, content)

    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.row, problem.column) == (4, column)  # the header is row 1
    assert expected in problem.message
    assert str(problem).startswith(f'Row 4, column "{column}": ')


def test_it_names_the_person_who_already_has_the_badge(coordinator, program_a, police_a):
    PersonFactory(
        program=program_a,
        agency=police_a,
        first_name="Dana",
        last_name="Reyes",
        badge_number="1042",
    )
    content = csv_bytes([good_row(1), good_row(2, **{"Badge #": "1042"})])

    [problem] = refused(coordinator, program_a, "roster.csv", content)

    assert str(problem) == (
        'Row 3, column "Badge #": badge number 1042 already belongs to Dana Reyes '
        "(Riverbend Police Department)"
    )


def test_the_same_badge_in_another_agency_is_fine(coordinator, program_a, police_a):
    sheriff = AgencyFactory(program=program_a, name="Riverbend Sheriff")
    PersonFactory(program=program_a, agency=sheriff, badge_number="9999")
    rows = [
        good_row(1, **{"Badge #": "9999"}),
        good_row(2, **{"Badge #": "5000"}),
        good_row(3, Agency=sheriff.name, **{"Badge #": "5000"}),
    ]

    created = importing.import_file(
        actor=coordinator, program=program_a, filename="roster.csv", content=csv_bytes(rows)
    )

    assert created == 3
    assert Person.objects.filter(badge_number="9999").count() == 2
    assert Person.objects.filter(badge_number="5000").count() == 2


def test_it_refuses_a_file_without_a_required_column(coordinator, program_a, police_a):
    header = [h for h in HEADER if h != "Agency"]
    row = dict(zip(HEADER, good_row(1), strict=True))
    content = csv_bytes([[row[h] for h in header]], header)

    [problem] = refused(coordinator, program_a, "roster.csv", content)

    assert problem.row is None
    assert problem.message.startswith("No column is matched to Agency")


def test_a_mapping_can_ignore_a_column_or_name_an_unguessed_one(coordinator, program_a, police_a):
    header = ["Given", "Last name", "Agency", "Badge #", "Notes"]
    content = csv_bytes([["Ann", "Ames", POLICE, "77", "=not imported"]], header)
    mapping = {"given": "first_name", "Notes": ""}

    assert importing.import_file(
        actor=coordinator, program=program_a, filename="r.csv", content=content, mapping=mapping
    )
    assert Person.objects.get(badge_number="77").first_name == "Ann"


def test_it_refuses_a_mapping_to_an_unknown_field_or_column(coordinator, program_a, police_a):
    content = csv_bytes([good_row(1)])
    problems = refused(
        coordinator, program_a, "r.csv", content, mapping={"Shift": "watch", "Nope": "rank"}
    )
    assert [(p.column, p.message[:20]) for p in problems] == [
        ("Shift", '"watch" is not a fie'),
        ("Nope", "there is no column w"),
    ]


def test_an_agency_administrator_imports_only_their_own_agency(
    members, program_a, police_a, clinic_a
):
    admin = members["agency_admin"]
    content = csv_bytes([good_row(1), good_row(2, Agency=clinic_a.name)])

    [problem] = refused(admin, program_a, "roster.csv", content)

    assert str(problem) == (
        'Row 3, column "Agency": you may only import people of your own agency '
        "(Riverbend Police Department)"
    )
    assert importing.import_file(
        actor=admin, program=program_a, filename="roster.csv", content=csv_bytes([good_row(1)])
    )
    assert Person.objects.get(badge_number="2001").agency == police_a


def test_it_lists_every_bad_row_at_once(coordinator, program_a, police_a):
    rows = [good_row(1, Agency="Nope"), good_row(2), good_row(3, Shift="Graveyard")]
    problems = refused(coordinator, program_a, "roster.csv", csv_bytes(rows))
    assert [(p.row, p.column) for p in problems] == [(2, "Agency"), (4, "Shift")]


@pytest.mark.parametrize("as_it_checks", [False, True], ids=["two passes", "one pass"])
def test_a_failure_while_writing_rolls_everything_back(
    as_it_checks, coordinator, program_a, police_a, monkeypatch
):
    monkeypatch.setattr(validation, "CHUNK_ROWS", 2)
    monkeypatch.setattr(importing, "_writes_as_it_checks", lambda: as_it_checks)
    real_write = writing.RosterWriter.write
    calls = []

    def failing_write(self, people, **kwargs):
        calls.append(len(people))
        if len(calls) == 2:
            raise PermissionDenied("Simulated failure after two people were saved.")
        return real_write(self, people, **kwargs)

    monkeypatch.setattr(writing.RosterWriter, "write", failing_write)
    before = counts()
    with pytest.raises(PermissionDenied):
        importing.import_file(
            actor=coordinator,
            program=program_a,
            filename="roster.csv",
            content=csv_bytes([good_row(n) for n in range(1, 6)]),
        )
    assert calls == [2, 2]
    assert counts() == before


def test_a_csv_row_with_fewer_cells_than_the_header_is_refused_by_its_number(
    coordinator, program_a, police_a
):
    short = good_row(2)[:4]  # a separator lost: the values no longer sit under their headers
    rows = [good_row(1), short, good_row(3), good_row(4, Shift="Graveyard")]

    problems = refused(coordinator, program_a, "roster.csv", csv_bytes(rows))

    assert [str(p) for p in problems] == [
        "Row 3: the row has 4 cells but the header has 8",
        'Row 5, column "Shift": "Graveyard" is not a shift; use one of: '
        "Day, Evening, Night, Rotating",
    ]


def test_a_spreadsheet_row_with_empty_last_cells_is_not_short(coordinator, program_a, police_a):
    row = good_row(1)[:4]  # first name, last name, agency, badge; the rest left empty
    created = importing.import_file(
        actor=coordinator, program=program_a, filename="roster.xlsx", content=xlsx_bytes([row])
    )
    assert created == 1


def test_a_badge_saved_between_checking_and_writing_is_reported_on_its_row(
    coordinator, program_a, police_a, monkeypatch
):
    # Two passes (SQLite): another page saves badge 2002 after this file was checked
    # but before its rows are written. The writing asks again, and names the row.
    monkeypatch.setattr(importing, "_writes_as_it_checks", lambda: False)
    real_check = validation.RosterChecker.check_chunk

    def check_then_someone_saves(self, rows):
        people = real_check(self, rows)
        PersonFactory(program=program_a, agency=police_a, badge_number="2002")
        return people

    monkeypatch.setattr(validation.RosterChecker, "check_chunk", check_then_someone_saves)

    with pytest.raises(importing.RosterImportError) as caught:
        importing.import_file(
            actor=coordinator,
            program=program_a,
            filename="roster.csv",
            content=csv_bytes([good_row(1), good_row(2)]),
        )

    assert [(p.row, p.column, p.message) for p in caught.value.problems] == [
        (3, "Badge #", services.BADGE_TAKEN)
    ]
    assert list(Person.objects.values_list("badge_number", flat=True)) == ["2002"]
    assert not AuditEntry.objects.filter(action="import").exists()


def test_a_badge_the_table_refuses_at_the_last_moment_writes_nothing(
    coordinator, program_a, police_a, monkeypatch
):
    # Saved in the instant after the last check: the table's unique rule refuses the
    # insert, and the import says so instead of failing with a server error.
    monkeypatch.setattr(validation.RosterChecker, "check_badges", lambda self, checked: None)
    monkeypatch.setattr(writing, "_refuse_badges_taken_meanwhile", lambda *args: None)
    PersonFactory(program=program_a, agency=police_a, badge_number="2002")

    [problem] = refused(coordinator, program_a, "roster.csv", csv_bytes([good_row(1), good_row(2)]))

    assert problem.message.startswith("A person in the file clashes with a record saved")


def test_there_is_no_row_limit_only_a_size_limit(coordinator, program_a, police_a, settings):
    rows = [good_row(n) for n in range(1, 5102)]  # more than the old limit of 5,000
    content = csv_bytes(rows)
    settings.CITKIT_IMPORT_MAX_BYTES = len(content)

    created = importing.import_file(
        actor=coordinator, program=program_a, filename="roster.csv", content=content, dry_run=True
    )

    assert created == 5101
    settings.CITKIT_IMPORT_MAX_BYTES = len(content) - 1
    [problem] = refused(coordinator, program_a, "roster.csv", content)
    assert problem.message.startswith("The file is 0.5 MB; the limit is 0.5 MB.")


def test_it_refuses_a_file_over_the_size_limit(coordinator, program_a, police_a, settings):
    settings.CITKIT_IMPORT_MAX_BYTES = 100
    [problem] = refused(coordinator, program_a, "roster.csv", csv_bytes([good_row(1)] * 3))
    assert "the limit is" in problem.message


# --- Cost -------------------------------------------------------------------------------


def test_validation_takes_the_same_queries_for_10_and_200_rows(coordinator, program_a, police_a):
    AgencyFactory(program=program_a, name="Riverbend Sheriff")
    PersonFactory.create_batch(5, program=program_a, agency=police_a)

    def queries_for(rows: int) -> int:
        actor = get_user_model().objects.get(pk=coordinator.pk)  # no cached membership
        roster = importing.read_roster(
            "roster.csv", csv_bytes([good_row(n) for n in range(1, rows + 1)])
        )
        with CaptureQueriesContext(connection) as queries:
            assert (
                importing.import_roster(actor=actor, program=program_a, roster=roster, dry_run=True)
                == rows
            )
        return len(queries)

    small, large = queries_for(10), queries_for(200)
    assert small == large
    assert small <= 3  # membership, agencies, badges in use


# --- Page ---------------------------------------------------------------------------------


def upload(client, content, name="roster.csv"):
    return client.post("/p/riverbend/people/import/", {"file": SimpleUploadedFile(name, content)})


def test_the_page_imports_after_upload_and_column_matching(
    client_for, coordinator, program_a, police_a
):
    client = client_for(coordinator)
    header = ["Given", "Surname", "Department", "Badge #"]
    rows = [
        ["Ann", "Ames", POLICE, "11"],
        ["Bo", "Burns", POLICE, "12"],
        ["Cy", "Cole", POLICE, "13"],
    ]

    response = upload(client, csv_bytes(rows, header))
    stored = RosterUpload.objects.get(uploaded_by=coordinator)
    assert response.status_code == 302
    assert response.url == f"/p/riverbend/people/import/{stored.pk}/"

    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_column_1">Surname</label>' in html
    assert '<option value="last_name" selected>' in html  # guessed for "Surname"
    assert "<td>Burns</td>" in html  # the preview

    response = client.post(
        f"/p/riverbend/people/import/{stored.pk}/",
        {
            "column_0": "first_name",
            "column_1": "last_name",
            "column_2": "agency",
            "column_3": "badge_number",
            "import": "",
        },
        follow=True,
    )
    job = Job.objects.get(kind="people.roster_import")
    assert [url for url, _ in response.redirect_chain] == [
        f"/p/riverbend/jobs/{job.pk}/",  # the progress bar, while it runs
        f"/p/riverbend/people/import/result/{job.pk}/",
        "/p/riverbend/people/",
    ]
    assert "Imported 3 people from roster.csv." in response.content.decode()
    assert job.result == {"created": 3}
    assert job.content is None  # the job keeps no copy of the roster
    assert Person.objects.get(badge_number="11").first_name == "Ann"
    assert not RosterUpload.objects.exists()
    entries = AuditEntry.objects.filter(action="import")
    assert entries.count() == 3
    assert {e.source for e in entries} == {"page"}


def test_the_page_shows_a_table_of_problems_and_imports_nothing(
    client_for, coordinator, program_a, police_a
):
    client = client_for(coordinator)
    upload(client, csv_bytes([good_row(1), good_row(2, Agency="Riverbend PD")]))
    stored = RosterUpload.objects.get()
    mapping = {f"column_{i}": f for i, f in enumerate(importing.guess_mapping(HEADER).values())}

    before = counts()
    response = client.post(f"/p/riverbend/people/import/{stored.pk}/", mapping, follow=True)

    assert response.redirect_chain[-1][0].startswith("/p/riverbend/people/import/result/")
    assert response.status_code == 200
    assert counts() == before
    html = response.content.decode()
    assert "Nothing was imported: 1 problem" in html
    assert (
        "<tr><td>3</td><td>Agency</td><td>no partner agency named &quot;Riverbend PD&quot; "
        "in this program</td></tr>"
    ) in html
    assert RosterUpload.objects.filter(pk=stored.pk).exists()  # so the matching can be changed


def test_the_page_refuses_two_columns_matched_to_one_field(
    client_for, coordinator, program_a, police_a
):
    client = client_for(coordinator)
    upload(client, csv_bytes([good_row(1)]))
    stored = RosterUpload.objects.get()
    mapping = {f"column_{i}": f for i, f in enumerate(importing.guess_mapping(HEADER).values())}
    mapping["column_0"] = "last_name"  # "First name" too

    response = client.post(f"/p/riverbend/people/import/{stored.pk}/", mapping)

    assert response.status_code == 400
    html = response.content.decode()
    assert "&quot;First name&quot; and &quot;Last name&quot; are both matched to Last name" in html
    assert "No column is matched to First name" in html
    assert not Person.objects.exists()


def test_the_page_names_a_short_row_and_imports_nothing(
    client_for, coordinator, program_a, police_a
):
    client = client_for(coordinator)
    upload(client, csv_bytes([good_row(1), good_row(2)[:5]]))
    stored = RosterUpload.objects.get()
    mapping = {f"column_{i}": f for i, f in enumerate(importing.guess_mapping(HEADER).values())}

    response = client.post(f"/p/riverbend/people/import/{stored.pk}/", mapping, follow=True)

    assert response.status_code == 200
    assert not Person.objects.exists()
    assert (
        "<tr><td>3</td><td>—</td><td>the row has 5 cells but the header has 8</td></tr>"
        in response.content.decode()
    )


def test_the_page_can_check_without_importing(client_for, coordinator, program_a, police_a):
    client = client_for(coordinator)
    upload(client, csv_bytes([good_row(1), good_row(2)]))
    stored = RosterUpload.objects.get()
    mapping = {f"column_{i}": f for i, f in enumerate(importing.guess_mapping(HEADER).values())}

    response = client.post(
        f"/p/riverbend/people/import/{stored.pk}/", {**mapping, "check": ""}, follow=True
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "All 2 rows can be imported. Nothing has been saved yet." in html
    assert '<option value="first_name" selected>' in html  # the matching, kept for the import
    assert not Person.objects.exists()
    assert RosterUpload.objects.filter(pk=stored.pk).exists()


def test_the_upload_page_refuses_a_file_that_is_not_a_roster(
    client_for, coordinator, program_a, police_a
):
    response = upload(client_for(coordinator), b"%PDF-1.4 binary", name="roster.csv")
    assert response.status_code == 400
    assert "The file is a PDF document" in response.content.decode()
    assert not RosterUpload.objects.exists()


def test_an_upload_clears_away_uploads_abandoned_for_a_day(
    client_for, members, outsider, program_a, program_b, police_a
):
    def waiting(program, user, hours_old: int) -> RosterUpload:
        stored = RosterUpload.objects.create(
            program=program, uploaded_by=user, filename="old.csv", content=b"x"
        )
        created_at = timezone.now() - datetime.timedelta(hours=hours_old)
        RosterUpload.objects.filter(pk=stored.pk).update(created_at=created_at)
        return stored

    abandoned = waiting(program_b, outsider, 25)  # another program, another person
    in_progress = waiting(program_a, members["agency_admin"], 23)
    replaced = waiting(program_a, members["coordinator"], 1)

    response = upload(client_for(members["coordinator"]), csv_bytes([good_row(1)]))

    assert response.status_code == 302
    new = RosterUpload.objects.get(uploaded_by=members["coordinator"])
    assert set(RosterUpload.objects.values_list("pk", flat=True)) == {in_progress.pk, new.pk}
    assert new.pk not in (abandoned.pk, replaced.pk)


def test_an_upload_is_not_found_by_another_user(client_for, members, program_a):
    stored = RosterUpload.objects.create(
        program=program_a,
        uploaded_by=members["coordinator"],
        filename="r.csv",
        content=csv_bytes([good_row(1)]),
    )
    response = client_for(members["agency_admin"]).get(f"/p/riverbend/people/import/{stored.pk}/")
    assert response.status_code == 404
    response = client_for(members["coordinator"]).get(f"/p/riverbend/people/import/{stored.pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/p/riverbend/people/import/", "/p/riverbend/people/import/1/"])
def test_the_import_pages_refuse_an_officer_and_hide_from_an_outsider(
    url, client_for, officer, outsider, program_a
):
    assert client_for(officer).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404


def test_the_import_page_is_open_to_an_agency_administrator(client_for, members, program_a):
    response = client_for(members["agency_admin"]).get("/p/riverbend/people/import/")
    assert response.status_code == 200
    assert "You can import people of <strong>Riverbend Police Department</strong>" in (
        response.content.decode()
    )


# --- API ----------------------------------------------------------------------------------

API_URL = "/api/programs/riverbend/people/import/"


def api_import(client, content, name="roster.csv", **fields):
    return client.post(
        API_URL, {"file": SimpleUploadedFile(name, content), **fields}, format="multipart"
    )


def accepted_job(response) -> dict:
    """The job of a 202 answer, as its Location shows it."""
    assert response.status_code == 202, response.content
    body = response.json()
    assert response["Location"] == f"/api/programs/riverbend/jobs/{body['id']}/"
    assert body["kind"] == "people.roster_import"
    return body


def test_the_api_imports_a_file_as_a_job(api_for, coordinator, program_a, police_a):
    client = api_for(coordinator)
    response = api_import(client, csv_bytes([good_row(1), good_row(2)]))

    job = accepted_job(response)
    polled = client.get(response["Location"]).json()
    assert (polled["status"], polled["result"]) == ("succeeded", {"created": 2})
    assert polled["progress"]["written"] == 2
    assert {e.source for e in AuditEntry.objects.filter(action="import")} == {"api"}
    assert job["id"] == polled["id"]


def test_the_api_job_fails_with_every_problem(api_for, coordinator, program_a, police_a):
    rows = [good_row(1), good_row(2, **{"Badge #": "2001"}), good_row(3, Shift="Graveyard")]
    before = counts()
    job = accepted_job(api_import(api_for(coordinator), csv_bytes(rows)))
    assert job["status"] == "failed"
    assert job["error"] == "Nothing was imported: 2 problems in the file."
    assert job["result"]["errors"] == [
        {"row": 3, "column": "Badge #", "message": "badge number 2001 is already used on row 2"},
        {
            "row": 4,
            "column": "Shift",
            "message": '"Graveyard" is not a shift; use one of: Day, Evening, Night, Rotating',
        },
    ]
    assert job["progress"]["errors"] == 2
    assert counts() == before


def test_the_api_job_names_a_short_row(api_for, coordinator, program_a, police_a):
    job = accepted_job(api_import(api_for(coordinator), csv_bytes([good_row(1)[:2]])))
    assert job["result"]["errors"] == [
        {"row": 2, "column": "", "message": "the row has 2 cells but the header has 8"}
    ]
    assert not Person.objects.exists()


def test_the_api_takes_a_mapping_and_a_dry_run(api_for, coordinator, program_a, police_a):
    header = ["Given", "Last name", "Agency", "Badge #"]
    content = csv_bytes([["Ann", "Ames", POLICE, "11"]], header)
    client = api_for(coordinator)

    response = api_import(
        client, content, mapping=json.dumps({"Given": "first_name"}), dry_run="true"
    )
    assert accepted_job(response)["result"] == {"created": 0, "would_create": 1}
    assert not Person.objects.exists()

    response = api_import(client, content, mapping=json.dumps({"Given": "first_name"}))
    assert accepted_job(response)["result"] == {"created": 1}
    assert Person.objects.get().first_name == "Ann"


def test_the_api_refuses_a_file_or_mapping_it_cannot_use_at_once(
    api_for, coordinator, program_a, police_a
):
    client = api_for(coordinator)
    response = api_import(client, b"%PDF-1.4 binary", name="roster.csv")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "row": None,
                "column": "",
                "message": "The file is a PDF document, not a CSV or Excel roster.",
            }
        ]
    }
    response = api_import(client, csv_bytes([good_row(1)]), mapping=json.dumps({"Shift": "x"}))
    assert response.status_code == 400
    assert response.json()["errors"][0]["column"] == "Shift"
    assert not Job.objects.exists()  # nothing was queued


def test_the_api_explains_a_missing_file_and_a_bad_mapping(api_for, coordinator, program_a):
    client = api_for(coordinator)
    response = client.post(API_URL, {"mapping": "[1, 2]"}, format="multipart")
    assert response.status_code == 400
    messages = [e["message"] for e in response.json()["errors"]]
    assert any(m.startswith("file:") for m in messages)
    assert any(m.startswith("mapping: Give a JSON object") for m in messages)


def test_the_api_refuses_an_officer_and_hides_from_an_outsider(
    api_for, officer, outsider, program_a, police_a
):
    content = csv_bytes([good_row(1)])
    assert api_import(api_for(officer), content).status_code == 403
    assert api_import(api_for(outsider), content).status_code == 404
    assert Person.objects.count() == 1  # the officer's own record only


# --- Command ------------------------------------------------------------------------------


def test_the_command_imports_a_file_as_a_user(tmp_path, coordinator, program_a, police_a):
    path = tmp_path / "roster.xlsx"
    header = ["Given", "Last name", "Agency", "Badge #"]
    path.write_bytes(xlsx_bytes([["Ann", "Ames", POLICE, 11], ["Bo", "Burns", POLICE, 12]], header))
    out = io.StringIO()

    call_command(
        "import_roster",
        str(path),
        "--program=riverbend",
        "--as=coordinator_a",
        "--map=Given=first_name",
        stdout=out,
    )

    assert "Imported 2 people from roster.xlsx." in out.getvalue()
    entries = AuditEntry.objects.filter(action="import")
    assert entries.count() == 2
    assert {(e.source, e.actor_label) for e in entries} == {
        ("command", "command import_roster (coordinator_a)")
    }


def test_the_command_exits_non_zero_and_writes_nothing_on_a_bad_file(
    tmp_path, coordinator, program_a, police_a, monkeypatch, capsys
):
    # run_from_argv is what manage.py runs; it closes connections, which the test still needs.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes([good_row(1), good_row(2, Agency="Riverbend PD")]))
    before = counts()

    with pytest.raises(SystemExit) as exited:
        ImportRosterCommand().run_from_argv(
            [
                "manage.py",
                "import_roster",
                "--program",
                "riverbend",
                "--as",
                "coordinator_a",
                str(path),
            ]
        )

    assert exited.value.code != 0
    assert counts() == before
    err = capsys.readouterr().err
    assert 'Row 3, column "Agency": no partner agency named "Riverbend PD" in this program' in err
    assert "Nothing was imported: 1 problem in roster.csv." in err


def test_the_command_dry_run_writes_nothing(tmp_path, coordinator, program_a, police_a):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes([good_row(1)]))
    out = io.StringIO()
    call_command(
        "import_roster",
        str(path),
        "--program=riverbend",
        "--as=coordinator_a",
        "--dry-run",
        stdout=out,
    )
    assert "All 1 rows of roster.csv can be imported" in out.getvalue()
    assert not Person.objects.exists()


def test_the_command_applies_the_users_permissions(tmp_path, officer, outsider, program_a):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes([good_row(1)]))
    with pytest.raises(CommandError, match="officer_a may not import people"):
        call_command("import_roster", str(path), "--program=riverbend", "--as=officer_a")
    with pytest.raises(CommandError, match="outsider_b is not a member of riverbend"):
        call_command("import_roster", str(path), "--program=riverbend", "--as=outsider_b")
    assert Person.objects.count() == 1  # the officer's own record only
