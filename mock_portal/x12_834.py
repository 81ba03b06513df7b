"""The 834 (ASC X12 005010X220A1, Benefit Enrollment and Maintenance) that confirms a One Care
plan's disenrollments: "The provider will receive a confirmation via the 834 batch file
transaction" (Disenrollment Confirmation). One interchange holding one functional group and
one transaction set, for one plan and one month; each termination a member loop (2000).
docs/portal.md, "Manage Batch Files and the 834", gives the layout and why each qualifier.

`build_834` is the whole format. The portal builds its files from the disenrollments it
accepted (pages/batch_files.py); tests build theirs from any terminations (late, missing or
foreign ones) with the same function, or from the command line:

    python -m mock_portal.x12_834 [--fixture F] --plan 110000000A --month 2026-03 \\
        [--member 200000000001 --member 200000000002=2026-04-30] [--terminations T.yaml] \\
        [--created 2026-04-02] [--control-number N] [--out FILE]

Every file it writes validates with pyx12 (map 834.5010.X220.A1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml

from mock_portal import fixture
from mock_portal.rules import last_day_of_month

IMPLEMENTATION = "005010X220A1"
SENDER_ID = "MASSHEALTH"  # ISA06 and GS02: MassHealth sends the 834
SPONSOR_NAME = "MASSHEALTH"
SPONSOR_TAX_ID = "999000834"  # made up: nine digits, as an FI (tax ID) qualifier wants
# INS04 for each default disenrollment reason (X12 element 1203); any other reason: 07.
TERMINATION_OF_BENEFITS = "07"
REASON_CODES = {
    "Member request": "14",  # Voluntary Withdrawal
    "Loss of Medicare Part A or Part B": TERMINATION_OF_BENEFITS,
    "Loss of MassHealth eligibility": TERMINATION_OF_BENEFITS,
    "Moved out of the service area": "43",  # Change of Location
    "Incarcerated": TERMINATION_OF_BENEFITS,
    "Enrolled in another plan": "22",  # Plan Change
    "Death": "03",  # Death
    "Misrepresentation of information": TERMINATION_OF_BENEFITS,
}
# The INS04 codes the implementation guide allows (pyx12's map lists the same).
ALLOWED_REASON_CODES = frozenset((
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "14", "15", "16", "17",
    "18", "20", "21", "22", "25", "26", "27", "28", "29", "31", "32", "33", "37", "38", "39",
    "40", "41", "43", "59", "AA", "AB", "AC", "AD", "AE", "AF", "AG", "AH", "AI", "AJ", "AL",
    "EC", "XN", "XT"))

# Delimiters: element, segment (then a newline: one segment a line), component, repetition.
ELEMENT, SEGMENT, COMPONENT, REPETITION = "*", "~", ":", "^"
# What an element's text may hold: the X12 basic character set less the delimiters.
_NOT_BASIC = re.compile(r"[^A-Z0-9!\"&'()+,\-./;?= ]")
_ID = re.compile(r"[A-Za-z0-9]{1,15}")
_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")

PROG = "python -m mock_portal.x12_834"


@dataclass(frozen=True)
class Termination:
    """One member's coverage ending: a member loop (2000) of the 834."""

    member_id: str
    last_name: str
    first_name: str
    end_date: dt.date
    reason_code: str = TERMINATION_OF_BENEFITS  # INS04


def reason_code(reason: str) -> str:
    """INS04 for a Disenrollment Reason label."""
    return REASON_CODES.get(reason, TERMINATION_OF_BENEFITS)


def parse_month(text: str) -> dt.date | None:
    """"YYYY-MM" as the month's first day; None when it is not such a month."""
    match = _MONTH.fullmatch(text.strip())
    return dt.date(int(match.group(1)), int(match.group(2)), 1) if match else None


def month_days(month: dt.date) -> tuple[dt.date, dt.date]:
    """The month's first and last days."""
    first = month.replace(day=1)
    return first, last_day_of_month(first)


def control_number_for(month: dt.date) -> int:
    """ISA13 and GS06 of a plan's file for a month: YYYYMM then 001 (202603001). One file a
    month for each plan (the receiver), so no two of a receiver's files share it."""
    return month.year * 100_000 + month.month * 1000 + 1


def file_name(plan_id: str, month: dt.date) -> str:
    return f"834_{plan_id}_{month:%Y%m}.x12"


def build_834(plan_id: str, plan_name: str, terminations: Sequence[Termination], *,
              control_number: int, created: dt.date | dt.datetime) -> str:
    """The 834 MassHealth sends the plan `plan_id` for these terminations, created at
    `created` (a date: at midnight). Raises ValueError for what the format cannot carry:
    no termination (X220 requires at least one member loop), an ID that is not 1 to 15
    letters and digits, a control number that is not 1 to 9 digits, an unknown INS04."""
    if not terminations:
        raise ValueError("an 834 holds at least one member loop (2000): no termination given")
    if not 1 <= control_number <= 999_999_999:
        raise ValueError(f"control number {control_number} is not 1 to 9 digits")
    _identifier(plan_id, "plan ID")
    stamp = created if isinstance(created, dt.datetime) else dt.datetime.combine(
        created, dt.time())
    control = f"{control_number:09d}"
    transaction = [
        ["ST", "834", "0001", IMPLEMENTATION],
        ["BGN", "00", f"834-{plan_id}-{control}", f"{stamp:%Y%m%d}", f"{stamp:%H%M}",
         "", "", "", "2"],
        ["N1", "P5", SPONSOR_NAME, "FI", SPONSOR_TAX_ID],  # 1000A sponsor
        ["N1", "IN", _text(plan_name, 60), "94", plan_id],  # 1000B payer: the plan
    ]
    for termination in terminations:
        transaction.extend(_member_loop(termination))
    transaction.append(["SE", str(len(transaction) + 1), "0001"])
    segments = [
        ["ISA", "00", " " * 10, "00", " " * 10, "ZZ", f"{SENDER_ID:<15}", "ZZ",
         f"{plan_id:<15}", f"{stamp:%y%m%d}", f"{stamp:%H%M}", REPETITION, "00501", control,
         "0", "P", COMPONENT],
        ["GS", "BE", SENDER_ID, plan_id, f"{stamp:%Y%m%d}", f"{stamp:%H%M}",
         str(control_number), "X", IMPLEMENTATION],
        *transaction,
        ["GE", "1", str(control_number)],
        ["IEA", "1", control],
    ]
    return "".join(ELEMENT.join(segment) + SEGMENT + "\n" for segment in segments)


def _member_loop(termination: Termination) -> list[list[str]]:
    """Loop 2000 (INS, REF, DTP) and its 2100A member name (NM1)."""
    member_id = _identifier(termination.member_id, "member ID")
    if termination.reason_code not in ALLOWED_REASON_CODES:
        raise ValueError(f"{termination.reason_code!r} is not a maintenance reason code (INS04)")
    return [
        ["INS", "Y", "18", "024", termination.reason_code, "A"],
        ["REF", "0F", member_id],
        ["DTP", "357", "D8", f"{termination.end_date:%Y%m%d}"],
        ["NM1", "IL", "1", _text(termination.last_name, 60), _text(termination.first_name, 35),
         "", "", "", "ZZ", member_id],
    ]


def _identifier(value: str, what: str) -> str:
    if not _ID.fullmatch(value):
        raise ValueError(f"{what} {value!r} is not 1 to 15 letters and digits")
    return value


def _text(value: str, limit: int) -> str:
    """A name as an element: upper case ASCII, in the basic character set, no delimiter."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    cleaned = " ".join(_NOT_BASIC.sub(" ", ascii_text.upper()).split())[:limit].rstrip()
    return cleaned or "UNKNOWN"


# --- the test generator's command line ---------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


class GeneratorError(ValueError):
    """Arguments or a terminations file that make no 834; the message says which."""


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Write the 834 (005010X220A1) MassHealth would send a "
                "One Care plan for a month, with the terminations given.")
    p.add_argument("--fixture", type=Path, help="fixture YAML: the plan's name, the members' "
                   "names (default: the bundled one)")
    p.add_argument("--plan", required=True, help="the One Care plan's provider ID")
    p.add_argument("--month", required=True, help="YYYY-MM: the file's month")
    p.add_argument("--member", action="append", default=[], metavar="ID[=YYYY-MM-DD]",
                   help="a fixture member's termination, ending on the date (default: the "
                        "month's last day); repeat for more")
    p.add_argument("--terminations", type=Path, metavar="FILE",
                   help="YAML list of {member_id, last_name, first_name, end_date?, "
                        "reason_code?} (names may be left out for a fixture member)")
    p.add_argument("--created", help="YYYY-MM-DD: the file's date (default: the fixture's "
                   "today, else the real date)")
    p.add_argument("--control-number", type=int, help="ISA13/GS06 (default: YYYYMM001)")
    p.add_argument("--out", default="-", help="the file to write (default: stdout)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        loaded = fixture.load(args.fixture)
        month = parse_month(args.month)
        if month is None:
            raise GeneratorError(f"--month {args.month!r} is not YYYY-MM")
        plan = next((p for p in loaded.providers if p.provider_id == args.plan), None)
        if plan is None or plan.type != "one_care_plan":
            raise GeneratorError(f"--plan {args.plan}: no One Care plan of that ID in "
                                 f"{loaded.source}")
        members = {member.member_id: member for member in loaded.members}
        found = [_from_argument(text, members, month) for text in args.member]
        if args.terminations is not None:
            found += _from_file(args.terminations, members, month)
        created = _date(args.created, "--created") if args.created else (
            loaded.today or dt.date.today())
        text = build_834(plan.provider_id, plan.name, found,
                         control_number=args.control_number or control_number_for(month),
                         created=created)
    except (fixture.FixtureError, ValueError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="ascii")
    return 0


def _from_argument(text: str, members: dict[str, fixture.Member], month: dt.date
                   ) -> Termination:
    member_id, _, end = text.partition("=")
    member = members.get(member_id.strip())
    if member is None:
        raise GeneratorError(f"--member {member_id}: not in the fixture (give its names in "
                             "a --terminations file)")
    end_date = _date(end, f"--member {text}") if end else month_days(month)[1]
    return Termination(member.member_id, member.last_name, member.first_name, end_date)


def _from_file(path: Path, members: dict[str, fixture.Member], month: dt.date
               ) -> list[Termination]:
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise GeneratorError(f"{path}: cannot read it ({error.strerror})") from None
    except yaml.YAMLError:
        raise GeneratorError(f"{path}: not valid YAML") from None
    if isinstance(entries, dict) and set(entries) == {"terminations"}:
        entries = entries["terminations"]
    if not isinstance(entries, list):
        raise GeneratorError(f"{path}: must be a list of terminations")
    return [_from_entry(entry, members, month, f"{path}: [{i}]")
            for i, entry in enumerate(entries)]


def _from_entry(entry: Any, members: dict[str, fixture.Member], month: dt.date, where: str
                ) -> Termination:
    fields = ("member_id", "last_name", "first_name", "end_date", "reason_code")
    if not isinstance(entry, dict) or not set(entry) <= set(fields):
        raise GeneratorError(f"{where} must be a mapping of {', '.join(fields)}")
    member_id = str(entry.get("member_id") or "")
    known = members.get(member_id)
    names = {}
    for field in ("last_name", "first_name"):
        value = entry.get(field) or (getattr(known, field) if known else None)
        if not isinstance(value, str) or not value.strip():
            raise GeneratorError(f"{where}.{field}: missing (member {member_id or '?'} is not "
                                 "in the fixture)")
        names[field] = value
    end = entry.get("end_date")
    end_date = month_days(month)[1] if end is None else _date(end, f"{where}.end_date")
    return Termination(member_id, names["last_name"], names["first_name"], end_date,
                       str(entry.get("reason_code", TERMINATION_OF_BENEFITS)))


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise GeneratorError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


if __name__ == "__main__":
    sys.exit(main())
