import datetime

import pytest

from lsp.models import DayOff
from lsp.workdays import add_working_days, is_working_day, working_days_between

D = datetime.date


@pytest.mark.django_db
class TestAddWorkingDays:
    def test_example_from_the_issue_14_days_after_13_march_2026(self):
        # Nyepi (19 Mar), Idul Fitri (21-22 Mar, a weekend) and Good Friday (3 Apr) fall inside.
        assert add_working_days(D(2026, 3, 13), 14) == D(2026, 4, 6)

    def test_skips_the_weekend(self):
        assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday → Monday

    def test_skips_a_public_holiday(self):
        # 2026-08-17 (Monday) is Hari Kemerdekaan.
        assert not is_working_day(D(2026, 8, 17))
        assert add_working_days(D(2026, 8, 14), 1) == D(2026, 8, 18)

    def test_skips_a_declared_day_off(self):
        DayOff.objects.create(date=D(2026, 3, 20), description="Cuti bersama Nyepi")
        assert add_working_days(D(2026, 3, 13), 14) == D(2026, 4, 7)

    def test_zero_days_is_the_same_day(self):
        assert add_working_days(D(2026, 3, 14), 0) == D(2026, 3, 14)

    def test_negative_days_are_refused(self):
        with pytest.raises(ValueError):
            add_working_days(D(2026, 3, 13), -1)

    def test_working_days_between_counts_like_add(self):
        start = D(2026, 3, 13)
        assert working_days_between(start, add_working_days(start, 14)) == 14
        assert working_days_between(D(2026, 4, 6), start) == -14
