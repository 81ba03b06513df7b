"""An 834 that is not what the implementation guide says is refused with the file, the line
and the segment named, never a traceback; a good one gives its terminations."""

from __future__ import annotations

import datetime as dt

import pytest

from mock_portal.x12_834 import Termination, build_834
from robots.followup.x12_834 import X12Error, read_834

GOOD = build_834("110000000A", "CCA", [Termination("100000000001", "RIVERA", "ANA", dt.date(2026, 12, 31))],
                 control_number=2, created=dt.date(2026, 12, 1))


def test_a_good_file_gives_the_plan_and_each_termination(tmp_path):
    path = tmp_path / "good.834"
    path.write_text(GOOD)

    read = read_834(path)

    assert read.plan_id == "110000000A"
    assert [(t.member_id, t.end_date) for t in read.terminations] == [("100000000001", dt.date(2026, 12, 31))]


@pytest.mark.parametrize(("text", "says"), [
    pytest.param("", "not an X12 file (an X12 file begins with an ISA segment)", id="empty"),
    pytest.param("member_id,last_name\n100000000001,RIVERA\n", "not an X12 file", id="a-csv"),
    pytest.param(GOOD[:60], "line 1 (ISA segment): cut short", id="isa-cut-short"),
    pytest.param(GOOD.replace("ST*834*", "ST*835*"), "line 3 (ST segment): transaction set 835, not 834",
                 id="another-transaction"),
    pytest.param(GOOD.replace("*D8*20261231", "*D8*20261399"), "line 9 (DTP segment)", id="impossible-date"),
    pytest.param(GOOD[: GOOD.index("IEA*")], "Interchange Control Trailer", id="no-trailer"),
    pytest.param(GOOD[: GOOD.index("SE*")], "missing", id="truncated-in-the-transaction"),
    pytest.param(GOOD.replace("INS*Y*18*024*07*A~", "INS*Y*18~"), "INS segment", id="ins-without-its-elements"),
])
def test_a_malformed_file_is_refused_naming_the_file_and_what_is_wrong(tmp_path, text, says):
    path = tmp_path / "plan.834"
    path.write_text(text)

    with pytest.raises(X12Error) as refused:
        read_834(path)

    assert str(refused.value).startswith(f"{path}: ")
    assert says in str(refused.value)


def test_a_byte_that_is_not_ascii_is_named_with_its_line(tmp_path):
    path = tmp_path / "plan.834"
    path.write_bytes(GOOD.replace("RIVERA", "RIVÉRA").encode("utf-8"))

    with pytest.raises(X12Error, match=r"line 10: byte 0xc3 is not ASCII"):
        read_834(path)


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path):
    with pytest.raises(X12Error, match="cannot be read"):
        read_834(tmp_path / "absent.834")
