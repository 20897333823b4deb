"""Working days: no Saturdays, Sundays, Indonesian public holidays, or declared days off.

Appeal decisions (9.9.6: "14 hari kerja") and other deadlines count on this calendar.
"""

import datetime
from functools import lru_cache

import holidays

from .models import DayOff


@lru_cache(maxsize=64)
def _public_holidays(year):
    return holidays.country_holidays("ID", years=year, language="id")


def public_holiday_name(day):
    return _public_holidays(day.year).get(day)


def is_working_day(day, *, days_off=None):
    if day.weekday() >= 5:
        return False
    if day in _public_holidays(day.year):
        return False
    if days_off is None:
        days_off = set(DayOff.objects.filter(date=day).values_list("date", flat=True))
    return day not in days_off


def add_working_days(start, n):
    """The date n working days after ``start`` (``start`` itself is not counted)."""
    if n < 0:
        raise ValueError("n must not be negative")
    # Declared days off in the window are read once; the window is generous because
    # holidays can stretch it (Lebaran plus cuti bersama is about two weeks).
    horizon = start + datetime.timedelta(days=n * 3 + 30)
    days_off = set(DayOff.objects.filter(date__gt=start, date__lte=horizon).values_list("date", flat=True))
    day = start
    counted = 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if is_working_day(day, days_off=days_off):
            counted += 1
    return day


def working_days_between(start, end):
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    days_off = set(DayOff.objects.filter(date__gt=start, date__lte=end).values_list("date", flat=True))
    day, counted = start, 0
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day, days_off=days_off):
            counted += 1
    return counted
