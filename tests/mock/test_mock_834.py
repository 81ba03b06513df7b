"""Manage Batch Files and the 834 (X12 005010X220A1) that confirms a plan's disenrollments, on
the frozen fixture (today 2026-03-15): each file validated with pyx12 and read back; and the
test generator's late, missing and foreign terminations."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import urllib.request

import pytest
import pyx12.params
import pyx12.x12file
import pyx12.x12n_document

from mock_portal import menu, x12_834
from mock_portal.x12_834 import Termination, build_834
from tests.mock.conftest import (
    BATCH_FILE_DOWNLOAD,
    BATCH_FILES,
    FROZEN,
    advance,
    disenroll,
    mock_834,
    mock_call,
)
from tests.mock.portal_client import PortalClient

CCA, TUFTS, UHC = "110000000A", "110000005A", "110000006A"
NOT_AUTHORIZED = "You are not authorized to act for the Provider ID entered."


def validate(text: str) -> tuple[bool, str]:
    """pyx12's verdict on an X12 document (map 834.5010.X220.A1, chosen by GS08), and its
    999 acknowledgment and JSON error report (what to read when it says False)."""
    fd_997, fd_html, fd_json = io.StringIO(), io.StringIO(), io.StringIO()
    valid = pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO(text),
                                              fd_997, fd_html, None, fd_json)
    return valid, fd_997.getvalue() + fd_json.getvalue()


def segments(text: str) -> list:
    return list(pyx12.x12file.X12Reader(io.StringIO(text)))


def read_834(text: str) -> dict:
    """The file read back through pyx12's reader: its payer (1000B), its sponsor (1000A), its
    BGN date, and one dict per member loop (2000 with its 2100A name)."""
    found: dict = {"terminations": []}
    for seg in segments(text):
        kind = seg.get_seg_id()
        if kind == "N1" and seg.get_value("N101") == "IN":
            found["payer"] = [seg.get_value(f"N10{i}") for i in (2, 3, 4)]
        elif kind == "N1" and seg.get_value("N101") == "P5":
            found["sponsor"] = [seg.get_value(f"N10{i}") for i in (2, 3, 4)]
        elif kind == "BGN":
            found["created"] = seg.get_value("BGN03")
        elif kind == "INS":
            found["terminations"].append({"ins": [seg.get_value(f"INS0{i}") for i in range(1, 6)]})
        elif kind == "REF" and seg.get_value("REF01") == "0F":
            found["terminations"][-1]["subscriber"] = seg.get_value("REF02")
        elif kind == "DTP" and seg.get_value("DTP01") == "357":
            found["terminations"][-1]["end"] = (seg.get_value("DTP02"), seg.get_value("DTP03"))
        elif kind == "NM1" and seg.get_value("NM101") == "IL":
            found["terminations"][-1].update(
                name=(seg.get_value("NM103"), seg.get_value("NM104")),
                id=(seg.get_value("NM108"), seg.get_value("NM109")))
    return found


def ended(text: str) -> dict[str, str]:
    """Member ID (REF*0F) -> eligibility end date (DTP*357)."""
    return {t["subscriber"]: t["end"][1] for t in read_834(text)["terminations"]}


def download(client: PortalClient, href: str) -> tuple[int, dict, str]:
    """A link followed with the client's session, the answer's headers kept."""
    with client.opener.open(urllib.request.Request(client.url(href)), timeout=10) as response:
        return (response.status, {k.lower(): v for k, v in response.headers.items()},
                response.read().decode("ascii"))


@pytest.fixture
def tufts(frozen) -> PortalClient:
    client = PortalClient.of(frozen)
    client.login("qa.tufts", "Tufts-Passw0rd!")
    return client


# --- the portal's file -------------------------------------------------------------------


def test_the_834_holds_one_termination_per_disenrollment_of_that_plan(qa, tufts, frozen):
    disenroll(qa, "200000000001", "RIVERA", "ANA", reason="Member request")
    disenroll(qa, "200000000002", "O'BRIEN", "SEAN", reason="Death")
    disenroll(qa, "200000000008", "DE LA CRUZ", "MARIA", reason="Moved out of the service area")
    disenroll(tufts, "200000000004", "MURPHY", "KATE", provider_id=TUFTS)

    text = mock_834(frozen, CCA, "2026-03")

    valid, report = validate(text)
    assert valid, report
    read = read_834(text)
    assert read["payer"] == ["COMMONWEALTH CARE ALLIANCE ONE CARE", "94", CCA]
    assert read["sponsor"] == ["MASSHEALTH", "FI", "999000834"]
    assert read["created"] == "20260315"
    assert read["terminations"] == [
        {"ins": ["Y", "18", "024", "14", "A"], "subscriber": "200000000001",
         "end": ("D8", "20260331"), "name": ("RIVERA", "ANA"), "id": ("ZZ", "200000000001")},
        {"ins": ["Y", "18", "024", "03", "A"], "subscriber": "200000000002",
         "end": ("D8", "20260331"), "name": ("O'BRIEN", "SEAN"), "id": ("ZZ", "200000000002")},
        {"ins": ["Y", "18", "024", "43", "A"], "subscriber": "200000000008",
         "end": ("D8", "20260331"), "name": ("DE LA CRUZ", "MARIA"),
         "id": ("ZZ", "200000000008")},
    ]
    tufts_file = mock_834(frozen, TUFTS, "2026-03")
    assert validate(tufts_file)[0]
    assert ended(tufts_file) == {"200000000004": "20260331"}


def test_the_file_is_one_segment_a_line_with_its_envelope(qa, frozen):
    disenroll(qa, "200000000001", "RIVERA", "ANA")

    lines = mock_834(frozen, CCA, "2026-03").splitlines()

    assert all(line.endswith("~") and line.count("~") == 1 for line in lines)
    assert [line.split("*")[0] for line in lines] == [
        "ISA", "GS", "ST", "BGN", "N1", "N1", "INS", "REF", "DTP", "NM1", "SE", "GE", "IEA"]
    assert lines[0].split("*")[12:16] == ["00501", "202603001", "0", "P"]
    assert lines[1] == "GS*BE*MASSHEALTH*110000000A*20260315*0000*202603001*X*005010X220A1~"
    assert lines[2] == "ST*834*0001*005010X220A1~"
    assert lines[-3:] == ["SE*9*0001~", "GE*1*202603001~", "IEA*1*202603001~"]


def test_a_member_disenrolled_twice_is_terminated_once(qa, frozen):
    disenroll(qa, "200000000001", "RIVERA", "ANA")
    disenroll(qa, "200000000001", "RIVERA", "ANA")

    assert len(frozen.transactions()) == 2
    assert ended(mock_834(frozen, CCA, "2026-03")) == {"200000000001": "20260331"}


def test_each_month_has_its_own_file_dated_by_the_portals_clock(qa, frozen):
    disenroll(qa, "200000000001", "RIVERA", "ANA")
    advance(frozen, 17)  # 2026-04-01
    disenroll(qa, "200000000002", "O'BRIEN", "SEAN")

    march, april = mock_834(frozen, CCA, "2026-03"), mock_834(frozen, CCA, "2026-04")

    assert validate(march)[0] and validate(april)[0]
    assert ended(march) == {"200000000001": "20260331"}
    assert ended(april) == {"200000000002": "20260430"}
    assert read_834(april)["created"] == "20260401"
    assert "*202604001*" in april.splitlines()[0]


@pytest.mark.parametrize(("query", "status"), [
    ("plan=110000000A&month=2026-02", 404),  # no disenrollment takes effect then
    ("plan=110000006A&month=2026-03", 404),  # a plan nobody disenrolled from
    ("plan=110000001A&month=2026-03", 404),  # not a One Care plan
    ("plan=110000000A&month=2026-13", 400),
    ("plan=110000000A&month=03/2026", 400),
    ("plan=110000000A", 400),
])
def test_the_inspection_endpoint_refuses_what_has_no_file(qa, frozen, query, status):
    disenroll(qa, "200000000001", "RIVERA", "ANA")

    answered, headers, body = mock_call(frozen, f"/_mock/834?{query}")

    assert answered == status
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["error"]


# --- Manage Batch Files ------------------------------------------------------------------


def test_the_menu_item_leads_to_the_plans_files(qa):
    assert qa.get(menu.HOME).link("Manage Batch Files") == BATCH_FILES

    page = qa.get(f"{menu.BASE}/ManageBatchFiles.jsf")  # the menu path's own address

    assert qa.path() == BATCH_FILES
    assert page.h1 == "Manage Batch Files" and page.panels == ["Manage Batch Files"]
    assert page.texts("th") == ["Provider ID", "Plan Name", "Month", "Terminations", "File"]
    # No disenrollment yet: the current month, without a file.
    assert page.texts("td") == [CCA, "COMMONWEALTH CARE ALLIANCE ONE CARE", "03/2026", "0",
                                "No file"]
    assert not page.has_link("834")


def test_the_panel_lists_and_downloads_the_834(qa, frozen):
    disenroll(qa, "200000000001", "RIVERA", "ANA")
    disenroll(qa, "200000000002", "O'BRIEN", "SEAN")

    page = qa.get(BATCH_FILES)

    assert page.texts("td") == [CCA, "COMMONWEALTH CARE ALLIANCE ONE CARE", "03/2026", "2", "834"]
    status, headers, text = download(qa, page.link("834"))
    assert status == 200
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert headers["content-disposition"] == 'attachment; filename="834_110000000A_202603.x12"'
    assert headers["cache-control"] == "no-store"
    assert text == mock_834(frozen, CCA, "2026-03")
    assert validate(text)[0]


def test_the_panel_lists_each_month_with_disenrollments_latest_first(qa, frozen):
    disenroll(qa, "200000000001", "RIVERA", "ANA")
    advance(frozen, 47)  # 2026-05-01: April has none
    disenroll(qa, "200000000002", "O'BRIEN", "SEAN")

    rows = qa.get(BATCH_FILES).texts("td")

    assert [rows[i:i + 5][2:] for i in range(0, len(rows), 5)] == [
        ["05/2026", "1", "834"], ["03/2026", "1", "834"]]


def test_a_user_of_two_plans_sees_both(frozen):
    client = PortalClient.of(frozen)
    client.login("qa.multi", "Multi-Passw0rd!")
    disenroll(client, "200000000007", "LEE", "MIN", provider_id=UHC)

    rows = client.get(BATCH_FILES).texts("td")

    assert rows == [CCA, "COMMONWEALTH CARE ALLIANCE ONE CARE", "03/2026", "0", "No file",
                    UHC, "UNITEDHEALTHCARE CONNECTED FOR ONE CARE", "03/2026", "1", "834"]
    assert ended(download(client, client.last.link("834"))[2]) == {"200000000007": "20260331"}


@pytest.mark.parametrize("plan", [TUFTS, "110000001A", "999999999Z"])
def test_another_plans_file_is_refused(qa, tufts, plan):
    disenroll(tufts, "200000000004", "MURPHY", "KATE", provider_id=TUFTS)

    page = qa.get(BATCH_FILE_DOWNLOAD, provider=plan, month="2026-03")

    assert page.status == 403
    assert page.panels == ["Manage Batch Files"]
    assert page.alerts == [NOT_AUTHORIZED]
    assert "MURPHY" not in page


@pytest.mark.parametrize(("month", "message"), [
    ("2026-02", "There is no batch file for the month selected."),
    ("2026-3", "The item you selected is no longer available. Select it again from the list."),
    ("", "The item you selected is no longer available. Select it again from the list."),
])
def test_a_month_without_a_file_says_so(qa, month, message):
    page = qa.get(BATCH_FILE_DOWNLOAD, provider=CCA, month=month)

    assert page.status == 200 and page.alerts == [message]
    assert page.panels == ["Manage Batch Files"]


# --- the generator -----------------------------------------------------------------------


RUN = [Termination("200000000001", "RIVERA", "ANA", dt.date(2026, 3, 31)),
       Termination("200000000002", "O'BRIEN", "SEAN", dt.date(2026, 3, 31)),
       Termination("200000000008", "DE LA CRUZ", "MARIA", dt.date(2026, 3, 31))]


def test_build_834_makes_late_missing_and_foreign_terminations():
    late = Termination("200000000002", "O'BRIEN", "SEAN", dt.date(2026, 4, 30))
    foreign = Termination("300000000001", "DOE", "JOHN", dt.date(2026, 3, 31), "AI")

    text = build_834(CCA, "COMMONWEALTH CARE ALLIANCE ONE CARE", [RUN[0], late, foreign],
                     control_number=7, created=dt.datetime(2026, 4, 2, 6, 30))

    assert validate(text)[0]
    assert ended(text) == {"200000000001": "20260331", "200000000002": "20260430",
                           "300000000001": "20260331"}  # 200000000008 is missing
    assert read_834(text)["terminations"][2]["ins"] == ["Y", "18", "024", "AI", "A"]
    assert text.splitlines()[0].split("*")[9:14] == ["260402", "0630", "^", "00501", "000000007"]


def test_names_are_written_in_the_basic_character_set():
    odd = Termination("300000000002", "NÚÑEZ*GARCÍA~", "JOSÉ: MARÍA^", dt.date(2026, 3, 31))

    text = build_834(CCA, "CARE & CO.", [odd], control_number=1, created=dt.date(2026, 3, 15))

    assert validate(text)[0]
    assert read_834(text)["terminations"][0]["name"] == ("NUNEZ GARCIA", "JOSE MARIA")
    assert read_834(text)["payer"][0] == "CARE & CO."


@pytest.mark.parametrize(("terminations", "options", "message"), [
    ([], {}, "at least one member loop"),
    ([Termination("2000-0001", "A", "B", dt.date(2026, 3, 31))], {}, "member ID"),
    ([Termination("200000000001", "A", "B", dt.date(2026, 3, 31), "99")], {}, "INS04"),
    (RUN, {"control_number": 10**9}, "control number"),
])
def test_build_834_refuses_what_the_format_cannot_carry(terminations, options, message):
    with pytest.raises(ValueError, match=message):
        build_834(CCA, "PLAN", terminations,
                  **{"control_number": 1, "created": dt.date(2026, 3, 15), **options})


def test_the_command_line_takes_fixture_members_and_a_terminations_file(tmp_path):
    listed = tmp_path / "terminations.yaml"
    listed.write_text(
        "- {member_id: '200000000008', end_date: 2026-04-30}       # late, named by the fixture\n"
        "- {member_id: '300000000001', last_name: DOE, first_name: JOHN}  # foreign\n")
    out = tmp_path / "834.x12"

    status = x12_834.main(["--fixture", str(FROZEN), "--plan", CCA, "--month", "2026-03",
                           "--member", "200000000001", "--member", "200000000002=2026-03-20",
                           "--terminations", str(listed), "--out", str(out)])

    assert status == 0
    text = out.read_text()
    assert validate(text)[0]
    assert ended(text) == {"200000000001": "20260331", "200000000002": "20260320",
                           "200000000008": "20260430", "300000000001": "20260331"}
    names = [t["name"] for t in read_834(text)["terminations"]]
    assert names == [("RIVERA", "ANA"), ("O'BRIEN", "SEAN"), ("DE LA CRUZ", "MARIA"),
                     ("DOE", "JOHN")]
    assert read_834(text)["created"] == "20260315"  # the fixture's today
    assert "*202603001*" in text.splitlines()[0]


def test_the_module_runs_as_a_command(tmp_path):
    out = tmp_path / "834.x12"

    finished = subprocess.run(
        [sys.executable, "-m", "mock_portal.x12_834", "--fixture", str(FROZEN), "--plan", TUFTS,
         "--month", "2026-05", "--member", "200000000004", "--created", "2026-06-01",
         "--control-number", "42", "--out", str(out)],
        capture_output=True, text=True, timeout=60)

    assert finished.returncode == 0, finished.stderr
    text = out.read_text()
    assert validate(text)[0]
    assert ended(text) == {"200000000004": "20260531"}
    assert read_834(text)["payer"] == ["TUFTS HEALTH ONE CARE", "94", TUFTS]


@pytest.mark.parametrize(("arguments", "message"), [
    (["--member", "300000000001"], "not in the fixture"),
    (["--member", "200000000001=31/03/2026"], "not an ISO date"),
    (["--month", "2026-3"], "is not YYYY-MM"),
    (["--plan", "110000001A"], "no One Care plan"),
    ([], "at least one member loop"),
])
def test_the_command_line_refuses_in_one_line(capsys, arguments, message):
    base = {"--fixture": str(FROZEN), "--plan": CCA, "--month": "2026-03"}
    options = dict(zip(arguments[::2], arguments[1::2], strict=True))
    argv = [part for key, value in {**base, **options}.items() for part in (key, value)]

    assert x12_834.main(argv) == 2

    error = capsys.readouterr().err
    assert error.count("\n") == 1 and message in error
