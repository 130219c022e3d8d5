from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import BANK_HOLIDAYS, CLOSURES, LONDON, HrSchoolPerformanceCase, london

DAYS = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))
COUNTS = st.integers(min_value=0, max_value=45)
KINDS = st.sampled_from(["working", "school"])
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)


def naive_is_working(day, kind):
    """The rules, day by day, straight from the fixture's lists."""
    if day.weekday() >= 5 or day in BANK_HOLIDAYS:
        return False
    for _name, first, last, closure_type in CLOSURES:
        if first <= day <= last and (closure_type == "closed" or kind == "school"):
            return False
    return True


def naive_add(day, days, kind):
    step = timedelta(days=1 if days >= 0 else -1)
    remaining = abs(days)
    if not remaining:
        while not naive_is_working(day, kind):
            day += step
        return day
    while remaining:
        day += step
        if naive_is_working(day, kind):
            remaining -= 1
    return day


@tagged("post_install", "-at_install")
class TestWorkingDays(HrSchoolPerformanceCase):
    """The one working-day service every deadline uses: weekends, bank holidays, school
    closures, INSET days (working days without pupils) and year ends."""

    def test_weekend_is_skipped(self):
        # Friday 9 October 2026 + 1 working day = Monday 12 October.
        self.assertEqual(
            self.school._performance_add_working_days(date(2026, 10, 9), 1), date(2026, 10, 12)
        )
        self.assertEqual(
            self.school._performance_add_working_days(date(2026, 10, 12), -1), date(2026, 10, 9)
        )

    def test_bank_holiday_is_skipped(self):
        # Friday 30 April 2027: Monday 3 May is the Early May bank holiday.
        self.assertEqual(
            self.school._performance_add_working_days(date(2027, 4, 30), 1), date(2027, 5, 4)
        )
        self.assertFalse(self.school._performance_is_working_day(date(2027, 5, 3)))
        self.assertFalse(self.school._performance_is_working_day(date(2027, 5, 3), "school"))

    def test_closure_is_skipped(self):
        # Thursday 22 October 2026 + 2 working days: the half-term week is closed.
        self.assertEqual(
            self.school._performance_add_working_days(date(2026, 10, 22), 2), date(2026, 11, 2)
        )

    def test_inset_day_is_a_working_day_but_not_a_school_day(self):
        inset = date(2026, 11, 2)
        self.assertTrue(self.school._performance_is_working_day(inset))
        self.assertFalse(self.school._performance_is_working_day(inset, "school"))
        # Friday 23 October: next working day is the INSET Monday, next school day Tuesday.
        friday = date(2026, 10, 23)
        self.assertEqual(self.school._performance_add_working_days(friday, 1), inset)
        self.assertEqual(
            self.school._performance_add_working_days(friday, 1, "school"), date(2026, 11, 3)
        )

    def test_year_end(self):
        # Friday 18 December 2026: Christmas closure, bank holidays inside it, New Year,
        # then an INSET day on Monday 4 January 2027.
        friday = date(2026, 12, 18)
        self.assertEqual(self.school._performance_add_working_days(friday, 1), date(2027, 1, 4))
        self.assertEqual(
            self.school._performance_add_working_days(friday, 1, "school"), date(2027, 1, 5)
        )
        self.assertEqual(self.school._performance_working_days_between(friday, date(2027, 1, 8)), 5)
        self.assertEqual(
            self.school._performance_working_days_between(friday, date(2027, 1, 8), "school"), 4
        )

    def test_between_counts_first_day_out_last_day_in(self):
        monday, friday = date(2026, 10, 5), date(2026, 10, 9)
        self.assertEqual(self.school._performance_working_days_between(monday, friday), 4)
        self.assertEqual(self.school._performance_working_days_between(friday, monday), -4)
        self.assertEqual(self.school._performance_working_days_between(monday, monday), 0)

    def test_zero_days_rolls_forward_to_a_working_day(self):
        self.assertEqual(
            self.school._performance_add_working_days(date(2026, 10, 24), 0), date(2026, 11, 2)
        )
        self.assertEqual(
            self.school._performance_add_working_days(date(2026, 10, 21), 0), date(2026, 10, 21)
        )

    def test_trust_closure_applies_to_its_schools_only_through_the_tree(self):
        day = date(2026, 10, 7)
        self.assertTrue(self.school._performance_is_working_day(day))
        self.env["hr.performance.school.closure"].create(
            {
                "name": "Trust conference",
                "company_id": self.trust.id,
                "date_from": day,
                "date_to": day,
                "closure_type": "no_pupils",
            }
        )
        self.assertTrue(self.school._performance_is_working_day(day))
        self.assertFalse(self.school._performance_is_working_day(day, "school"))
        self.assertFalse(self.other_school._performance_is_working_day(day, "school"))

    def test_who_maintains_closures(self):
        Closure = self.env["hr.performance.school.closure"]
        vals = {"name": "Polling day", "date_from": date(2027, 5, 6), "date_to": date(2027, 5, 6)}
        # The school's headteacher keeps the school's dates, not the trust's.
        Closure.with_user(self.headteacher_user).create(dict(vals, company_id=self.school.id))
        with self.assertRaises(AccessError):
            Closure.with_user(self.headteacher_user).create(dict(vals, company_id=self.trust.id))
        self.assertEqual(
            Closure.with_user(self.headteacher_user).search_count([("name", "=", "Polling day")]),
            1,
        )
        # HR working for the whole trust sets trust-wide closures, read by every school.
        Closure.with_user(self.hr_officer).create(dict(vals, company_id=self.trust.id))
        self.assertEqual(
            Closure.with_user(self.headteacher_user).search_count([("name", "=", "Polling day")]),
            2,
        )
        with self.assertRaises(AccessError):
            Closure.with_user(self.reviewer_user).create(dict(vals, company_id=self.school.id))

    def test_public_holiday_on_all_schedules_of_the_trust(self):
        day = date(2026, 10, 8)
        self.env["resource.calendar.leaves"].with_company(self.trust).create(
            {
                "name": "Trust-wide day off",
                "date_from": london(day, 0, 0),
                "date_to": london(day, 23, 59),
            }
        )
        self.assertFalse(self.school._performance_is_working_day(day))
        self.assertFalse(self.other_school._performance_is_working_day(day))

    def test_part_time_schedule_of_the_school(self):
        # A school open Monday to Thursday only.
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Four days",
                "tz": "Europe/London",
                "company_id": self.other_school.id,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {weekday}",
                            "dayofweek": str(weekday),
                            "hour_from": 8,
                            "hour_to": 16,
                        }
                    )
                    for weekday in range(4)
                ],
            }
        )
        self.other_school.resource_calendar_id = calendar
        thursday = date(2026, 10, 8)
        self.assertEqual(
            self.other_school._performance_add_working_days(thursday, 1), date(2026, 10, 12)
        )

    def test_no_working_day_at_all_is_a_clear_error(self):
        self.env["hr.performance.school.closure"].create(
            {
                "name": "Closed for rebuilding",
                "company_id": self.other_school.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2031, 12, 31),
                "closure_type": "closed",
            }
        )
        with self.assertRefused(UserError, "has no working day around"):
            self.other_school._performance_add_working_days(date(2027, 3, 1), 5)

    def test_days_off_are_loaded_once_per_window(self):
        calendar = self.school._performance_working_calendar()
        self.env.invalidate_all()
        # One call to resource (the schedule read once, its attendances and public holidays)
        # and one query for closures, for a window of more than a year...
        with self.assertQueryCount(6):
            for offset in range(0, 300, 7):
                calendar.add(date(2026, 9, 1) + timedelta(days=offset), 10)
                calendar.between(date(2026, 9, 1), date(2026, 9, 1) + timedelta(days=offset))
        # ... and as many again (less the schedule) only when a date falls outside it.
        with self.assertQueryCount(4):
            calendar.add(date(2030, 1, 7), 3)
        self.assertEqual(calendar.load_count, 2)

    # ------------------------------------------------------------------
    # Properties
    # ------------------------------------------------------------------
    @PROPERTY_SETTINGS
    @given(day=DAYS, days=COUNTS, kind=KINDS)
    def test_property_matches_day_by_day_rules(self, day, days, kind):
        self.assertEqual(
            self.school._performance_add_working_days(day, days, kind), naive_add(day, days, kind)
        )
        self.assertEqual(
            self.school._performance_add_working_days(day, -days, kind),
            naive_add(day, -days, kind),
        )

    @PROPERTY_SETTINGS
    @given(day=DAYS, days=st.integers(min_value=1, max_value=45), kind=KINDS)
    def test_property_add_then_count(self, day, days, kind):
        calendar = self.school._performance_working_calendar()
        result = calendar.add(day, days, kind)
        self.assertGreater(result, day)
        self.assertTrue(calendar.is_working_day(result, kind))
        self.assertTrue(naive_is_working(result, kind), f"{result} is a day off")
        self.assertEqual(calendar.between(day, result, kind), days)
        before = calendar.add(day, -days, kind)
        self.assertLess(before, day)
        self.assertTrue(naive_is_working(before, kind), f"{before} is a day off")

    @PROPERTY_SETTINGS
    @given(day=DAYS, days=COUNTS, kind=KINDS)
    def test_property_monotonic_and_inverse(self, day, days, kind):
        calendar = self.school._performance_working_calendar()
        # Zero days rolls a day off forward to the next working day, so the first step
        # forward may land on the same day; every other step moves.
        if days or calendar.is_working_day(day, kind):
            self.assertLess(calendar.add(day, days, kind), calendar.add(day, days + 1, kind))
        else:
            self.assertEqual(calendar.add(day, days, kind), calendar.add(day, days + 1, kind))
        self.assertGreater(calendar.add(day, -days, kind), calendar.add(day, -days - 1, kind))
        start = calendar.add(day, 0, kind)  # a working day
        self.assertEqual(calendar.add(calendar.add(start, days, kind), -days, kind), start)
        self.assertEqual(calendar.add(calendar.add(start, -days, kind), days, kind), start)

    @PROPERTY_SETTINGS
    @given(first=DAYS, second=DAYS, third=DAYS, kind=KINDS)
    def test_property_counting_is_additive_and_antisymmetric(self, first, second, third, kind):
        calendar = self.school._performance_working_calendar()
        self.assertEqual(
            calendar.between(first, second, kind) + calendar.between(second, third, kind),
            calendar.between(first, third, kind),
        )
        self.assertEqual(
            calendar.between(first, second, kind), -calendar.between(second, first, kind)
        )

    @PROPERTY_SETTINGS
    @given(day=DAYS, days=COUNTS)
    def test_property_school_days_are_working_days(self, day, days):
        calendar = self.school._performance_working_calendar()
        school_day = calendar.add(day, days, "school")
        self.assertTrue(calendar.is_working_day(school_day, "working"))
        self.assertGreaterEqual(school_day, calendar.add(day, days, "working"))

    @PROPERTY_SETTINGS
    @given(day=DAYS, days=COUNTS)
    def test_property_matches_resource_plan_days_without_closures(self, day, days):
        """Without school closures, a working day is exactly what ``resource`` plans on:
        the school's schedule less its public holidays."""
        self.closures.exists().unlink()
        calendar = self.school._performance_working_calendar()
        # plan_days counts the day it starts from: start on the day after ``day``.
        start = LONDON.localize(datetime.combine(day + timedelta(days=1), time.min))
        planned = self.calendar.plan_days(max(days, 1), start, compute_leaves=True)
        expected = planned.date()
        if not days and calendar.is_working_day(day):
            expected = day
        self.assertEqual(calendar.add(day, days), expected)
