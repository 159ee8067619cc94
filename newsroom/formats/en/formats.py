"""English display formats: the admin shows dates and times in the site's one style (NEWSROOM_DATE_FORMAT).

Django reads the locale's format module before the DATETIME_FORMAT setting, so the setting alone would not
reach the admin. A moment (a story's publication, a note, a save) reads as the site's dateline does; a date
alone or a time alone as "4 Dec 2026" and "14:05". What the admin's date inputs accept stays Django's.
"""

from django.conf import settings

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"


def __getattr__(name):
    if name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
        return settings.NEWSROOM_DATE_FORMAT
    raise AttributeError(name)
