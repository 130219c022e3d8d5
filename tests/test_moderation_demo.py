from odoo.tests import TransactionCase, tagged

MODULE = "hr_school_performance"


@tagged("post_install", "-at_install")
class TestModerationDemo(TransactionCase):
    """The demo shows a school whose moderation is done (Oakfield) and one whose moderation
    is in progress (Riverside), pay decisions recorded and outstanding, and the payroll
    interface to the payroll login (make test only: it reads the demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.done = cls.env.ref(f"{MODULE}.moderation_office_oakfield_prev_demo", False)
        if not cls.done:
            cls.skipTest(cls, "demo data not installed")
        cls.done |= cls.env.ref(f"{MODULE}.moderation_catering_oakfield_prev_demo")
        cls.in_progress = cls.env.ref(
            f"{MODULE}.moderation_teaching_assistants_riverside_prev_demo"
        )
        cls.aisha = cls.env.ref(f"{MODULE}.review_aisha_begum_prev_demo")
        cls.chloe = cls.env.ref(f"{MODULE}.review_chloe_adams_prev_demo")

    def _ref(self, xmlid):
        return self.env.ref(f"{MODULE}.{xmlid}")

    def test_oakfield_moderation_done(self):
        oakfield = self._ref("company_oakfield_demo")
        self.assertEqual(set(self.done.cycle_id.company_id), {oakfield})
        for moderation in self.done:
            self.assertTrue(moderation.date_closed, moderation.cycle_id.display_name)
            self.assertEqual(moderation.to_moderate_count, 0)
        completed = self.done.cycle_id.review_ids.filtered(lambda r: r.state == "completed")
        self.assertEqual(len(completed), 5)
        self.assertTrue(all(completed.mapped("outcome_final")))
        catering = self._ref("moderation_catering_oakfield_prev_demo")
        self.assertEqual(catering.sample_seed, 20250)
        sampled = catering.cycle_id.review_ids.filtered("moderation_sampled")
        self.assertEqual(sampled, catering._draw(catering._population(), 1, 20250))
        self.assertEqual(set(sampled.mapped("moderation_state")), {"confirmed"})
        # Jean Holt's appeal waited for the moderation: it has gone on since.
        appeal = self._ref("appeal_jean_holt_demo")
        self.assertNotEqual(appeal.state, "waiting")

    def test_events_follow_each_other(self):
        """Each moderated outcome was moderated after the statement recording it was signed,
        and each pay decision taken once the outcome was moderated: the demo tells one
        story in date order."""
        reviews = self.env["hr.performance.review"].search([("date_moderated", "!=", False)])
        self.assertGreaterEqual(len(reviews), 4)
        for review in reviews:
            with self.subTest(review=review.display_name):
                self.assertTrue(review.date_outcome_signed)
                self.assertLessEqual(review.date_outcome_signed, review.date_moderated)
        decisions = self.env["hr.performance.pay.decision"].search([])
        self.assertGreaterEqual(len(decisions), 5)
        for decision in decisions:
            review = decision.review_id
            with self.subTest(review=review.display_name):
                if review.date_moderated:
                    self.assertLessEqual(review.date_moderated, decision.date_decision)
                closed = review.cycle_id.moderation_ids.date_closed
                if review.moderation_mode != "none" and not review.moderation_selected:
                    self.assertLessEqual(closed, decision.date_decision)
                self.assertLessEqual(decision.date_decision, decision.date_effective)

    def test_riverside_moderation_in_progress(self):
        riverside = self._ref("company_riverside_demo")
        self.assertEqual(self.in_progress.cycle_id.company_id, riverside)
        self.assertFalse(self.in_progress.date_closed)
        self.assertTrue(self.in_progress.date_drawn)
        self.assertEqual(self.in_progress.sample_seed, 20261)
        # Half of the two statements drawn with the recorded seed, then topped up by hand.
        population = self.in_progress._population()
        self.assertEqual(population, self.aisha | self.chloe)
        self.assertEqual(len(self.in_progress._draw(population, 1, 20261)), 1)
        self.assertTrue(self.aisha.moderation_sampled and self.chloe.moderation_sampled)
        self.assertEqual(self.chloe.moderation_state, "confirmed")
        self.assertEqual(self.aisha.moderation_state, "revision")
        self.assertTrue(self.aisha.revision_reason and self.aisha.date_revision_requested)
        self.assertFalse(self.aisha.date_statement_signed)
        # Chloe's outcome is final (her statement confirmed); Aisha's waits for the revision.
        self.assertTrue(self.chloe.outcome_final)
        self.assertFalse(self.aisha.outcome_final)
        revised = self.env["hr.performance.deadline"].search(
            [("review_id", "=", self.aisha.id), ("kind", "=", "revised_statement")]
        )
        self.assertEqual(revised.status, "upcoming")
        # The governors' report of Riverside counts where its moderation stands.
        report = self._ref("governor_report_riverside_prev_demo")
        moderation = report.line_ids.filtered(lambda line: line.table_key == "moderation")
        self.assertTrue(moderation)

    def test_decisions_recorded_and_outstanding(self):
        payroll = self._ref("user_payroll_demo")
        governor = self._ref("user_governor_demo")
        companies = payroll.company_ids.ids
        rows = (
            self.env["hr.performance.payroll.outcome"]
            .with_user(payroll)
            .with_context(allowed_company_ids=companies)
            .search([])
        )
        rachel = self._ref("review_rachel_hughes_prev_demo")
        karen = self._ref("review_karen_whitmore_prev_demo")
        self.assertTrue({rachel.id, karen.id} <= set(rows.ids))
        self.assertEqual(rows.browse(rachel.id).decided_point_id, self._ref("pay_point_9_32_demo"))
        self.assertEqual(rows.browse(karen.id).decided_point_id, self._ref("pay_point_5_19_demo"))
        oakfield = self.done.cycle_id.review_ids.filtered(lambda r: r.state == "completed")
        self.assertTrue(all(oakfield.mapped("date_pay_decided")))
        outstanding = (
            self.env["hr.performance.pay.eligibility"]
            .with_user(governor)
            .with_context(allowed_company_ids=companies)
            .search([("decision_outstanding", "=", True)])
        )
        self.assertEqual(outstanding.ids, self.chloe.ids)
        # Both pay decisions are late on the 31 October date.
        late = self.env["hr.performance.deadline"].search(
            [("review_id", "in", (self.aisha | self.chloe).ids), ("kind", "=", "pay_decision")]
        )
        self.assertEqual(set(late.mapped("status")), {"missed"})
        self.assertEqual(len(late), 2)
        self.assertFalse(
            self.env["hr.performance.pay.decision"].search(
                [("review_id", "in", (self.aisha | self.chloe).ids)]
            )
        )
