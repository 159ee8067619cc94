"""Read dates as newsrooms write them: datelines with time-zone abbreviations, ISO 8601, RFC 822.

Nothing here invents a date: a line without a day, a month and a year gives None.
"""

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo


def _fixed(hours: float) -> tzinfo:
    return timezone(timedelta(hours=hours))


# Abbreviations mean one offset each (CET is +01:00 even in summer; that is CEST). ET/CT/MT/PT name a zone.
ZONES: dict[str, tzinfo] = {
    "UTC": UTC,
    "GMT": UTC,
    "Z": UTC,
    "WET": _fixed(0),
    "WEST": _fixed(1),
    "BST": _fixed(1),
    "IST": _fixed(5.5),
    "CET": _fixed(1),
    "CEST": _fixed(2),
    "MEZ": _fixed(1),
    "MESZ": _fixed(2),
    "EET": _fixed(2),
    "EEST": _fixed(3),
    "MSK": _fixed(3),
    "GST": _fixed(4),
    "PKT": _fixed(5),
    "SGT": _fixed(8),
    "HKT": _fixed(8),
    "AWST": _fixed(8),
    "JST": _fixed(9),
    "KST": _fixed(9),
    "ACST": _fixed(9.5),
    "AEST": _fixed(10),
    "AEDT": _fixed(11),
    "NZST": _fixed(12),
    "NZDT": _fixed(13),
    "AST": _fixed(-4),
    "ADT": _fixed(-3),
    "EST": _fixed(-5),
    "EDT": _fixed(-4),
    "CST": _fixed(-6),
    "CDT": _fixed(-5),
    "MST": _fixed(-7),
    "MDT": _fixed(-6),
    "PST": _fixed(-8),
    "PDT": _fixed(-7),
    "AKST": _fixed(-9),
    "AKDT": _fixed(-8),
    "HST": _fixed(-10),
    "ET": ZoneInfo("America/New_York"),
    "CT": ZoneInfo("America/Chicago"),
    "MT": ZoneInfo("America/Denver"),
    "PT": ZoneInfo("America/Los_Angeles"),
}

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_MONTH_RE = re.compile(r"\b" + _MONTH + r"(?![a-z])", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<![\d:])((?:19|20)\d\d)(?![\d:])")
_TIME_RE = re.compile(
    r"(?<![\d:])(?P<h>[01]?\d|2[0-3])[:.h](?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?\s*(?P<ampm>[ap]\.?\s?m\b\.?)?",
    re.IGNORECASE,
)
_GMT_OFFSET_RE = re.compile(r"\b(?:UTC|GMT)\s*(?P<sign>[+\-\u2212])(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?\b")
_OFFSET_RE = re.compile(r"(?<![\w:])(?P<sign>[+\-\u2212])(?P<oh>\d{2}):?(?P<om>\d{2})\b")
_ZONE_RE = re.compile(r"\b(?P<zone>" + "|".join(sorted(ZONES, key=len, reverse=True)) + r")\b")
# "1432 GMT", "2232 GMT (0632 HKT)": wire services' times without a colon, told from a year by the zone after
_HHMM_ZONE_RE = re.compile(
    r"(?<![\d:])(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)\s*(?=(?:"
    + "|".join(sorted(ZONES, key=len, reverse=True))
    + r")\b)"
)
_ISO_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b")


def parse_iso(value: str, default_tz: tzinfo = UTC) -> datetime | None:
    """An ISO 8601 date or date-time; a time without an offset is read in `default_tz`."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_tz)


def parse_rfc822(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_dateline(line: str, default_tz: tzinfo = UTC) -> datetime | None:
    """A date written in a page: "Jan.07 - 2024 12:58 PM CET", "January 7, 2024 at 9:14 am EST", ISO 8601."""
    line = line.strip()
    if not line or len(line) > 120:
        return None
    iso = _ISO_RE.search(line)
    if iso:
        return parse_iso(iso.group(0), _zone_in(line, iso.end()) or default_tz)
    month = _MONTH_RE.search(line)
    wire_time = _HHMM_ZONE_RE.search(line)
    # a wire time ("2014 GMT") is not the year
    year = _YEAR_RE.search(_HHMM_ZONE_RE.sub(lambda m: " " * len(m.group(0)), line) if wire_time else line)
    if not month or not year:
        return None
    day = _day_near(line, month)
    if day is None:
        return None
    moment = _TIME_RE.search(line, month.end()) or _TIME_RE.search(line) or wire_time
    hour = minute = second = 0
    if moment:
        groups = moment.groupdict()
        hour, minute, second = int(groups["h"]), int(groups["m"]), int(groups.get("s") or 0)
        ampm = (groups.get("ampm") or "").lower().replace(".", "").replace(" ", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
    tz = _zone_in(line, moment.end() if moment else 0) or default_tz
    try:
        naive = datetime(int(year.group(1)), MONTHS[month["month"].lower()[:3]], day, hour, minute, second)
    except ValueError:
        return None
    return naive.replace(tzinfo=tz)


def _day_near(line: str, month: re.Match) -> int | None:
    """The day of the month: the number right after the month ("Jan.07", "January 7,") or right before it."""
    after = re.match(r"\s*(\d{1,2})(?:st|nd|rd|th)?\b(?![:.]\d)", line[month.end() :])
    if after and 1 <= int(after.group(1)) <= 31:
        return int(after.group(1))
    before = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\.?\s*(?:of\s+)?$", line[: month.start()])
    if before and 1 <= int(before.group(1)) <= 31:
        return int(before.group(1))
    return None


def _zone_in(line: str, start: int) -> tzinfo | None:
    rest = line[start:]
    offset = _GMT_OFFSET_RE.search(rest)
    if not offset:
        zone = _ZONE_RE.search(rest)
        if zone:
            return ZONES[zone["zone"]]
        offset = _OFFSET_RE.search(rest)
    if not offset:
        return None
    sign = -1 if offset["sign"] in "-−" else 1
    return timezone(sign * timedelta(hours=int(offset["oh"]), minutes=int(offset["om"] or 0)))
