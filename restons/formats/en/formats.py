"""English dates as Restons writes them: day first, as in "14 June 2026" (see restons/formats/__init__.py)."""

DATE_FORMAT = "j F Y"  # 14 June 2026
SHORT_DATE_FORMAT = "j M Y"  # 14 Jun 2026
DATETIME_FORMAT = "j F Y, H:i"  # 14 June 2026, 18:30
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 14 Jun 2026, 18:30
TIME_FORMAT = "H:i"  # 18:30
MONTH_DAY_FORMAT = "j F"  # 14 June
YEAR_MONTH_FORMAT = "F Y"  # June 2026
WEEKDAY_DATE_FORMAT = "D j M Y"  # Sun 14 Jun 2026
WEEKDAY_MONTH_DAY_FORMAT = "l j F"  # Sunday 14 June
FULL_DATE_FORMAT = "l j F Y"  # Sunday 14 June 2026
