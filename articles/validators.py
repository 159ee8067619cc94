"""What every entry point (the admin, the importers) checks before a story's text or dates are saved.

Dates far outside a newsroom's life (year 1 or 9999, as broken exports carry) overflow when pages, sitemaps,
feeds and the admin turn them into local time, so they are refused with a message that names the date.
C0 control characters (a vertical tab pasted from Word) make feeds and sitemaps invalid XML, so they are
removed from every text field on save; tab and newline stay.
"""

import re
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

EARLIEST_DATE = datetime(1800, 1, 1, tzinfo=UTC)
YEARS_AHEAD = 10  # scheduled stories and embargoes may be set this far ahead
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def latest_date() -> datetime:
    now = timezone.now()
    return now.replace(year=now.year + YEARS_AHEAD, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)


def date_problem(value: datetime | None) -> str | None:
    """Why `value` cannot be a story's date (a sentence), or None when it can."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if value < EARLIEST_DATE or value >= latest_date():
        return (
            f"the date {value.isoformat()} is outside the range stories can have "
            f"({EARLIEST_DATE.year} to {latest_date().year - 1})"
        )
    return None


def validate_story_date(value: datetime | None) -> None:
    """Field validator for every date editors or importers set on a story."""
    if problem := date_problem(value):
        raise ValidationError(problem[0].upper() + problem[1:] + ".", code="date_out_of_range")


def strip_control_characters(text: str) -> str:
    """`text` without C0 control characters other than tab, newline and carriage return."""
    return CONTROL_CHARACTERS.sub("", text) if text else text


def clean_text_fields(instance: models.Model) -> None:
    """Strip control characters from every text field of `instance` (called by the models' save())."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, strip_control_characters(value))
