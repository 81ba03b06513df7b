"""The portal's business rules and the messages it refuses with (docs/portal.md), as pure
functions of what was entered, what is on file and the portal's clock."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

# Log in and session
BAD_LOGIN = "The User ID or Password you entered is incorrect."
SESSION_EXPIRED = "Your session has expired. Please log in again."
DEACTIVATED = "This account has been deactivated. Contact your organization's Access Administrator."
NOT_AVAILABLE = "This function is not available in this portal."
NOT_AUTHORIZED = "You are not authorized to act for the Provider ID entered."
# The EOHHS Virtual Gateway (`--login gateway`): Business Log In, Multifactor Authentication
VG_LOCKED = ("Your account is locked after too many failed attempts. Try again in {minutes} "
             "minutes or reset your password.")
VG_BAD_LOGIN = 'The email or password is incorrect. To reset your password, click "Forgot Password."'
VG_NO_MFA = ("Multifactor authentication is not set up for this account. Set it up in MyMassGov "
             "before you log in.")
VG_CODE_REUSED = ("This verification code has already been used. Wait for a new code from your "
                  "authenticator app.")
VG_BAD_CODE = "The verification code is incorrect. Try again."
VG_SESSION_ENDED = "Your session has ended. Log in again."
# Member Search and Disenrollment
REQUIRED = "{label} is required."
MEMBER_ID_DIGITS = "Member ID must be 12 digits."
NO_MEMBER = "No member was found for the Member ID entered."
NAME_MISMATCH = ("The member name entered does not match our records. Enter the last name and "
                 "first name exactly as they appear on the member's ID card.")
NOT_ENROLLED = "The member is not currently enrolled in One Care."
OTHER_PLAN = ("The member is enrolled in One Care with another plan. Only the member's current "
              "One Care plan can disenroll the member.")
REASON_REQUIRED = "Disenrollment Reason is required."
REASON_UNKNOWN = "Select a Disenrollment Reason from the list."
PENDING = "A disenrollment for this member is pending, effective {date}."
# Update Your MassHealth Profile
LTSS_REFUSAL = ("Providers of those services falling under Long-Term Services and Supports (LTSS) "
                "programs cannot update via this portal. Please contact MassHealth LTSS Provider "
                "Services here at www.masshealthltss.com or 844-368-5184.")
DENTAL_REFUSAL = ("Dentists cannot update via this portal. Please contact the MassHealth Customer "
                  "Service for Dental Providers here at masshealth-dental.net.")
ORP_REFUSAL = "Ordering, referring, and prescribing (ORP) providers cannot update via this portal."
GROUP_ONLY = "Group Practice Info applies only to group practice providers."
ITEM_GONE = "The item you selected is no longer available. Select it again from the list."
END_DATE_REQUIRED = "End Date is required."
DATE_FORMAT = "Dates must be in mm/dd/ccyy format."
END_BEFORE_EFFECTIVE = "End Date cannot be before the Effective Date."
END_BEFORE_TODAY = ("End Date cannot be before today's date. MassHealth will not backdate the "
                    "effective date of a change.")
SAVED = "Your changes have been saved. Select Submit to submit the update request."
NO_CHANGES = "There are no changes to submit."
MUST_AGREE = "You must certify the agreement before submitting."
# Manage Batch Files
NO_BATCH_FILE = "There is no batch file for the month selected."

# The Member Search fields in the panel's order, with their labels.
SEARCH_FIELDS = (("provider_id", "Provider ID"), ("member_id", "Member ID"),
                 ("last_name", "Last Name"), ("first_name", "First Name"))
PROFILE_REFUSALS = {"ltss": LTSS_REFUSAL, "dental": DENTAL_REFUSAL, "orp": ORP_REFUSAL}
_MMDDYYYY = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")


@dataclass(frozen=True)
class Refusal:
    """What the alert says, and the fields that get the error icon."""

    message: str
    fields: tuple[str, ...] = ()


def search_form_refusals(values: Mapping[str, str]) -> list[Refusal]:
    """Every required field left empty, else a malformed Member ID."""
    missing = [Refusal(REQUIRED.format(label=label), (name,))
               for name, label in SEARCH_FIELDS if not values.get(name, "").strip()]
    if missing:
        return missing
    if not re.fullmatch(r"[0-9]{12}", values["member_id"].strip()):
        return [Refusal(MEMBER_ID_DIGITS, ("member_id",))]
    return []


def acting_plan_refusal(provider_id: str, granted_plans: set[str]) -> Refusal | None:
    """A Member Search or Submit for a plan not granted to the user (a crafted POST)."""
    if provider_id.strip() not in granted_plans:
        return Refusal(NOT_AUTHORIZED, ("provider_id",))
    return None


def names_match(entered: str, on_file: str) -> bool:
    """Exact, but case-insensitive and with surrounding spaces ignored."""
    return entered.strip().casefold() == on_file.strip().casefold()


def pending_effective(member: Mapping, today: dt.date) -> dt.date | None:
    """The effective date of the member's pending disenrollment, if it has not passed."""
    value = member["pending_effective_date"]
    if value is None:
        return None
    effective = dt.date.fromisoformat(value)
    return effective if effective >= today else None


def is_enrolled(member: Mapping, today: dt.date) -> bool:
    """In One Care today: a plan on file, and no disenrollment that has already taken effect."""
    if member["one_care_plan"] is None:
        return False
    value = member["pending_effective_date"]
    return value is None or dt.date.fromisoformat(value) >= today


def member_refusal(member: Mapping | None, *, last_name: str | None, first_name: str | None,
                   plan: str, today: dt.date) -> Refusal | None:
    """Why `plan` may not disenroll this member, in the order the portal checks; None when
    the Disenrollment panel may show. Names are None when re-checking a Submit."""
    if member is None:
        return Refusal(NO_MEMBER, ("member_id",))
    if last_name is not None and first_name is not None and not (
            names_match(last_name, member["last_name"])
            and names_match(first_name, member["first_name"])):
        return Refusal(NAME_MISMATCH, ("last_name", "first_name"))
    if not is_enrolled(member, today):
        return Refusal(NOT_ENROLLED, ("member_id",))
    if member["one_care_plan"] != plan:
        return Refusal(OTHER_PLAN, ("member_id",))
    return None


def reason_refusal(reason: str, reasons: tuple[str, ...]) -> Refusal | None:
    if not reason.strip():
        return Refusal(REASON_REQUIRED, ("reason",))
    if reason not in reasons:
        return Refusal(REASON_UNKNOWN, ("reason",))
    return None


def last_day_of_month(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def disenrollment_effective(today: dt.date) -> dt.date:
    """A disenrollment received by the month's last calendar day ends coverage that day."""
    return last_day_of_month(today)


def parse_mmddyyyy(text: str) -> dt.date | None:
    match = _MMDDYYYY.fullmatch(text.strip())
    if not match:
        return None
    month, day, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def mmddyyyy(day: dt.date | str | None) -> str:
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day:%m/%d/%Y}"


def end_date_refusal(text: str, *, effective: dt.date, today: dt.date
                     ) -> tuple[dt.date | None, Refusal | None]:
    """The End Date entered on Date Detail, or why it is refused."""
    if not text.strip():
        return None, Refusal(END_DATE_REQUIRED, ("end_date",))
    end = parse_mmddyyyy(text)
    if end is None:
        return None, Refusal(DATE_FORMAT, ("end_date",))
    if end < effective:
        return None, Refusal(END_BEFORE_EFFECTIVE, ("end_date",))
    if end < today:
        return None, Refusal(END_BEFORE_TODAY, ("end_date",))
    return end, None


def profile_refusal(provider_type: str) -> Refusal | None:
    """LTSS, dental and ORP providers cannot update their profile via the portal."""
    message = PROFILE_REFUSALS.get(provider_type)
    return Refusal(message) if message else None
