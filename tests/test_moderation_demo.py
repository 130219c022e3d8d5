from odoo.tests import TransactionCase, tagged

MODULE = "hr_school_performance"


@tagged("post_install", "-at_install")
class TestModerationDemo(TransactionCase):
    """The demo shows a moderation complete and one in progress, pay decisions recorded
    and outstanding, and the payroll interface to the payroll login (make test only: it
    reads the demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.done = cls.env.ref(f"{MODULE}.moderation_office_oakfield_prev_demo", False)
        if not cls.done:
            cls.skipTest(cls, "demo data not installed")
        cls.in_progress = cls.env.ref(f"{MODULE}.moderation_catering_oakfield_prev_demo")

    def test_moderation_done_and_in_progress(self):
        self.assertTrue(self.done.date_closed)
        self.assertEqual(self.done.to_moderate_count, 0)
        self.assertTrue(
            all(self.done.cycle_id.review_ids.filtered("date_completed").mapped("outcome_final"))
        )
        self.assertFalse(self.in_progress.date_closed)
        self.assertEqual(self.in_progress.sample_seed, 20250)
        sampled = self.in_progress.cycle_id.review_ids.filtered("moderation_sampled")
        self.assertEqual(len(sampled), 1)
        self.assertEqual(sampled, self.in_progress._draw(self.in_progress._population(), 1, 20250))

    def test_decisions_recorded_and_outstanding(self):
        payroll = self.env.ref(f"{MODULE}.user_payroll_demo")
        governor = self.env.ref(f"{MODULE}.user_governor_demo")
        companies = payroll.company_ids.ids
        rows = (
            self.env["hr.performance.payroll.outcome"]
            .with_user(payroll)
            .with_context(allowed_company_ids=companies)
            .search([])
        )
        rachel = self.env.ref(f"{MODULE}.review_rachel_hughes_prev_demo")
        self.assertIn(rachel.id, rows.ids)
        self.assertEqual(
            rows.browse(rachel.id).decided_point_id, self.env.ref(f"{MODULE}.pay_point_9_32_demo")
        )
        outstanding = (
            self.env["hr.performance.pay.eligibility"]
            .with_user(governor)
            .with_context(allowed_company_ids=companies)
            .search([("decision_outstanding", "=", True)])
        )
        self.assertEqual(
            set(outstanding.ids),
            {
                self.env.ref(f"{MODULE}.review_karen_whitmore_prev_demo").id,
                self.env.ref(f"{MODULE}.review_amira_hassan_prev_demo").id,
            },
        )
