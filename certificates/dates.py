"""Calendar arithmetic of the after-issue deadlines; every period comes from the scheme's parameters."""

import calendar
import datetime


def add_months(day, months):
    """The same day ``months`` later (or earlier, when negative); clamped to the month's last day
    (31 August − 6 months = 28/29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
