"""English date formats: the admin shows dates and times in the site's one style (NEWSROOM_DATE_FORMAT).

Django reads the locale's format module before the DATETIME_FORMAT setting, so the setting alone would not
reach the admin; everything not named here comes from Django's own English formats.
"""

from django.conf import settings


def __getattr__(name):
    if name == "DATETIME_FORMAT":
        return settings.NEWSROOM_DATE_FORMAT
    raise AttributeError(name)
