from contextlib import contextmanager
from datetime import date

from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

HR_OFFICER = "hr_school_performance.hr_school_performance_group_hr_officer"
HEADTEACHER = "hr_school_performance.hr_school_performance_group_headteacher"


class SchoolPerformanceCase(TransactionCase):
    """A trust with two schools, a job group on the Sep–Aug calendar, staff with line
    managers and logins for each role. No demo data is used."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Company = cls.env["res.company"]
        cls.trust = Company.create({"name": "Test Learning Trust"})
        cls.school = Company.create({"name": "Test Primary School", "parent_id": cls.trust.id})
        cls.other_school = Company.create(
            {"name": "Test Secondary School", "parent_id": cls.trust.id}
        )
        all_companies = cls.trust | cls.school | cls.other_school
        cls.hr_officer = new_test_user(
            cls.env,
            login="hsp_hr_officer",
            groups=f"base.group_user,{HR_OFFICER}",
            company_id=cls.school.id,
            company_ids=[Command.set(all_companies.ids)],
        )
        cls.headteacher_user = new_test_user(
            cls.env,
            login="hsp_head",
            groups=f"base.group_user,{HEADTEACHER}",
            company_id=cls.school.id,
            company_ids=[Command.set(cls.school.ids)],
        )
        cls.reviewer_user = new_test_user(
            cls.env,
            login="hsp_reviewer",
            groups="base.group_user",
            company_id=cls.school.id,
            company_ids=[Command.set(cls.school.ids)],
        )
        cls.reviewee_user = new_test_user(
            cls.env,
            login="hsp_reviewee",
            groups="base.group_user",
            company_id=cls.school.id,
            company_ids=[Command.set(cls.school.ids)],
        )
        cls.job_ta = cls.env["hr.job"].create(
            {"name": "Teaching Assistant", "company_id": cls.school.id}
        )
        cls.job_cleaner = cls.env["hr.job"].create({"name": "Cleaner", "company_id": cls.school.id})
        cls.job_group = cls.env["hr.performance.job.group"].create(
            {
                "name": "Teaching Assistants",
                "company_id": cls.trust.id,
                "job_ids": [Command.link(cls.job_ta.id)],
                "cycle_start_month": "9",
                "cycle_start_day": 1,
                "midyear_offset_months": 5,
                "max_objectives": 3,
            }
        )
        Employee = cls.env["hr.employee"]
        cls.manager = Employee.create(
            {
                "name": "Maria Manager",
                "company_id": cls.school.id,
                "user_id": cls.reviewer_user.id,
            }
        )
        cls.deputy = Employee.create({"name": "Dan Deputy", "company_id": cls.school.id})
        cls.head = Employee.create(
            {"name": "Helen Head", "company_id": cls.school.id, "user_id": cls.headteacher_user.id}
        )
        cls.ta_1 = Employee.create(
            {
                "name": "Tom Assistant",
                "company_id": cls.school.id,
                "job_id": cls.job_ta.id,
                "parent_id": cls.manager.id,
                "user_id": cls.reviewee_user.id,
            }
        )
        cls.ta_2 = Employee.create(
            {
                "name": "Tina Assistant",
                "company_id": cls.school.id,
                "job_id": cls.job_ta.id,
                "parent_id": cls.manager.id,
            }
        )
        cls.cleaner = Employee.create(
            {"name": "Carl Cleaner", "company_id": cls.school.id, "job_id": cls.job_cleaner.id}
        )

    @classmethod
    def _create_cycle(cls, group=None, school=None, start=date(2026, 9, 1), end=date(2027, 8, 31)):
        return cls.env["hr.performance.cycle"].create(
            {
                "job_group_id": (group or cls.job_group).id,
                "company_id": (school or cls.school).id,
                "date_start": start,
                "date_end": end,
            }
        )

    def _launch(self, cycle):
        return cycle.with_user(self.hr_officer).action_launch()

    @contextmanager
    def _assert_raises_regex(self, exception, regex):
        # Odoo wraps assertRaises (not assertRaisesRegex) in a savepoint, so that what
        # the refused call wrote is rolled back: reuse it.
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    def assertRaisesRegex(self, exception, regex, *args, **kwargs):
        if args or kwargs:
            return super().assertRaisesRegex(exception, regex, *args, **kwargs)
        return self._assert_raises_regex(exception, regex)

    def assertStored(self, record, fname, expected):
        """Assert what the database holds, not the cache: a refused write is rolled back
        to its savepoint, but values it put in the cache stay there."""
        self.env.invalidate_all()
        self.assertEqual(record[fname], expected)
