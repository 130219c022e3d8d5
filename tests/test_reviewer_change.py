from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import HrSchoolPerformanceCase


@tagged("post_install", "-at_install")
class TestReviewerChange(HrSchoolPerformanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team()
        cls.new_reviewer_user = cls._make_user("hsp_rita", name="Rita Reviewer")
        cls.new_reviewer = cls.env["hr.employee"].create(
            {
                "name": "Rita Reviewer",
                "company_id": cls.school.id,
                "user_id": cls.new_reviewer_user.id,
            }
        )

    def _wizard(self, user, review=None):
        return Form(
            self.env["hr.performance.review.reassign"]
            .with_user(user)
            .with_context(default_review_id=(review or self.review).id)
        )

    def test_change_reviewer_keeps_the_review_going(self):
        self._prepare_for(self.review, "planning")
        self._advance(self.review, "in_progress")
        wizard = self._wizard(self.hr_officer)
        wizard.new_reviewer_id = self.new_reviewer
        wizard.reason = "Maria is on secondment to the trust until July."
        wizard.save().action_confirm()
        self.assertEqual(self.review.reviewer_id, self.new_reviewer)
        self.assertEqual(self.review.state, "in_progress", "the cycle does not restart")
        change = self.review.reviewer_change_ids
        self.assertEqual(change.old_reviewer_id, self.manager)
        self.assertEqual(change.new_reviewer_id, self.new_reviewer)
        self.assertEqual(change.reason, "Maria is on secondment to the trust until July.")
        self.assertEqual(change.changed_by_id, self.hr_officer)
        self.assertEqual(self.review.activity_ids.user_id, self.new_reviewer_user)
        # The new reviewer can now act; the old one can no longer see the review.
        self.review.with_user(self.new_reviewer_user).action_start_final_review()
        self.assertEqual(self.review.state, "final_review")
        self.assertFalse(
            self.env["hr.performance.review"]
            .with_user(self.reviewer_user)
            .search([("id", "=", self.review.id)])
        )

    def test_reason_is_required(self):
        with self.assertRefused(UserError, "reason"):
            self.review.with_user(self.hr_officer)._reassign_reviewer(self.new_reviewer, "  ")
        self.assertStored(self.review, "reviewer_id", self.manager)
        self.assertFalse(self.review.reviewer_change_ids)

    def test_reviewer_cannot_be_the_reviewee(self):
        with self.assertRefused(ValidationError, "cannot review themselves"):
            self.review.with_user(self.hr_officer)._reassign_reviewer(self.ta_1, "Self review")
        with self.assertRefused(ValidationError, "cannot review themselves"):
            self.env["hr.performance.reviewer.change"].with_user(self.hr_officer).create(
                {
                    "review_id": self.review_tina.id,
                    "new_reviewer_id": self.ta_2.id,
                    "reason": "Self",
                }
            )
        self.assertStored(self.review_tina, "reviewer_id", self.manager)

    def test_reviewer_changes_only_through_the_recorded_path(self):
        with self.assertRefused(UserError, "Change Reviewer"):
            self.review.with_user(self.hr_officer).reviewer_id = self.new_reviewer
        self.assertStored(self.review, "reviewer_id", self.manager)

    def test_reviewee_cannot_change_their_own_reviewer(self):
        review = self.review.with_user(self.reviewee_user)
        with self.assertRaises(AccessError):
            review._reassign_reviewer(self.new_reviewer, "I would prefer Rita")
        with self.assertRaises(AccessError):
            review.action_open_reassign()
        with self.assertRaises(AccessError):
            self._wizard(self.reviewee_user)
        self.assertStored(self.review, "reviewer_id", self.manager)
        self.assertFalse(self.review.reviewer_change_ids)

    def test_cap_per_reviewer_warns_the_person_assigning(self):
        self.school.performance_reviewee_cap = 2
        other = self.env["hr.employee"].create(
            {
                "name": "Olly Other",
                "company_id": self.school.id,
                "job_id": self.job_ta.id,
                "parent_id": self.new_reviewer.id,
            }
        )
        review = self.cycle.with_user(self.hr_officer).action_add_eligible()
        self.assertEqual(review.employee_id, other)
        wizard = self._wizard(self.hr_officer, review)
        wizard.new_reviewer_id = self.manager
        self.assertIn("already reviews 2 members of staff", wizard.cap_warning)
        self.assertIn("maximum is 2", wizard.cap_warning)
        # A warning, not a block: the headteacher may still decide.
        wizard.reason = "Rita is leaving"
        wizard.save().action_confirm()
        self.assertEqual(review.reviewer_id, self.manager)
        # Below the cap there is no warning.
        self.school.performance_reviewee_cap = 5
        wizard = self._wizard(self.hr_officer, self.review)
        wizard.new_reviewer_id = self.new_reviewer
        self.assertFalse(wizard.cap_warning)

    def test_closed_review_keeps_its_reviewer(self):
        self._prepare_for(self.review, "planning")
        self._prepare_for(self.review, "final_review")
        self._advance(self.review, "completed")
        with self.assertRefused(UserError, "closed"):
            self.review.with_user(self.hr_officer)._reassign_reviewer(self.new_reviewer, "Late")
        self.assertStored(self.review, "reviewer_id", self.manager)
