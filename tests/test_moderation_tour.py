from datetime import date

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import GOVERNOR, PAYROLL
from .test_pay_decision import PayCase


@tagged("post_install", "-at_install")
class TestModerationTour(PayCase, HttpCase):
    """In a real browser: the headteacher moderates a sample and instructs one revised
    statement; a governor records a pay decision; payroll exports its interface."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lunch_cycle = cls._group_with_staff("Tour Lunchtime", 4)
        with freeze_time("2026-09-01 08:00"):
            cls._launch(cls.lunch_cycle)
        # The reviewers signed the four planning statements on 25 September.
        cls.lunch_cycle.review_ids.sudo().write({"date_statement_signed": date(2026, 9, 25)})
        cls.lunch_moderation = cls._record_moderation(
            cls.lunch_cycle, "sample", sample_kind="number", sample_size=2
        )
        cls._final(cls.review)

    def test_headteacher_moderates_a_sample(self):
        self.start_tour(
            "/odoo", "hr_school_performance_moderation_tour", login=self.headteacher_user.login
        )
        self.assertTrue(self.lunch_moderation.sample_seed)
        sampled = self.lunch_cycle.review_ids.filtered("moderation_sampled")
        self.assertEqual(len(sampled), 2)
        self.assertEqual(
            sampled,
            self.lunch_moderation._draw(
                self.lunch_cycle.review_ids, 2, self.lunch_moderation.sample_seed
            ),
        )
        self.assertEqual(sorted(sampled.mapped("moderation_state")), ["confirmed", "revision"])
        revised = sampled.filtered(lambda r: r.moderation_state == "revision")
        self.assertIn("not consistent", revised.revision_reason)
        self.assertFalse(revised.date_statement_signed)
        self.assertTrue(self._deadline(revised, "revised_statement"))

    def test_governor_records_a_decision(self):
        self.start_tour(
            "/odoo", "hr_school_performance_pay_decision_tour", login=self.users[GOVERNOR].login
        )
        decision = self.Decision.search([("review_id", "=", self.review.id)])
        self.assertEqual(decision.awarded, "awarded")
        self.assertEqual(decision.new_point_id, self.point_8)
        self.assertEqual(decision.date_decision, date(2026, 10, 15))
        self.assertEqual(decision.date_effective, date(2026, 11, 1))
        self.assertEqual(decision.decided_by_id, self.users[GOVERNOR])

    def test_payroll_exports(self):
        self._decide(self.review)
        # Odoo 19's web client sends a dummy "token" with every download, which the export
        # route ignores with a warning (web/static/src/core/network/download.js): expected,
        # and kept out of the run's log.
        with self.assertLogs("odoo.http", "WARNING") as logs:
            self.start_tour(
                "/odoo",
                "hr_school_performance_payroll_export_tour",
                login=self.users[PAYROLL].login,
            )
        self.assertTrue(all("called ignoring args {'token'}" in line for line in logs.output))
