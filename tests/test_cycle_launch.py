from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import HrSchoolPerformanceCase


@tagged("post_install", "-at_install")
class TestCycleLaunch(HrSchoolPerformanceCase):
    def _exclusions(self, cycle):
        return {(e.employee_id, e.reason): e.date_until for e in cycle.exclusion_ids}

    @freeze_time("2026-09-01")
    def test_launch_creates_one_review_per_member(self):
        cycle = self._create_cycle()
        self.assertEqual(cycle.name, "Teaching Assistants 2026–27, Test Primary School")
        reviews = self._launch(cycle)
        self.assertEqual(cycle.state, "open")
        self.assertEqual(reviews.employee_id, self.ta_1 | self.ta_2)
        self.assertEqual(reviews.mapped("reviewer_id"), self.manager)
        self.assertEqual(set(reviews.mapped("state")), {"planning"})
        self.assertEqual(set(reviews.mapped("date_start")), {date(2026, 9, 1)})
        self.assertEqual(set(reviews.mapped("date_end")), {date(2027, 8, 31)})
        self.assertFalse(any(reviews.mapped("is_shortened")))
        # Staff of the school who belong to no job group are reported, not dropped silently.
        exclusions = self._exclusions(cycle)
        for employee in self.cleaner | self.manager | self.deputy | self.head:
            self.assertIn((employee, "no_group"), exclusions)
        self.assertEqual(cycle.exclusion_count, 4)
        # The reviewer owes the planning meeting.
        activity = reviews.activity_ids.filtered(lambda a: a.res_id == reviews[0].id)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("hr_school_performance.mail_activity_type_planning_meeting"),
        )
        self.assertEqual(activity.user_id, self.reviewer_user)
        self.assertIn("2 reviews created", cycle.message_ids[0].body)

    @freeze_time("2026-09-01")
    def test_launch_twice_is_refused(self):
        cycle = self._create_cycle()
        self._launch(cycle)
        with self.assertRefused(UserError, "already been launched"):
            self._launch(cycle)
        self.assertEqual(cycle.review_count, 2)
        self.assertEqual(cycle.exclusion_count, 4)

    def test_only_hr_officers_launch(self):
        cycle = self._create_cycle()
        for user in (self.reviewer_user, self.headteacher_user):
            with self.assertRaises(AccessError):
                cycle.with_user(user).action_launch()
        self.assertEqual(cycle.state, "draft")
        self.assertFalse(cycle.review_ids)

    @freeze_time("2026-09-01")
    def test_probation_excluded_then_added_when_it_ends(self):
        self.ta_2.trial_date_end = date(2026, 12, 31)
        cycle = self._create_cycle()
        reviews = self._launch(cycle)
        self.assertEqual(reviews.employee_id, self.ta_1)
        self.assertEqual(self._exclusions(cycle)[(self.ta_2, "probation")], date(2026, 12, 31))
        with freeze_time("2027-01-04"):
            added = cycle.with_user(self.hr_officer).action_add_eligible()
        self.assertEqual(added.employee_id, self.ta_2)
        self.assertEqual(added.date_start, date(2027, 1, 1))
        self.assertTrue(added.is_shortened)
        self.assertEqual(cycle.review_count, 2, "the existing review is left alone")
        self.assertNotIn(self.ta_2, cycle.exclusion_ids.employee_id)

    @freeze_time("2026-09-01")
    def test_capability_excluded(self):
        self.ta_2.performance_capability = True
        cycle = self._create_cycle()
        reviews = self._launch(cycle)
        self.assertEqual(reviews.employee_id, self.ta_1)
        self.assertIn((self.ta_2, "capability"), self._exclusions(cycle))

    @freeze_time("2026-10-01")
    def test_leavers_reported_only_when_they_left_during_the_cycle(self):
        left_in_cycle = self.env["hr.employee"].create(
            {"name": "Lena Leaver", "company_id": self.school.id, "job_id": self.job_ta.id}
        )
        left_before = self.env["hr.employee"].create(
            {"name": "Otto Old", "company_id": self.school.id, "job_id": self.job_ta.id}
        )
        left_in_cycle.write({"departure_date": date(2026, 9, 20), "active": False})
        left_before.write({"departure_date": date(2025, 7, 20), "active": False})
        cycle = self._create_cycle()
        reviews = self._launch(cycle)
        self.assertNotIn(left_in_cycle, reviews.employee_id)
        exclusions = self._exclusions(cycle)
        self.assertEqual(exclusions[(left_in_cycle, "archived")], date(2026, 9, 20))
        self.assertNotIn(left_before, cycle.exclusion_ids.employee_id)

    @freeze_time("2026-09-01")
    def test_mid_cycle_starter_gets_a_shortened_review(self):
        self.ta_2.contract_date_start = date(2027, 1, 15)
        starts_later = self.env["hr.employee"].create(
            {"name": "Nina New", "company_id": self.school.id, "job_id": self.job_ta.id}
        )
        starts_later.contract_date_start = date(2027, 10, 1)
        cycle = self._create_cycle()
        reviews = self._launch(cycle)
        review = reviews.filtered(lambda r: r.employee_id == self.ta_2)
        self.assertEqual(review.date_start, date(2027, 1, 15))
        self.assertEqual(review.date_end, date(2027, 8, 31), "ends with the group's cycle")
        self.assertTrue(review.is_shortened)
        self.assertEqual(self._exclusions(cycle)[(starts_later, "not_started")], date(2027, 10, 1))

    @freeze_time("2026-09-01")
    def test_no_line_manager_asks_hr_to_appoint_a_reviewer(self):
        self.ta_2.parent_id = False
        cycle = self._create_cycle()
        reviews = self._launch(cycle)
        review = reviews.filtered(lambda r: r.employee_id == self.ta_2)
        self.assertFalse(review.reviewer_id)
        self.assertEqual(
            review.activity_ids.activity_type_id,
            self.env.ref("hr_school_performance.mail_activity_type_appoint_reviewer"),
        )
        self.assertEqual(review.activity_ids.user_id, self.hr_officer)
        review.with_user(self.hr_officer).reviewer_id = self.deputy
        self.assertEqual(review.reviewer_id, self.deputy)

    @freeze_time("2026-09-01")
    def test_employee_tags_make_members_too(self):
        tag = self.env["hr.employee.category"].create({"name": "Lunchtime"})
        self.cleaner.category_ids = tag
        self.job_group.category_ids = tag
        reviews = self._launch(self._create_cycle())
        self.assertEqual(reviews.employee_id, self.ta_1 | self.ta_2 | self.cleaner)

    @freeze_time("2026-10-15")
    def test_trust_wide_group_creates_a_cycle_per_school(self):
        self.job_group.with_user(self.hr_officer).action_create_cycles()
        cycles = self.job_group.cycle_ids
        self.assertEqual(cycles.company_id, self.school | self.other_school)
        self.assertEqual(set(cycles.mapped("date_start")), {date(2026, 9, 1)})
        self.assertEqual(set(cycles.mapped("date_end")), {date(2027, 8, 31)})
        self.assertEqual(set(cycles.mapped("date_midyear")), {date(2027, 2, 1)})
        # Running it again does not duplicate the cycles.
        self.job_group.with_user(self.hr_officer).action_create_cycles()
        self.assertEqual(len(self.job_group.cycle_ids), 2)

    def test_cycle_bounds_for_an_april_calendar(self):
        self.job_group.write({"cycle_start_month": "4", "midyear_offset_months": 7})
        bounds = self.job_group._cycle_bounds
        self.assertEqual(bounds(date(2026, 11, 22)), (date(2026, 4, 1), date(2027, 3, 31)))
        self.assertEqual(bounds(date(2027, 3, 31)), (date(2026, 4, 1), date(2027, 3, 31)))
        self.assertEqual(bounds(date(2027, 4, 1)), (date(2027, 4, 1), date(2028, 3, 31)))

    def test_bad_cycle_dates_are_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._create_cycle(start=date(2026, 9, 1), end=date(2026, 8, 1))
        self._create_cycle()
        with self.assertRefused(ValidationError, "overlaps"):
            self._create_cycle(start=date(2027, 1, 1), end=date(2027, 12, 31))
        with self.assertRefused(ValidationError, "day 31"):
            self.job_group.cycle_start_day = 31  # September has 30 days

    @freeze_time("2026-09-01")
    def test_review_period_must_lie_within_the_cycle(self):
        cycle = self._create_cycle()
        review = self._launch(cycle)[0]
        with self.assertRefused(ValidationError, "within its cycle"):
            review.date_end = date(2027, 9, 30)
        self.assertStored(review, "date_end", date(2027, 8, 31))

    @freeze_time("2026-09-01")
    def test_launched_cycle_keeps_its_dates_and_closes_when_done(self):
        cycle = self._create_cycle()
        reviews = self._launch(cycle)
        with self.assertRefused(UserError, "cannot change"):
            cycle.with_user(self.hr_officer).date_start = date(2026, 9, 2)
        self.assertStored(cycle, "date_start", date(2026, 9, 1))
        with self.assertRefused(UserError, "not completed or cancelled"):
            cycle.with_user(self.hr_officer).action_close()
        reviews.with_user(self.hr_officer).action_cancel()
        cycle.with_user(self.hr_officer).action_close()
        self.assertEqual(cycle.state, "closed")
        with self.assertRefused(UserError, "Only draft cycles"):
            cycle.unlink()
