from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import HrSchoolPerformanceCase


@tagged("post_install", "-at_install")
class TestUiLaunchTour(HrSchoolPerformanceCase, HttpCase):
    """An HR officer configures a job group, launches its cycle and opens a review from the
    employee form, in a real browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The fixture's school A, its HR officer and its reviewer Maria, with two
        # playworkers she manages and a cook in no job group.
        Job = cls.env["hr.job"].with_company(cls.school)
        cls.job_playworker = Job.create({"name": "Tour Playworker", "company_id": cls.school.id})
        cls.job_cook = Job.create({"name": "Tour Cook", "company_id": cls.school.id})
        Employee = cls.env["hr.employee"].with_company(cls.school)
        cls.olivia, cls.kofi, cls.cook = Employee.create(
            [
                {
                    "name": name,
                    "company_id": cls.school.id,
                    "job_id": job.id,
                    "parent_id": cls.manager.id,
                }
                for name, job in [
                    ("Olivia Bennett", cls.job_playworker),
                    ("Kofi Mensah", cls.job_playworker),
                    ("Rosa Delgado", cls.job_cook),
                ]
            ]
        )

    def test_launch_tour(self):
        self.start_tour("/odoo", "hr_school_performance_launch_tour", login=self.hr_officer.login)

        group = self.env["hr.performance.job.group"].search([("name", "=", "Playworkers")])
        self.assertEqual(len(group), 1)
        self.assertEqual(group.company_id, self.school)
        self.assertEqual(group.job_ids, self.job_playworker)
        self.assertEqual(group.cycle_start_month, "4")
        self.assertEqual(group.cycle_start_day, 1)
        self.assertEqual(group.midyear_offset_months, 7)
        self.assertEqual(group.process, "abbreviated")
        self.assertEqual(group.max_objectives, 5)

        cycle = group.cycle_ids
        self.assertEqual(len(cycle), 1)
        self.assertEqual(cycle.state, "open")
        self.assertEqual(cycle.company_id, self.school)
        start, end = group._cycle_bounds(fields.Date.context_today(cycle))
        self.assertEqual((cycle.date_start, cycle.date_end), (start, end))
        self.assertEqual(start.month, 4)
        self.assertEqual(cycle.date_midyear.month, 11)
        self.assertEqual(cycle.create_uid, self.hr_officer)

        reviews = cycle.review_ids
        self.assertEqual(reviews.employee_id, self.olivia | self.kofi)
        self.assertEqual(set(reviews.mapped("state")), {"planning"})
        self.assertEqual(reviews.reviewer_id, self.manager)
        # The reviewer owes the planning meeting.
        self.assertEqual(
            reviews.activity_ids.mapped("activity_type_id"),
            self.env.ref("hr_school_performance.mail_activity_type_planning_meeting"),
        )
        self.assertEqual(reviews.activity_ids.user_id, self.reviewer_user)
        # The cook is in no job group: recorded, not launched.
        self.assertEqual(
            cycle.exclusion_ids.filtered(lambda e: e.employee_id == self.cook).reason, "no_group"
        )
