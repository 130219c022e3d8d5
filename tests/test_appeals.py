from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import format_date

from .common import (
    COLLEAGUE,
    GOVERNOR,
    HEAD_A,
    HEAD_B,
    HR_TRUST,
    REVIEWEE,
    REVIEWER,
    HrSchoolPerformanceCase,
)

OUTCOME_LETTER = "hr_school_performance.report_appeal_outcome"


@tagged("post_install", "-at_install")
class TestAppeals(HrSchoolPerformanceCase):
    """Appeals against the final statement: the informal stage first, the wait for
    moderation, the routes (headteacher, governors, grievance), the hearing panel's access
    and the outcome letter; who sees what."""

    freeze_today = "2027-07-14"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team()
        # Tina's review is the headteacher's: the governors hear an appeal against it.
        cls.review_tina.with_user(cls.hr_officer)._reassign_reviewer(
            cls.head, "The headteacher line-manages Tina this year."
        )
        for review in cls.review | cls.review_tina:
            cls._prepare_for(review, "planning")
            cls._advance(review, "final_review")
            cls._prepare_for(review, "final_review")
            cls._advance(review, "completed")
        (cls.review | cls.review_tina).sudo().write({"date_statement_signed": date(2027, 7, 12)})
        cls.second_governor = cls._make_user(
            "hsp.governor2", "hr_school_performance.hr_school_performance_group_governor"
        )

    def _lodge(self, review=None, user=None):
        review = review or self.review
        return self._create_as(
            user or self.reviewee_user,
            "hr.performance.appeal",
            {
                "review_id": review.id,
                "entries_appealed": "Objective 1 assessed as Achieved rather than Exceeded.",
                "grounds": "The phonics group results were not taken into account.",
            },
        )

    def _set_outcome_final(self, review):
        """The headteacher decides to moderate none of the cycle's statements: the completed
        review's outcome is final (moderation's own computation), and waiting appeals go on."""
        moderation = review.cycle_id.moderation_ids[:1]
        if moderation:
            moderation.with_user(self.headteacher_user).write({"mode": "none"})
        else:
            self._record_moderation(review.cycle_id, "none")
        self.assertTrue(review.outcome_final)

    def test_appeal_to_the_headteacher(self):
        appeal = self._lodge()
        self.assertEqual(appeal.state, "draft")
        # Ten working days after 12 July: the summer holiday (from 23 July) does not count.
        self.assertEqual(appeal.date_window_end, date(2027, 9, 2))
        as_reviewee = self.as_role(REVIEWEE, appeal)
        # Bad input: the formal appeal before informal resolution is recorded.
        with self.assertRefused(UserError, "Informal resolution with the reviewer comes first"):
            as_reviewee.action_make_formal()
        self.assertStored(appeal, "state", "draft")
        as_reviewee.write(
            {"date_informal": date(2027, 7, 13), "informal_note": "We could not agree."}
        )
        # The statement's moderation is not complete: the formal appeal waits for it.
        as_reviewee.action_make_formal()
        self.assertEqual(appeal.state, "waiting")
        self._set_outcome_final(self.review)
        self.assertEqual(appeal.state, "formal")
        self.assertEqual(appeal.hearer, "headteacher")
        self.assertEqual(appeal.panel_user_ids, self.headteacher_user)
        # The headteacher already reads the review: no grant is needed.
        self.assertFalse(appeal.access_grant_ids)
        as_head = self.as_role(HEAD_A, appeal)
        as_head.write(
            {
                "date_hearing": date(2027, 7, 14),
                "representative": "Ann Union (UNISON)",
                "outcome": "confirmed",
                "date_decision": date(2027, 7, 14),
                "decision_note": "The phonics results were part of the evidence.",
            }
        )
        as_head.action_decide()
        self.assertEqual(appeal.state, "decided")
        self.assertFalse(appeal.statement_revision_requested)
        html = self._letter(REVIEWEE, appeal)
        self.assertIn("Dear Tom Assistant", html)
        self.assertIn("Your appeal was heard on 14/07/2027", html)
        self.assertIn("Ann Union (UNISON)", html)
        self.assertIn("your statement is confirmed as it stands", html)
        # The reviewer learns only that an appeal exists and its outcome.
        as_reviewer = self.as_role(REVIEWER, self.review)
        self.assertEqual(
            as_reviewer.appeal_summary,
            f"Appeal lodged on {format_date(as_reviewer.env, date(2027, 7, 14))}: "
            "Statement confirmed.",
        )

    def test_confidentiality(self):
        appeal = self._lodge()
        self.assertEqual(self.as_role(REVIEWEE, appeal).grounds, appeal.grounds)
        self.assertEqual(self.as_role(HR_TRUST, appeal).grounds, appeal.grounds)
        for role in (REVIEWER, COLLEAGUE, HEAD_A, HEAD_B, GOVERNOR):
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    self.as_role(role, appeal).read(["grounds"])
                self.assertFalse(
                    self.as_role(role, self.env["hr.performance.appeal"]).search(
                        [("id", "=", appeal.id)]
                    )
                )
        as_reviewer = self.as_role(REVIEWER, self.review)
        self.assertEqual(
            as_reviewer.appeal_summary,
            f"Appeal lodged on {format_date(as_reviewer.env, date(2027, 7, 14))}: "
            "Lodged: Informal Resolution.",
        )
        self.assertFalse(self.as_role(REVIEWER, self.review).appeal_ids)
        # Nobody appeals on someone else's statement but HR.
        with self.assertRefused(AccessError, "Only the reviewee"):
            self._lodge(user=self.reviewer_user)

    def test_appeal_to_the_governors(self):
        """The headteacher reviewed Tina: her appeal (lodged by HR for her, she has no
        login) is heard by governors, who read the review only while the appeal runs."""
        self._set_outcome_final(self.review_tina)
        appeal = self._lodge(self.review_tina, self.hr_officer)
        as_hr = self.as_role(HR_TRUST, appeal)
        as_hr.write(
            {
                "informal_waived": True,
                "informal_waiver_reason": "Tina's grievance is against the headteacher.",
            }
        )
        as_hr.action_make_formal()
        self.assertEqual((appeal.state, appeal.hearer), ("formal", "governors"))
        self.assertFalse(appeal.panel_user_ids)
        # Bad input: the reviewer hearing the appeal against their own statement.
        with self.assertRefused(ValidationError, "cannot hear the appeal"):
            as_hr.panel_user_ids = [Command.set(self.headteacher_user.ids)]
        self.assertFalse(appeal.panel_user_ids)
        with self.assertRefused(ValidationError, "is not a governor"):
            as_hr.panel_user_ids = [Command.set(self.users[COLLEAGUE].ids)]
        governor = self.users[GOVERNOR]
        review = self.review_tina
        self.assertFalse(review.with_user(governor)._filtered_access("read"))
        as_hr.panel_user_ids = [Command.set((governor | self.second_governor).ids)]
        self.assertEqual(appeal.access_grant_ids.user_id, governor | self.second_governor)
        self.assertEqual(set(appeal.access_grant_ids.mapped("purpose")), {"appeal"})
        self.assertTrue(self.as_role(GOVERNOR, review).read(["final_assessment"]))
        as_governor = self.as_role(GOVERNOR, appeal)
        with self.assertRefused(UserError, "Record the hearing date"):
            as_governor.action_decide()
        as_governor.write(
            {
                "date_hearing": date(2027, 7, 13),
                "outcome": "amended",
                "date_decision": date(2027, 7, 14),
            }
        )
        with self.assertRefused(UserError, "Record the amended entries"):
            as_governor.action_decide()
        as_governor.amended_entries = "Objective 1: Exceeded."
        as_governor.action_decide()
        self.assertEqual(appeal.state, "decided")
        self.assertEqual(appeal.amended_entries, "Objective 1: Exceeded.")
        self.assertTrue(appeal.statement_revision_requested)
        # The appeal is over: the panel no longer reads the review.
        self.assertTrue(all(appeal.access_grant_ids.mapped("date_revoked")))
        self.env.invalidate_all()
        self.assertFalse(review.with_user(governor)._filtered_access("read"))
        html = self._letter(HR_TRUST, appeal)
        self.assertIn("your statement is amended as follows", html)
        self.assertIn("Objective 1: Exceeded.", html)

    def test_grievance_route(self):
        self.job_group.appeal_route = "grievance"
        self._set_outcome_final(self.review)
        appeal = self._lodge()
        as_reviewee = self.as_role(REVIEWEE, appeal)
        as_reviewee.write(
            {"date_informal": date(2027, 7, 13), "informal_note": "No agreement reached."}
        )
        as_reviewee.action_make_formal()
        self.assertEqual((appeal.state, appeal.route), ("referred", "grievance"))
        self.assertEqual(appeal.date_referred, date(2027, 7, 14))
        self.assertFalse(appeal.panel_user_ids)
        as_hr = self.as_role(HR_TRUST, appeal)
        with self.assertRefused(UserError, "outcome of the grievance procedure"):
            as_hr.action_decide()
        # The reviewee does not decide their own appeal.
        with self.assertRaises(AccessError):
            self.as_role(REVIEWEE, appeal).action_decide()
        as_hr.write(
            {
                "grievance_outcome": "Grievance upheld in part: objective 2 re-assessed.",
                "date_grievance_outcome": date(2027, 7, 14),
            }
        )
        as_hr.action_decide()
        self.assertEqual(appeal.state, "decided")
        html = self._letter(REVIEWEE, appeal)
        self.assertIn("heard under the grievance procedure", html)
        self.assertIn("Grievance upheld in part", html)

    def test_resolved_informally_and_withdrawn(self):
        appeal = self._lodge()
        as_reviewee = self.as_role(REVIEWEE, appeal)
        with self.assertRefused(UserError, "Record the date and the outcome"):
            as_reviewee.action_resolve()
        as_reviewee.write({"date_informal": date(2027, 7, 13), "informal_note": "Agreed."})
        as_reviewee.action_resolve()
        self.assertEqual(appeal.state, "resolved")
        # A resolved appeal cannot be changed any more by the reviewee.
        with self.assertRaises(AccessError):
            as_reviewee.grounds = "Changed my mind"
        second = self._lodge()
        self.as_role(REVIEWEE, second).action_withdraw()
        self.assertEqual(second.state, "withdrawn")

    def test_window(self):
        """Bad input: an appeal after its window, or before the final statement."""
        Appeal = self.env["hr.performance.appeal"]
        with freeze_time("2027-09-03"):
            with self.assertRefused(UserError, "The appeal window for .* closed on"):
                self._lodge()
        self.assertFalse(Appeal.search([("review_id", "=", self.review.id)]))
        self.review.sudo().date_statement_signed = False
        with self.assertRefused(UserError, "no signed final statement"):
            self._lodge()
        self.assertFalse(Appeal.search([("review_id", "=", self.review.id)]))

    def _letter(self, role, appeal):
        html, __ = self.as_role(role, self.env["ir.actions.report"])._render_qweb_html(
            OUTCOME_LETTER, appeal.ids
        )
        return " ".join(html.decode().split())
