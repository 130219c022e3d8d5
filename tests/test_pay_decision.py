from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import GOVERNOR, PAYROLL, HrSchoolPerformanceCase


class PayCase(HrSchoolPerformanceCase):
    """The team of school A on a pay scale (Grade 4 points 7-9, Grade 5 point 18), with
    pay decisions due by 31 October; Tom's statement is signed and his review completed on
    25 September 2026, on point 7 with point 8 recommended (``_complete``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.job_group.write({"pay_decision_month": "10", "pay_decision_day": 31})
        cls._build_pay_scale()
        cls._launch_team()
        cls.governor = cls.users[GOVERNOR]
        cls.Decision = cls.env["hr.performance.pay.decision"]

    @classmethod
    def _complete(cls, review, level="achieved", criteria="met"):
        with freeze_time("2026-09-25 12:00"):
            cls._prepare_for(review, "planning")
            review.write(
                {
                    "current_pay_point_id": cls.point_7.id,
                    "recommended_pay_point_id": cls.point_8.id,
                }
            )
            cls._advance(review, "final_review")
            review.sudo().date_statement_signed = date(2026, 9, 25)
            cls._prepare_for(review, "final_review")
            review.write(
                {
                    "outcome_level_id": cls.env.ref(
                        f"hr_school_performance.hr_performance_scale_level_{level}"
                    ).id,
                    "pay_criteria_met": criteria,
                }
            )
            cls._advance(review, "completed")
        cls.env.flush_all()
        return review

    @classmethod
    def _final(cls, review):
        cls._complete(review)
        review.with_user(cls.headteacher_user).action_moderation_confirm()
        return review

    @classmethod
    def _decide(cls, review, user=None, **vals):
        values = {
            "review_id": review.id,
            "awarded": "awarded",
            "new_point_id": cls.point_8.id,
            "date_decision": date(2026, 10, 1),
            "date_effective": date(2026, 10, 1),
            **vals,
        }
        return cls.Decision.with_user(user or cls.governor).create(values)


@tagged("post_install", "-at_install")
class TestPayDecision(PayCase):
    """Pay points as configuration, the recommendation consistent with the level, and the
    pay decision taken on a final outcome only, by its date (seed 004, 4.1-4.2). Today is
    Thursday 1 October 2026."""

    freeze_today = "2026-10-01"

    # ------------------------------------------------------------------
    # The recommendation
    # ------------------------------------------------------------------
    def test_levels_say_whether_they_earn_the_point_and_carry_seed_001(self):
        levels = self.scale.level_ids
        self.assertEqual(
            levels.filtered("pay_progression_eligible").mapped("name"), ["Exceeded", "Achieved"]
        )
        self.assertIn("Eligible to receive the CBP point", levels[0].description)
        self.assertIn("formal procedures", levels[-1].description)

    def test_recommendation_must_be_consistent_or_reasoned(self):
        review = self.review
        reviewer = review.with_user(self.reviewer_user)
        with freeze_time("2026-09-25 12:00"):
            self._prepare_for(review, "planning")
            review.write({"current_pay_point_id": self.point_8.id})
        with self.assertRefused(ValidationError, "below the current point"):
            reviewer.write({"recommended_pay_point_id": self.point_7.id})
        with self.assertRefused(ValidationError, "not on the current grade"):
            reviewer.write({"recommended_pay_point_id": self.point_18.id})
        self.assertStored(review, "recommended_pay_point_id", self.env["hr.performance.pay.point"])
        reviewer.write(
            {
                "recommended_pay_point_id": self.point_7.id,
                "pay_mismatch_reason": "Pay protection ends this year.",
            }
        )
        self.assertEqual(review.recommended_pay_point_id, self.point_7)
        underperformed = self.env.ref(
            "hr_school_performance.hr_performance_scale_level_underperformed"
        )
        reviewer.write({"pay_mismatch_reason": False, "recommended_pay_point_id": False})
        with self.assertRefused(ValidationError, "does not earn pay progression"):
            reviewer.write({"outcome_level_id": underperformed.id, "pay_criteria_met": "met"})
        self.assertStored(review, "pay_criteria_met", False)

    # ------------------------------------------------------------------
    # The decision
    # ------------------------------------------------------------------
    def test_no_decision_before_the_outcome_is_final(self):
        review = self._complete(self.review)
        self.assertFalse(review.outcome_final)
        with self.assertRefused(UserError, "before the outcome is final"):
            self._decide(review)
        self.assertFalse(self.Decision.search([("review_id", "=", review.id)]))
        pay_list = self.env["hr.performance.pay.eligibility"].with_user(self.governor)
        self.assertFalse(pay_list.search([("employee_id", "=", self.ta_1.id)]))

    def test_decision_on_a_final_outcome(self):
        review = self._final(self.review)
        row = self.env["hr.performance.pay.eligibility"].with_user(self.governor).browse(review.id)
        self.assertTrue(row.decision_outstanding)
        decision = self._decide(review)
        self.assertEqual(decision.decided_by_id, self.governor)
        self.assertEqual(decision.employee_id, self.ta_1)
        self.assertEqual(decision.recommended_point_id, self.point_8)
        self.assertEqual(decision.point_after_id, self.point_8)
        self.env.invalidate_all()
        self.assertEqual(row.awarded, "awarded")
        self.assertEqual(row.new_point_id, self.point_8)
        self.assertFalse(row.decision_outstanding)
        self.assertEqual(self._deadline(review, "pay_decision").status, "met")
        # The employee form shows the last final outcome and decision to those allowed.
        employee = self.ta_1.with_user(self.hr_officer)
        self.assertTrue(employee.performance_pay_eligible)
        self.assertEqual(employee.performance_pay_decision_id.id, review.id)
        with self.assertRaises(AccessError):
            self.ta_1.with_user(self.reviewer_user).read(["performance_pay_decision_id"])
        with self.assertRaises(AccessError):
            decision.with_user(self.governor).write({"decided_by_id": self.headteacher_user.id})
        with self.assertRefused(UserError, "cannot move to another review"):
            decision.with_user(self.governor).write({"review_id": self.review_tina.id})
        # Kept: nobody deletes a decision payroll may have acted on (no unlink right).
        with self.assertRaises(AccessError):
            decision.with_user(self.headteacher_user).unlink()

    def test_bad_decisions_are_refused(self):
        review = self._final(self.review)
        cases = (
            (
                ValidationError,
                "before it is decided",
                {"date_decision": date(2026, 10, 1), "date_effective": date(2026, 9, 1)},
            ),
            (ValidationError, "departs from the recommendation", {"awarded": "not_awarded"}),
            (ValidationError, "departs from the recommendation", {"new_point_id": self.point_9.id}),
            (ValidationError, "on another grade", {"new_point_id": self.point_18.id}),
            (ValidationError, "Choose the new point", {"new_point_id": False}),
        )
        for exception, message, vals in cases:
            with self.subTest(vals=vals), self.assertRefused(exception, message):
                self._decide(review, **vals)
        self.assertFalse(self.Decision.search([("review_id", "=", review.id)]))
        decision = self._decide(
            review, awarded="not_awarded", new_point_id=False, reason="Budget review."
        )
        self.assertEqual(decision.point_after_id, self.point_7)
        for user in (self.users[PAYROLL], self.reviewer_user, self.reviewee_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._decide(self.review_tina, user=user)

    def test_nobody_decides_on_their_own_pay(self):
        self._record_moderation(self.cycle, "none")
        own = self.env["hr.performance.review"].create(
            {"cycle_id": self.cycle.id, "employee_id": self.head.id, "reviewer_id": self.manager.id}
        )
        self._complete(own)
        self.assertTrue(own.outcome_final)
        with self.assertRefused(AccessError, "on your own review"):
            self._decide(own, user=self.headteacher_user)

    def test_current_point_defaults_from_the_last_decision(self):
        review = self._final(self.review)
        self._decide(review, new_point_id=self.point_8.id)
        cycle = self._create_cycle(start=date(2027, 9, 1), end=date(2028, 8, 31))
        with freeze_time("2027-09-01 08:00"):
            self._launch(cycle)
        following = cycle.review_ids.filtered(lambda r: r.employee_id == self.ta_1)
        self.assertEqual(following.current_pay_point_id, self.point_8)

    # ------------------------------------------------------------------
    # The decision date as a deadline
    # ------------------------------------------------------------------
    def test_decision_date_deadline_reminds_escalates_and_is_met(self):
        review = self.review
        # 31 October 2027 is a Sunday: due the next working day.
        self.assertEqual(review.date_pay_decision_due, date(2027, 10, 31))
        deadline = self._deadline(review, "pay_decision")
        self.assertEqual(deadline.date_due, date(2027, 11, 1))
        self.assertEqual(deadline.responsible_user_id, self.headteacher_user)
        self._final(review)
        # Still owed once the review is completed.
        self.assertFalse(deadline.closed_with_review)
        self.assertTrue(deadline.date_next_action)
        with freeze_time(f"{deadline.date_reminder} 07:00"):
            self._run_cron()
        self.assertTrue(deadline.reminder_done)
        self.assertEqual(deadline.date_reminder_sent, deadline.date_reminder)
        self.assertTrue(deadline.activity_id)
        with freeze_time("2027-11-02 07:00"):
            self._run_cron()
            self.assertEqual(deadline.status, "missed")
            # The escalation digest lists it as still overdue, though the review is
            # completed: the decision is owed on the completed review.
            Deadline = self.env["hr.performance.deadline"]
            self.assertIn(deadline, Deadline._still_overdue(deadline.escalation_user_id))
        self.assertTrue(deadline.escalation_done)
        self.assertEqual(deadline.date_escalated, date(2027, 11, 2))
        with freeze_time("2027-11-03 09:00"):
            self._decide(review, date_decision=date(2027, 11, 3), date_effective=date(2027, 11, 3))
            self.assertEqual(deadline.status, "late")
        self.assertEqual(deadline.date_done, date(2027, 11, 3))

    def test_outstanding_decisions_per_school(self):
        self._final(self.review)
        self._final(self.review_tina)
        self._decide(self.review)
        outstanding = (
            self.env["hr.performance.pay.eligibility"]
            .with_user(self.governor)
            .search([("decision_outstanding", "=", True)])
        )
        self.assertEqual(outstanding.employee_id, self.ta_2)
        groups = (
            self.env["hr.performance.pay.eligibility"]
            .with_user(self.governor)
            ._read_group([("decision_outstanding", "=", True)], ["company_id"], ["__count"])
        )
        self.assertEqual(groups, [(self.school, 1)])
