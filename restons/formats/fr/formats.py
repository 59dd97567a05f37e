"""French dates as Restons writes them: months in full, as in « 14 juin 2026 » (see restons/formats/__init__.py).

Django's French short months are ambiguous ("Jui" for both juin and juillet)
and its abbreviations ("jan.", "fév.") are not the usual ones, so even the
short formats spell the month out.
"""

DATE_FORMAT = "j F Y"  # 14 juin 2026
SHORT_DATE_FORMAT = "j F Y"  # 14 juin 2026
DATETIME_FORMAT = "j F Y à H:i"  # 14 juin 2026 à 18:30
SHORT_DATETIME_FORMAT = "j F Y à H:i"
TIME_FORMAT = "H:i"  # 18:30
MONTH_DAY_FORMAT = "j F"  # 14 juin
YEAR_MONTH_FORMAT = "F Y"  # juin 2026
WEEKDAY_DATE_FORMAT = "l j F Y"  # dimanche 14 juin 2026
WEEKDAY_MONTH_DAY_FORMAT = "l j F"  # dimanche 14 juin
FULL_DATE_FORMAT = "l j F Y"  # dimanche 14 juin 2026
