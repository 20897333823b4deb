"""Checks of personal data shared by the APL-01 form and the submission service."""

import re

from django.utils.translation import gettext_lazy as _

from .models import Sex


def nik_problems(nik, birth_date=None, sex=None):
    """What is wrong with a NIK (Nomor Induk Kependudukan), given the birth date and sex if known.

    A NIK is 16 digits: 6 for the region (province code 11–94), 6 for the birth date as
    DDMMYY with 40 added to the day for women, and a 4-digit serial (never 0000).
    """
    if not nik:
        return []
    if not re.fullmatch(r"[0-9]{16}", nik):
        return [_("The NIK has exactly 16 digits, as printed on the KTP.")]
    problems = []
    province = int(nik[:2])
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if not 11 <= province <= 94:
        problems.append(_("The first two digits of the NIK are not an Indonesian province code."))
    if not (1 <= day <= 31 or 41 <= day <= 71) or not 1 <= month <= 12:
        problems.append(_("Digits 7 to 12 of the NIK are not a date of birth (DDMMYY)."))
    if nik[12:] == "0000":
        problems.append(_("The last four digits of the NIK cannot be 0000."))
    if problems or birth_date is None:
        return problems
    real_day = day - 40 if day > 40 else day
    if (real_day, month, year) != (birth_date.day, birth_date.month, birth_date.year % 100):
        problems.append(_("The NIK does not match the date of birth. Check both against your KTP."))
    elif sex and (day > 40) != (sex == Sex.FEMALE):
        problems.append(_("The NIK does not match the sex given (women have 40 added to the day of birth)."))
    return problems
