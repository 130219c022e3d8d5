import random
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import HrSchoolPerformanceCase


@tagged("post_install", "-at_install")
class TestModeration(HrSchoolPerformanceCase):
    """Moderation of the signed statements by the headteacher (seed 003, section 5): all,
    a reproducible sample topped up by hand, or none; confirmation or a revised statement
    within 10 working days; the outcome is final only once moderation is complete.

    Today is Thursday 1 October 2026. Tom's and Tina's statements are signed on Friday
    25 September and their reviews completed the same day."""

    freeze_today = "2026-10-01"
    SIGNED = date(2026, 9, 25)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team()

    def _complete_signed(self, review):
        with freeze_time("2026-09-25 12:00"):
            self._prepare_for(review, "planning")
            self._advance(review, "final_review")
            review.sudo().date_statement_signed = self.SIGNED
            self._prepare_for(review, "final_review")
            self._advance(review, "completed")
        self.env.flush_all()
        return review

    def _as_head(self, records):
        return records.with_user(self.headteacher_user)

    # ------------------------------------------------------------------
    # All statements
    # ------------------------------------------------------------------
    def test_all_statements_confirmed_make_the_outcome_final(self):
        review = self._complete_signed(self.review)
        self.assertEqual(review.moderation_mode, "all")
        self.assertEqual(review.moderation_state, "pending")
        self.assertFalse(review.outcome_final)
        deadline = self._deadline(review, "moderation")
        # Within 10 working days of the signed statement, by the headteacher.
        self.assertEqual(deadline.date_from, self.SIGNED)
        self.assertEqual(deadline.date_due, date(2026, 10, 9))
        self.assertEqual(deadline.responsible_user_id, self.headteacher_user)
        self.assertTrue(self._as_head(review).can_moderate)
        self.assertFalse(review.with_user(self.reviewer_user).can_moderate)

        self._as_head(review).action_moderation_confirm()
        self.assertEqual(review.moderation_state, "confirmed")
        self.assertEqual(review.date_moderated, date(2026, 10, 1))
        self.assertTrue(review.outcome_final)
        self.assertEqual(deadline.status, "met")
        self.assertFalse(deadline.closed_with_review)
        self.assertIn("moderated and confirmed", review.message_ids[0].body)
        with self.assertRefused(UserError, "cannot be moderated now"):
            self._as_head(review).action_moderation_confirm()

    def test_nothing_to_moderate_before_the_statement_is_signed(self):
        review = self.review
        self.assertEqual(review.moderation_state, "awaiting_statement")
        self.assertFalse(self._deadline(review, "moderation"))
        with self.assertRefused(UserError, "cannot be moderated now"):
            self._as_head(review).action_moderation_confirm()
        self.assertStored(review, "date_moderated", False)

    def test_no_moderation(self):
        plan = self._record_moderation(self.cycle, "none")
        review = self._complete_signed(self.review)
        self.assertEqual(review.moderation_state, "not_required")
        self.assertTrue(review.outcome_final)
        self.assertFalse(self._deadline(review, "moderation"))
        self.assertEqual(plan.to_moderate_count, 0)

    # ------------------------------------------------------------------
    # A sample
    # ------------------------------------------------------------------
    def _sample_cycle(self, headcount=10, **vals):
        cycle = self._group_with_staff("Lunchtime staff", headcount)
        with freeze_time("2026-09-01 08:00"):
            self._launch(cycle)
        plan = self._record_moderation(cycle, "sample", **vals)
        return cycle, plan

    def test_sample_is_drawn_reproducibly_from_the_recorded_seed(self):
        cycle, plan = self._sample_cycle(sample_kind="number", sample_size=3)
        population = cycle.review_ids.sorted("id")
        self.assertEqual(len(population), 10)
        self._as_head(plan).action_draw_sample(seed=4242)
        expected = sorted(random.Random(4242).sample(population.ids, 3))
        sampled = population.filtered("moderation_sampled")
        self.assertEqual(sampled.ids, expected)
        self.assertEqual(plan.sample_seed, 4242)
        self.assertEqual(plan.date_drawn, date(2026, 10, 1))
        self.assertEqual(population.filtered("moderation_selected"), sampled)
        self.assertIn("seed 4242", plan.message_ids[0].body)
        # The same seed over the same reviews gives the same sample.
        self.assertEqual(plan._draw(population, 3, plan.sample_seed), sampled)
        with self.assertRefused(UserError, "was drawn on"):
            self._as_head(plan).action_draw_sample(seed=1)

    def test_sample_with_a_new_seed_is_recorded_and_redrawn_alike(self):
        cycle, plan = self._sample_cycle(sample_kind="percent", sample_size=25)
        self._as_head(plan).action_draw_sample()
        # 25 % of 10 statements, rounded up.
        sampled = cycle.review_ids.filtered("moderation_sampled")
        self.assertEqual(len(sampled), 3)
        self.assertTrue(plan.sample_seed)
        self.assertEqual(plan._draw(cycle.review_ids, 3, plan.sample_seed), sampled)

    def test_sample_larger_than_the_population_is_refused(self):
        cycle, plan = self._sample_cycle(headcount=4, sample_kind="number", sample_size=5)
        with self.assertRefused(ValidationError, "larger than the 4 reviews"):
            self._as_head(plan).action_draw_sample(seed=7)
        self.assertStored(plan, "date_drawn", False)
        self.assertFalse(cycle.review_ids.filtered("moderation_sampled"))
        with self.assertRefused(ValidationError, "positive number of statements"):
            self._as_head(plan).write({"sample_size": 0})
        with self.assertRefused(ValidationError, "between 1 and 100"):
            self._as_head(plan).write({"sample_kind": "percent", "sample_size": 150})
        self.assertStored(plan, "sample_size", 5)

    def test_top_up_and_completion_of_a_sample(self):
        plan = self._record_moderation(self.cycle, "sample", sample_size=1)
        self._complete_signed(self.review)
        self._complete_signed(self.review_tina)
        with self.assertRefused(UserError, "only while a drawn sample"):
            self._as_head(self.review_tina).action_moderation_add_to_sample()
        self._as_head(plan).action_draw_sample(seed=3)
        sampled = (self.review | self.review_tina).filtered("moderation_sampled")
        other = (self.review | self.review_tina) - sampled
        self.assertEqual(len(sampled), 1)
        self.assertFalse(self._deadline(other, "moderation"))
        # Topped up by hand: now to be moderated, with its deadline.
        self._as_head(other).action_moderation_add_to_sample()
        self.assertTrue(other.moderation_selected)
        self.assertTrue(self._deadline(other, "moderation"))
        self._as_head(sampled).action_moderation_confirm()
        self.assertTrue(sampled.outcome_final)
        with self.assertRefused(UserError, "still to be moderated"):
            self._as_head(plan).action_close()
        self.assertStored(plan, "date_closed", False)
        self._as_head(other).action_moderation_confirm()
        self._as_head(plan).action_close()
        self.assertEqual(plan.date_closed, date(2026, 10, 1))
        self.assertTrue(other.outcome_final)

    def test_outcomes_left_out_of_a_sample_are_final_once_moderation_is_complete(self):
        plan = self._record_moderation(self.cycle, "sample", sample_size=1)
        self._complete_signed(self.review)
        self._complete_signed(self.review_tina)
        self._as_head(plan).action_draw_sample(seed=3)
        other = (self.review | self.review_tina).filtered(lambda r: not r.moderation_sampled)
        self.assertEqual(other.moderation_state, "not_required")
        self.assertFalse(other.outcome_final)
        self._as_head((self.review | self.review_tina) - other).action_moderation_confirm()
        self._as_head(plan).action_close()
        self.assertTrue(other.outcome_final)
        with self.assertRefused(UserError, "can no longer change"):
            self._as_head(plan).write({"mode": "none"})

    # ------------------------------------------------------------------
    # A revised statement
    # ------------------------------------------------------------------
    def test_revised_statement_loop_and_its_deadline(self):
        review = self._complete_signed(self.review)
        wizard = Form(
            self.env["hr.performance.moderation.revise"]
            .with_user(self.headteacher_user)
            .with_context(default_review_id=review.id)
        )
        wizard.reason = "Objectives not consistent with the other teaching assistants'."
        wizard.save().action_confirm()
        self.assertEqual(review.moderation_state, "revision")
        self.assertFalse(review.date_statement_signed)
        self.assertEqual(review.date_revision_requested, date(2026, 10, 1))
        self.assertFalse(review.outcome_final)
        self.assertIn("not consistent", review.message_ids[0].body)
        revised = self._deadline(review, "revised_statement")
        # 10 working days after Thursday 1 October.
        self.assertEqual(revised.date_due, date(2026, 10, 15))
        self.assertEqual(revised.responsible_user_id, self.reviewer_user)
        self.assertFalse(self._deadline(review, "moderation"))

        with freeze_time("2026-10-08 12:00"):
            # Both sign the revised statement of the completed review (the signing stamps
            # the date; test_statement.py drives that path).
            review.sudo().date_statement_signed = date(2026, 10, 8)
        self.assertEqual(revised.status, "met")
        self.assertEqual(review.moderation_state, "pending")
        # The revised statement is moderated within 10 working days of its signature.
        self.assertEqual(self._deadline(review, "moderation").date_due, date(2026, 10, 22))
        with freeze_time("2026-10-09 12:00"):
            self._as_head(review).action_moderation_confirm()
        self.assertEqual(review.date_moderated, date(2026, 10, 9))
        self.assertTrue(review.outcome_final)

    def test_revision_needs_a_reason(self):
        review = self._complete_signed(self.review)
        with self.assertRefused(UserError, "Give the reason"):
            self._as_head(review).action_moderation_revise("  ")
        self.assertStored(review, "date_statement_signed", self.SIGNED)
        self.assertStored(review, "moderation_decision", False)

    # ------------------------------------------------------------------
    # Who moderates
    # ------------------------------------------------------------------
    def test_only_the_headteacher_moderates_and_never_their_own_review(self):
        review = self._complete_signed(self.review)
        for user in (self.reviewer_user, self.reviewee_user, self.users["governor"]):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                review.with_user(user).action_moderation_confirm()
        self.assertStored(review, "moderation_decision", False)
        own = self.env["hr.performance.review"].create(
            {"cycle_id": self.cycle.id, "employee_id": self.head.id, "reviewer_id": self.manager.id}
        )
        with self.assertRefused(AccessError, "your own review: you cannot moderate"):
            self._as_head(own).action_moderation_confirm()
        with self.assertRefused(AccessError, "your own review: you cannot moderate"):
            self._as_head(own).action_moderation_revise("Mine")

    def test_moderation_stamps_are_written_by_the_actions_only(self):
        review = self._complete_signed(self.review)
        for vals in (
            {"date_moderated": date(2026, 10, 1)},
            {"moderation_decision": "confirmed"},
            {"moderation_sampled": True},
            {"date_revision_requested": date(2026, 10, 1)},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self._as_head(review).write(vals)
        self.assertStored(review, "date_moderated", False)
        self.assertStored(review, "moderation_decision", False)
        plan = self._record_moderation(self.cycle, "sample", sample_size=1)
        for vals in ({"sample_seed": 5}, {"date_closed": date(2026, 10, 1)}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self._as_head(plan).write(vals)
        self.assertStored(plan, "date_closed", False)
        with self.assertRaises(AccessError):
            self._record_moderation(self.cycle_b_or_none(), "none")

    def cycle_b_or_none(self):
        """A cycle of school B, which school A's headteacher may not moderate."""
        cycle = self._create_cycle(school=self.other_school)
        with freeze_time("2026-09-01 08:00"):
            self._launch(cycle)
        return cycle
