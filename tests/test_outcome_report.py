from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import GOVERNOR, HEAD_A, HEAD_B, HR_TRUST, PAYROLL, REVIEWER
from .test_pay_decision import PayCase


@tagged("post_install", "-at_install")
class TestOutcomeReport(PayCase):
    """The consistency view (seed 003, section 5): outcome distribution by school, job
    group and reviewer, the reviewer hidden from those who may not see it."""

    freeze_today = "2026-10-01"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._complete(cls.review, level="exceeded")
        cls._complete(cls.review_tina, level="achieved")
        cls.exceeded = cls.env.ref("hr_school_performance.hr_performance_scale_level_exceeded")
        cls.achieved = cls.env.ref("hr_school_performance.hr_performance_scale_level_achieved")

    def _counts(self, role, groupby):
        Report = self.as_role(role, self.env["hr.performance.outcome.report"])
        return dict(
            Report._read_group([("cycle_id", "=", self.cycle.id)], [groupby], ["review_count:sum"])
        )

    def test_distribution_on_known_data(self):
        for role in (HEAD_A, HR_TRUST, GOVERNOR):
            with self.subTest(role=role):
                self.assertEqual(
                    self._counts(role, "outcome_level_id"), {self.exceeded: 1, self.achieved: 1}
                )
                self.assertEqual(self._counts(role, "job_group_id"), {self.job_group: 2})
                self.assertEqual(self._counts(role, "company_id"), {self.school: 2})
        self.assertEqual(self._counts(HEAD_A, "reviewer_id"), {self.manager: 2})
        self.assertEqual(self._counts(HEAD_B, "outcome_level_id"), {})

    def test_reviewer_hidden_from_governors_and_nobody_else_reads_it(self):
        Report = self.as_role(GOVERNOR, self.env["hr.performance.outcome.report"])
        rows = Report.search_read([("cycle_id", "=", self.cycle.id)])
        self.assertEqual(len(rows), 2)
        self.assertNotIn("reviewer_id", rows[0])
        with self.assertRaises(AccessError):
            Report.search_read([], ["reviewer_id"])
        with self.assertRaises(AccessError):
            Report._read_group([], ["reviewer_id"], ["__count"])
        for role in (PAYROLL, REVIEWER):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.as_role(role, self.env["hr.performance.outcome.report"]).search([])
