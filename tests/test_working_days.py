from datetime import date, datetime, time, timedelta

import pytz
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


def _dates(first, last):
    while first <= last:
        yield first
        first += timedelta(days=1)


def _days_of_one_school(school, date_from, date_to):
    """(worked, pupil_free) of one school in [date_from, date_to], asked of resource for
    that school alone, as the addon did before schools were loaded together: its schedule's
    work intervals with the leave domain of the school and its trust, and its closures."""
    calendar = school._performance_resource_calendar()
    path = [int(part) for part in school.sudo().parent_path.split("/") if part]
    tz = pytz.timezone(calendar.tz)
    start = tz.localize(datetime.combine(date_from, time.min))
    end = tz.localize(datetime.combine(date_to, time.max))
    domain = [
        ("time_type", "=", "leave"),
        "|",
        ("calendar_id", "!=", False),
        ("company_id", "in", path),
    ]
    if calendar.flexible_hours:
        off = set()
        for first, last, _leave in calendar._leave_intervals_batch(start, end, domain=domain)[
            False
        ]:
            off.update(_dates(first.date(), (last - timedelta(microseconds=1)).date()))
        worked = set(_dates(date_from, date_to)) - off
    else:
        intervals = calendar._work_intervals_batch(start, end, domain=domain)[False]
        worked = {first.date() for first, _last, _meta in intervals}
    pupil_free = set()
    closures = school.env["hr.performance.school.closure"].search(
        [("company_id", "in", path), ("date_from", "<=", date_to), ("date_to", ">=", date_from)]
    )
    for closure in closures:
        days = set(_dates(max(closure.date_from, date_from), min(closure.date_to, date_to)))
        if closure.closure_type == "closed":
            worked -= days
        else:
            pupil_free |= days
    return worked, pupil_free


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

    def _four_day_calendar(self, company=None):
        """A working schedule of Monday to Thursday, 8:00 to 16:00."""
        return self.env["resource.calendar"].create(
            {
                "name": "Four days",
                "tz": "Europe/London",
                **({"company_id": company.id} if company else {}),
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

    def test_part_time_schedule_of_the_school(self):
        # A school open Monday to Thursday only.
        calendar = self._four_day_calendar(self.other_school)
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
        # The school and its schedule read once; the attendances of the schedules (one
        # search for every school of the batch, then resource's own), the public holidays
        # and the closures, one query each for a window of more than a year...
        with self.assertQueryCount(6):
            for offset in range(0, 300, 7):
                calendar.add(date(2026, 9, 1) + timedelta(days=offset), 10)
                calendar.between(date(2026, 9, 1), date(2026, 9, 1) + timedelta(days=offset))
        # ... and as many again (less the schedule) only when a date falls outside it.
        with self.assertQueryCount(4):
            calendar.add(date(2030, 1, 7), 3)
        self.assertEqual(calendar.load_count, 2)

    def test_schools_of_a_batch_load_their_days_together(self):
        calendars = (self.school | self.other_school)._performance_working_calendars()
        calendars[self.school].add(date(2026, 9, 1), 10)
        # The other school's days of the same window were loaded with the first school's.
        with self.assertQueryCount(0):
            calendars[self.other_school].add(date(2026, 9, 1), 10)
            calendars[self.other_school].add(date(2026, 10, 1), -10)
        with self.assertQueryCount(0):
            calendars[self.school].between(date(2026, 9, 1), date(2027, 8, 31))

    def test_batch_loader_gives_each_school_its_own_days(self):
        """Loaded together, schools with different public holidays, closures, schedules and
        time zones get the days resource and their closures give each of them alone."""
        Company = self.env["res.company"]
        Leave = self.env["resource.calendar.leaves"]
        Closure = self.env["hr.performance.school.closure"]
        other_trust = Company.create({"name": "Other trust"})
        outside = Company.create({"name": "School of another trust", "parent_id": other_trust.id})
        four_days = self._four_day_calendar()
        part_time = Company.create(
            {"name": "Part-time school", "parent_id": self.trust.id},
        )
        part_time.resource_calendar_id = four_days
        tokyo = Company.create({"name": "Tokyo school", "parent_id": self.trust.id})
        tokyo.resource_calendar_id.tz = "Asia/Tokyo"
        flexible = Company.create({"name": "Flexible school", "parent_id": self.trust.id})
        flexible.resource_calendar_id.flexible_hours = True
        # A trust-wide public holiday (on no schedule): the trust's schools only.
        Leave.with_company(self.trust).create(
            {
                "name": "Trust-wide day off",
                "date_from": london(date(2026, 10, 8), 0, 0),
                "date_to": london(date(2026, 10, 8), 23, 59),
            }
        )
        # A holiday of the other trust, and one of the four-day schedule only; a morning off
        # leaves the day worked, a whole working day off does not.
        Leave.with_company(other_trust).create(
            {
                "name": "Other trust's day off",
                "date_from": london(date(2026, 10, 13), 0, 0),
                "date_to": london(date(2026, 10, 13), 23, 59),
            }
        )
        Leave.create(
            [
                {
                    "name": name,
                    "calendar_id": four_days.id,
                    "date_from": london(day, first, 0),
                    "date_to": london(day, last, 0),
                }
                for name, day, first, last in (
                    ("Morning off", date(2026, 10, 14), 8, 12),
                    ("Day off", date(2026, 10, 15), 8, 16),
                )
            ]
        )
        # Each school's own closures.
        Closure.create(
            [
                {
                    "name": name,
                    "company_id": company.id,
                    "date_from": first,
                    "date_to": last,
                    "closure_type": kind,
                }
                for name, company, first, last, kind in (
                    (
                        "INSET",
                        self.other_school,
                        date(2026, 10, 19),
                        date(2026, 10, 19),
                        "no_pupils",
                    ),
                    (
                        "Heating",
                        self.other_school,
                        date(2026, 10, 20),
                        date(2026, 10, 21),
                        "closed",
                    ),
                    ("Flood", outside, date(2026, 10, 6), date(2026, 10, 6), "closed"),
                    ("Trip", tokyo, date(2026, 10, 9), date(2026, 10, 9), "no_pupils"),
                )
            ]
        )
        schools = self.school | self.other_school | outside | part_time | tokyo | flexible
        window = (date(2026, 9, 1), date(2027, 8, 31))
        self.env.invalidate_all()
        together = schools._performance_load_days(*window)
        calendars = schools._performance_working_calendars()
        for school in schools:
            worked, pupil_free = together[school.id]
            expected_worked, expected_pupil_free = _days_of_one_school(school, *window)
            self.assertEqual(worked ^ expected_worked, set(), f"{school.name}: worked days")
            self.assertEqual(
                pupil_free ^ expected_pupil_free, set(), f"{school.name}: pupil-free days"
            )
            alone = school._performance_working_calendar()
            for day in _dates(*window):
                for kind in ("working", "school"):
                    self.assertEqual(
                        calendars[school].is_working_day(day, kind),
                        alone.is_working_day(day, kind),
                        f"{school.name}, {day}, {kind}",
                    )
        # The fixtures above do tell the schools apart.
        worked = {school: together[school.id][0] for school in schools}
        self.assertNotIn(date(2026, 10, 8), worked[self.other_school])
        self.assertIn(date(2026, 10, 8), worked[outside])
        self.assertNotIn(date(2026, 10, 13), worked[outside])
        self.assertIn(date(2026, 10, 14), worked[part_time])
        self.assertNotIn(date(2026, 10, 15), worked[part_time])
        self.assertNotIn(date(2026, 10, 16), worked[part_time])
        self.assertNotIn(date(2026, 10, 20), worked[self.other_school])
        self.assertIn(date(2026, 10, 20), worked[self.school])
        self.assertIn(date(2026, 10, 10), worked[flexible])
        self.assertNotIn(date(2026, 10, 8), worked[flexible])

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
