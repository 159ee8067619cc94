"""The admin's one date style (issue #15): "4 Dec 2026, 14:05", in every list, form and note.

Django's English locale would say "Dec. 4, 2026, 2:05 p.m." in some places and "2026-12-04" in others.
Only display formats are set here; what the admin's date inputs accept stays Django's default.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
