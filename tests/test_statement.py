import base64
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import (
    COLLEAGUE,
    HEAD_A,
    HR_TRUST,
    REVIEWEE,
    REVIEWER,
    TODAY,
    HrSchoolPerformanceCase,
)

# A 1×1 PNG: what the signature widget sends, as base64.
SIGNATURE = base64.b64encode(
    base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )
)
PAYLOAD = "<script>alert(1)</script><b>x</b>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"
STATEMENT_REPORT = "hr_school_performance.report_statement"


class StatementCase(HrSchoolPerformanceCase):
    """The reviewee's current review of the world (2025–26, planning, reviewed by Maria),
    whose previous review (2024–25, completed, "Exceeded") the statement assesses."""

    freeze_today = TODAY
    review_world = True

    def _statement(self, role=REVIEWER):
        self.as_role(REVIEWER, self.review).action_draft_statement()
        return self.as_role(role, self.review.statement_id)

    def _to_final(self):
        statement = self._statement()
        statement.action_send()
        as_reviewee = self.as_role(REVIEWEE, statement)
        as_reviewee.reviewee_comments = "Please add the phonics training."
        as_reviewee.action_return_comments()
        self.as_role(REVIEWER, statement).action_finalise()
        return statement

    def _signed(self):
        statement = self._to_final()
        self.as_role(REVIEWEE, statement).action_sign("Tom Assistant", SIGNATURE)
        self.as_role(REVIEWER, statement).action_sign("Maria Manager", SIGNATURE)
        self.env.invalidate_all()
        return statement.with_env(self.env)


@tagged("post_install", "-at_install")
class TestStatementPath(StatementCase):
    def test_whole_path(self):
        statement = self._statement()
        self.assertEqual((statement.state, statement.version), ("draft", 1))
        # Assembled from the review and the previous one.
        self.assertEqual(statement.previous_review_id, self.review_done)
        self.assertEqual(
            [line["objective"] for line in statement.assessment_lines],
            ["Lead the Makaton signing club"],
        )
        self.assertEqual(statement.assessment_lines[0]["level"], self.level_exceeded.name)
        self.assertEqual(
            [line["objective"] for line in statement.objective_lines],
            ["Run the Year 2 phonics intervention"],
        )
        self.assertEqual(statement.reasonable_adjustments, "Hearing loop in meetings")
        self.assertIn("Makaton level 1", statement.training_needs)
        self.assertTrue(statement.show_pay)
        self.assertIn("Grade 4 point 8", statement.pay_recommendation)
        self.assertEqual(statement.layout, "full")

        self.assertTrue(statement.can_send)
        self.assertFalse(self.as_role(REVIEWEE, statement).can_send)
        statement.overall_assessment = "A strong year."
        statement.action_send()
        self.assertEqual(self.review.date_draft_sent, date(2026, 1, 14))
        as_reviewee = self.as_role(REVIEWEE, statement)
        self.assertTrue(as_reviewee.can_comment)
        as_reviewee.write(
            {"reviewee_comments": "Add the phonics course.", "change_requested": True}
        )
        as_reviewee.action_return_comments()
        self.assertEqual(self.review.date_comments, date(2026, 1, 14))
        self.assertEqual(statement.state, "commented")
        as_reviewer = self.as_role(REVIEWER, statement)
        as_reviewer.training_needs = "Makaton level 1; phonics course"
        as_reviewer.action_finalise()
        self.assertTrue(as_reviewer.can_sign)
        self.assertTrue(self.as_role(REVIEWEE, statement).can_sign)
        self.assertFalse(self.as_role(HEAD_A, statement).can_sign)

        self.as_role(REVIEWEE, statement).action_sign("Tom Assistant", SIGNATURE)
        self.assertEqual(statement.state, "final")
        self.assertFalse(self.as_role(REVIEWEE, statement).can_sign)
        self.as_role(REVIEWER, statement).action_sign("Maria Manager", SIGNATURE)
        self.env.invalidate_all()
        statement = statement.with_env(self.env)
        self.assertEqual(statement.state, "signed")
        self.assertEqual(self.review.date_statement_signed, date(2026, 1, 14))
        self.assertEqual(len(statement.signature_ids), 2)
        self.assertEqual(
            statement.signature_ids.mapped("signer_user_id"),
            self.reviewee_user | self.reviewer_user,
        )
        self.assertEqual(set(statement.signature_ids.mapped("route")), {"backoffice"})
        self.assertEqual(
            statement.signature_ids[1].previous_hash, statement.signature_ids[0].signature_hash
        )
        self.assertEqual(statement.content_hash, statement._compute_content_hash())
        self.assertFalse(statement._verify_integrity())
        # The reviewee receives a copy and the headteacher is told the original is filed.
        sent = statement.message_ids.filtered(
            lambda m: self.reviewee_user.partner_id in m.partner_ids
        )
        self.assertTrue(any("signed by both" in m.body for m in sent))
        self.assertIn(self.headteacher_user.partner_id, statement.message_ids.partner_ids)
        # The deadlines measure the stamped dates.
        signed = self.review.deadline_ids.filtered(lambda d: d.kind == "statement_signed")
        if signed:
            self.assertEqual(signed.date_done, date(2026, 1, 14))

    def test_stamped_dates_are_not_typed(self):
        for role, fname in (
            (REVIEWER, "date_draft_sent"),
            (REVIEWEE, "date_comments"),
            (HEAD_A, "date_statement_signed"),
        ):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.as_role(role, self.review).write({fname: date(2026, 1, 13)})
        self.assertStored(self.review, "date_comments", False)

    def test_refusals(self):
        statement = self._statement()
        as_reviewee = self.as_role(REVIEWEE, statement)
        # Signing before the reviewee has had the draft.
        with self.assertRefused(UserError, "cannot be signed yet"):
            self.as_role(REVIEWER, statement).action_sign("Maria Manager", SIGNATURE)
        with self.assertRefused(AccessError, "cannot move"):
            as_reviewee.action_send()
        with self.assertRefused(AccessError, "reviewer"):
            self.as_role(HEAD_A, self.review).action_draft_statement()
        statement.action_send()
        with self.assertRefused(UserError, "cannot be signed yet"):
            as_reviewee.action_sign("Tom Assistant", SIGNATURE)
        # The reviewee writes only their comments.
        with self.assertRefused(AccessError, "cannot change"):
            as_reviewee.overall_assessment = "Outstanding"
        as_reviewee.action_return_comments()
        self.as_role(REVIEWER, statement).action_finalise()
        # Signing someone else's part: the reviewee is not the reviewer's device, a wrong
        # password signs nothing, nobody signs for another user.
        with self.assertRefused(AccessError, "reviewer's device"):
            as_reviewee.action_sign_in_meeting(
                self.reviewee_user.login, self.reviewee_user.login, "Tom", SIGNATURE
            )
        with (
            self.assertRefused(AccessError, "Wrong login or password"),
            mute_logger("odoo.addons.base.models.res_users"),
        ):
            self.as_role(REVIEWER, statement).action_sign_in_meeting(
                self.reviewee_user.login, "not the password", "Tom", SIGNATURE
            )
        with self.assertRefused(AccessError, "own login"):
            self.as_role(REVIEWER, statement).action_sign_in_meeting(
                self.reviewer_user.login, self.reviewer_user.login, "Tom", SIGNATURE
            )
        with self.assertRefused(AccessError, "each signs only"):
            self.as_role(REVIEWER, statement)._record_signature(
                "reviewee", "Tom Assistant", SIGNATURE, "backoffice"
            )
        with self.assertRefused(AccessError, "Only the reviewee and the reviewer"):
            self.as_role(HEAD_A, statement).action_sign("Helen Head", SIGNATURE)
        with self.assertRefused(ValidationError, "Type your name"):
            as_reviewee.action_sign(" ", SIGNATURE)
        self.assertFalse(statement.signature_ids)
        # Signing twice.
        as_reviewee.action_sign("Tom Assistant", SIGNATURE)
        with self.assertRefused(UserError, "already signed"):
            as_reviewee.action_sign("Tom Assistant", SIGNATURE)
        self.assertEqual(len(statement.signature_ids), 1)
        # Nobody writes a signature directly.
        with self.assertRaises(AccessError):
            self.as_role(REVIEWER, self.env["hr.performance.signature"]).create(
                {
                    "review_id": self.review.id,
                    "statement_id": statement.id,
                    "document_kind": "statement",
                    "signer_role": "reviewer",
                    "signer_user_id": self.reviewer_user.id,
                    "signed_name": "Maria",
                    "signature": SIGNATURE,
                    "route": "backoffice",
                }
            )

    def test_sign_in_meeting(self):
        """The reviewee without their own device authenticates on the reviewer's and signs
        their part: the same signature record, with its route."""
        statement = self._to_final()
        signature = self.as_role(REVIEWER, statement).action_sign_in_meeting(
            self.reviewee_user.login, self.reviewee_user.login, "Tom Assistant", SIGNATURE
        )
        self.assertEqual(
            (signature.signer_role, signature.signer_user_id, signature.route),
            ("reviewee", self.reviewee_user, "meeting"),
        )

    def test_wizard_signs(self):
        statement = self._to_final()
        wizard = self.as_role(REVIEWEE, self.env["hr.performance.signature.sign"]).create(
            {"statement_id": statement.id, "signed_name": "Tom Assistant", "signature": SIGNATURE}
        )
        wizard.action_confirm()
        self.assertTrue(statement.with_env(self.env).reviewee_signed)
        with self.assertRaises(AccessError):
            self.as_role(COLLEAGUE, self.env["hr.performance.signature.sign"]).create(
                {"statement_id": statement.id, "signed_name": "X", "signature": SIGNATURE}
            )

    def test_monitoring_needs_the_signed_statement(self):
        self._statement()
        reviewer_review = self.as_role(REVIEWER, self.review)
        reviewer_review.action_agree_objectives()
        # The button is not offered while the gate applies, and the action refuses.
        self.assertFalse(self.as_role(REVIEWER, self.review).can_start_monitoring)
        with self.assertRefused(UserError, "before its statement is signed"):
            self.as_role(REVIEWER, self.review).action_start_monitoring()
        with self.assertRefused(AccessError, "headteacher"):
            self.as_role(REVIEWER, self.review).action_record_statement_exception("Urgent")
        with self.assertRefused(ValidationError, "reason"):
            self.as_role(HEAD_A, self.review).action_record_statement_exception(" ")
        self.as_role(HEAD_A, self.review).action_record_statement_exception(
            "The reviewee is on long-term sick leave; signed on return."
        )
        self.assertTrue(self.as_role(REVIEWER, self.review).can_start_monitoring)
        self.as_role(REVIEWER, self.review).action_start_monitoring()
        self.assertEqual(self.review.state, "in_progress")

    def test_monitoring_after_signing(self):
        self._signed()
        self.as_role(REVIEWER, self.review).action_agree_objectives()
        self.assertTrue(self.as_role(REVIEWER, self.review).can_start_monitoring)
        self.as_role(REVIEWER, self.review).action_start_monitoring()
        self.assertEqual(self.review.state, "in_progress")


@tagged("post_install", "-at_install")
class TestStatementFrozen(StatementCase):
    def test_signed_content_refuses_every_write(self):
        statement = self._signed()
        for role in (REVIEWER, REVIEWEE, HEAD_A, HR_TRUST):
            with self.subTest(role=role), self.assertRaises(UserError):
                self.as_role(role, statement).write({"overall_assessment": "Changed"})
        with self.assertRefused(UserError, "signed and frozen"):
            statement.sudo().write({"overall_assessment": "Changed"})
        with self.assertRefused(UserError, "signed and frozen"):
            statement.sudo().write({"state": "draft"})
        self.assertStored(statement, "state", "signed")
        # The objectives it holds, the review fields it holds and the assessment of the
        # previous cycle.
        for role in (REVIEWER, HEAD_A, HR_TRUST):
            with self.subTest(role=role):
                with self.assertRefused(UserError, "signed statement and frozen"):
                    self.as_role(role, self.objective).name = "Another objective"
                with self.assertRefused(UserError, "signed statement and frozen"):
                    self.as_role(role, self.review).reasonable_adjustments = "None"
        with self.assertRefused(UserError, "signed statement and frozen"):
            self.as_role(HR_TRUST, self.review_done).outcome_level_id = self.level_progressing
        with self.assertRefused(UserError, "signed statement and frozen"):
            self.objective.sudo().target_date = date(2026, 6, 1)
        with self.assertRefused(UserError, "signed statement and frozen"):
            self.as_role(REVIEWER, self.env["hr.performance.objective"]).create(
                {"review_id": self.review.id, "name": "A second objective"}
            )
        self.assertStored(self.objective, "name", "Run the Year 2 phonics intervention")
        # What the statement does not hold carries on (the reviewee's mid-year progress).
        self.as_role(REVIEWER, self.review).action_agree_objectives()
        self.as_role(REVIEWEE, self.objective).midyear_progress = "On track"
        # Signatures never change.
        with self.assertRefused(UserError, "cannot be changed"):
            statement.signature_ids[:1].sudo().signed_name = "Someone else"

    def test_tamper_detection(self):
        statement = self._signed()
        self.assertFalse(statement._verify_integrity())
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE hr_performance_statement SET overall_assessment = %s WHERE id = %s",
            ["Changed behind the application's back", statement.id],
        )
        self.env.invalidate_all()
        action = self.as_role(HR_TRUST, statement).action_verify_integrity()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(statement.integrity_status, "broken")
        activity = statement.activity_ids.filtered(lambda a: a.user_id == self.hr_officer)
        self.assertEqual(activity.summary, "Signed statement altered")
        self.assertTrue(any("no longer matches" in m.body for m in statement.message_ids))

    def test_tamper_of_a_signature_by_cron(self):
        statement = self._signed()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE hr_performance_signature SET signed_name = 'Forged' WHERE id = %s",
            [statement.signature_ids[0].id],
        )
        self.env.invalidate_all()
        self.cron_xmlid = "hr_school_performance.ir_cron_performance_statement_integrity"
        self._run_cron()
        self.assertEqual(statement.integrity_status, "broken")
        # Flagged once: the next run does not add another to-do.
        self._run_cron()
        self.assertEqual(
            len(statement.activity_ids.filtered(lambda a: a.user_id == self.hr_officer)), 1
        )


@tagged("post_install", "-at_install")
class TestStatementRevision(StatementCase):
    def test_revision(self):
        statement = self._signed()
        with self.assertRefused(ValidationError, "Give the reason"):
            self.as_role(REVIEWER, self.review)._request_statement_revision("  ")
        with self.assertRefused(AccessError, "your own review"):
            self.as_role(REVIEWEE, self.review)._request_statement_revision("I want to")
        self.assertEqual(len(self.review.statement_ids), 1)
        revision = self.as_role(HEAD_A, self.review)._request_statement_revision(
            "The phonics objective moves to Year 1 (revision meeting)."
        )
        self.assertEqual((revision.version, revision.state), (2, "draft"))
        self.assertEqual(revision.previous_version_id, statement)
        self.assertEqual(self.review.statement_id, revision)
        self.env.invalidate_all()
        self.assertTrue(statement.superseded)
        self.assertEqual(statement.state, "signed")
        # The objectives may change again, and the earlier version keeps what was signed.
        self.as_role(REVIEWER, self.objective).name = "Run the Year 1 phonics intervention"
        self.as_role(REVIEWER, revision).action_refresh()
        self.assertEqual(
            revision.objective_lines[0]["objective"], "Run the Year 1 phonics intervention"
        )
        self.assertEqual(
            statement.objective_lines[0]["objective"], "Run the Year 2 phonics intervention"
        )
        self.assertIn("Year 2", self.render(statement, REVIEWEE))
        self.assertFalse(statement._verify_integrity())
        # The chatter says who opened the revision and why.
        self.assertTrue(
            any(
                "moves to Year 1" in m.body and "Helen Head" in m.body
                for m in self.review.message_ids
            )
        )
        # Both sign again.
        self.as_role(REVIEWER, revision).action_send()
        self.as_role(REVIEWEE, revision).action_return_comments()
        self.as_role(REVIEWER, revision).action_finalise()
        self.as_role(REVIEWEE, revision).action_sign("Tom Assistant", SIGNATURE)
        self.as_role(REVIEWER, revision).action_sign("Maria Manager", SIGNATURE)
        self.assertEqual(revision.state, "signed")
        self.assertEqual(set(revision.signature_ids.mapped("document_kind")), {"revision"})
        self.assertFalse((statement | revision)._verify_integrity())

    def test_revision_of_an_unsigned_statement(self):
        self._statement()
        with self.assertRefused(UserError, "Only a signed statement"):
            self.as_role(REVIEWER, self.review)._request_statement_revision("Typo")

    def test_midyear_signature(self):
        self.review.midyear_meeting_date = date(2026, 1, 12)
        signature = self.as_role(REVIEWEE, self.review).action_sign_midyear("Tom", SIGNATURE)
        self.assertEqual(
            (signature.document_kind, signature.res_model), ("midyear", "hr.performance.review")
        )
        with self.assertRefused(UserError, "already signed"):
            self.as_role(REVIEWEE, self.review).action_sign_midyear("Tom", SIGNATURE)
        with self.assertRefused(UserError, "Only the reviewee and the reviewer"):
            self.as_role(HEAD_A, self.review).action_sign_midyear("Helen", SIGNATURE)
        self.as_role(REVIEWER, self.review).action_sign_midyear("Maria", SIGNATURE)
        self.assertFalse(signature._verify_chain())

    def render(self, statement, role=REVIEWER):
        html, __ = self.as_role(role, self.env["ir.actions.report"])._render_qweb_html(
            STATEMENT_REPORT, statement.ids
        )
        return html.decode()


@tagged("post_install", "-at_install")
class TestStatementReport(StatementCase):
    def render(self, statement, role=REVIEWER):
        html, __ = self.as_role(role, self.env["ir.actions.report"])._render_qweb_html(
            STATEMENT_REPORT, statement.ids
        )
        return html.decode()

    def test_pdf_content(self):
        statement = self._signed()
        html = self.render(statement, REVIEWEE)
        for text in (
            "Planning and Review Statement",
            "Tom Assistant",
            "Maria Manager",
            "Test Primary School",
            "Lead the Makaton signing club",
            "Run the Year 2 phonics intervention",
            "Hearing loop in meetings",
            "Please add the phonics training.",
            "01/09/2025",
            "14/01/2026",
            statement.content_hash,
        ):
            self.assertIn(text, html)
        self.assertNotIn("Draft – not signed", html)
        with self.assertRaises(AccessError):
            self.render(statement, COLLEAGUE)

    def test_abbreviated_layout(self):
        self.job_group.process = "abbreviated"
        self.review.chat_likes = "Working with the children"
        statement = self._statement()
        self.assertEqual(statement.layout, "abbreviated")
        html = self.render(statement)
        self.assertIn("Job chat", html)
        self.assertIn("Working with the children", html)
        self.assertIn("Draft – not signed", html)

    def test_escaping_in_pdf_and_chatter(self):
        statement = self._statement()
        statement.write({"overall_assessment": PAYLOAD, "career_goals": PAYLOAD})
        statement.action_send()
        self.as_role(REVIEWEE, statement).reviewee_comments = PAYLOAD
        self.as_role(REVIEWEE, statement).action_return_comments()
        self.as_role(REVIEWER, statement).action_finalise()
        self.as_role(REVIEWEE, statement).action_sign(PAYLOAD, SIGNATURE)
        html = self.render(statement)
        self.assertIn(ESCAPED, html)
        self.assertNotIn(PAYLOAD, html)
        self.assertNotIn(PAYLOAD, statement.content_preview)
        self.env.invalidate_all()
        bodies = "".join(str(m.body) for m in statement.message_ids)
        self.assertIn(ESCAPED, bodies)
        self.assertNotIn(PAYLOAD, bodies)


@tagged("post_install", "-at_install")
class TestOutcomeStatementModeration(StatementCase):
    """The statement of the 2025–26 review records the assessment of the 2024–25 review
    (``previous_review_id``): its signature, not the 2024–25 review's own statement's, sets
    off the moderation of the 2024–25 outcome, and its moderation makes that outcome final.
    School A moderates every statement recording the 2024–25 outcomes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cycle_a_previous.moderation_ids.with_user(cls.users[HEAD_A]).write({"mode": "all"})
        cls.env.flush_all()

    def test_the_statement_recording_the_outcome_is_moderated(self):
        done, head = self.review_done, self.users[HEAD_A]
        self.assertEqual(done.moderation_state, "awaiting_statement")
        self.assertFalse(done.outcome_final)
        statement = self._signed()
        self.assertEqual(statement.previous_review_id, done)
        self.assertEqual(done.outcome_statement_id, statement)
        self.assertEqual(done.date_outcome_signed, date(2026, 1, 14))
        self.assertEqual(done.moderation_state, "pending")
        # The 2025-26 review's own statement records 2024-25: its own outcome, not assessed
        # yet, waits for next year's statement.
        self.assertEqual(self.review.moderation_mode, "all")
        self.assertEqual(self.review.moderation_state, "awaiting_statement")
        self.assertFalse(self.review.date_outcome_signed)
        self.assertFalse(self.as_role(HEAD_A, self.review).can_moderate)
        with self.assertRefused(UserError, "cannot be moderated now"):
            self.as_role(HEAD_A, self.review).action_moderation_confirm()
        # Within 10 working days of the signature, by the headteacher.
        deadline = self._deadline(done, "moderation")
        self.assertEqual(deadline.date_from, date(2026, 1, 14))
        self.assertEqual(deadline.date_due, date(2026, 1, 28))
        self.assertEqual(deadline.responsible_user_id, head)
        self.assertFalse(self.review.statement_final)

        self.as_role(HEAD_A, done).action_moderation_confirm()
        self.assertEqual(done.moderation_state, "confirmed")
        self.assertTrue(done.outcome_final)
        self.assertEqual(deadline.status, "met")
        # The statement is final: an appeal against it may be heard.
        self.assertTrue(self.review.statement_final)
        self.assertFalse(self.review.outcome_final)

    def test_a_revised_statement_goes_back_through_signing(self):
        done = self.review_done
        statement = self._signed()
        self.as_role(HEAD_A, done).action_moderation_revise(
            "The assessment of the signing club is not consistent with the evidence."
        )
        revision = self.review.statement_id
        self.assertEqual((revision.version, revision.state), (2, "draft"))
        self.assertEqual(revision.previous_version_id, statement)
        self.assertEqual(revision.previous_review_id, done)
        self.assertEqual(done.outcome_statement_id, revision)
        self.assertFalse(self.review.date_statement_signed)
        self.assertFalse(done.date_outcome_signed)
        self.assertEqual(done.moderation_state, "revision")
        self.assertEqual(done.date_revision_requested, date(2026, 1, 14))
        self.assertFalse(done.outcome_final)
        revised = self._deadline(done, "revised_statement")
        # 10 working days after Wednesday 14 January, by the reviewer.
        self.assertEqual(revised.date_due, date(2026, 1, 28))
        self.assertEqual(revised.responsible_user_id, self.users[REVIEWER])
        self.assertFalse(self._deadline(done, "moderation"))

        self.as_role(REVIEWER, revision).action_send()
        self.as_role(REVIEWEE, revision).action_return_comments()
        self.as_role(REVIEWER, revision).action_finalise()
        self.as_role(REVIEWEE, revision).action_sign("Tom Assistant", SIGNATURE)
        self.as_role(REVIEWER, revision).action_sign("Maria Manager", SIGNATURE)
        self.env.invalidate_all()
        self.assertEqual(done.date_outcome_signed, date(2026, 1, 14))
        self.assertEqual(done.moderation_state, "pending")
        self.assertEqual(revised.status, "met")
        self.assertTrue(self._deadline(done, "moderation"))
        self.as_role(HEAD_A, done).action_moderation_confirm()
        self.assertTrue(done.outcome_final)

    def test_moderating_none_leaves_the_outcome_final(self):
        self.cycle_a_previous.moderation_ids.with_user(self.users[HEAD_A]).write({"mode": "none"})
        self.assertTrue(self.review_done.outcome_final)
        self._signed()
        self.assertEqual(self.review_done.moderation_state, "not_required")
        self.assertTrue(self.review_done.outcome_final)
        self.assertTrue(self.review.statement_final)

    def test_a_formal_appeal_waits_for_the_outcome_it_records(self):
        self._signed()
        appeal = self._create_as(
            self.users[REVIEWEE],
            "hr.performance.appeal",
            {
                "review_id": self.review.id,
                "entries_appealed": "The signing club assessed as Exceeded, not Achieved.",
                "grounds": "The signing club ran all year.",
            },
        )
        as_reviewee = self.as_role(REVIEWEE, appeal)
        as_reviewee.write({"date_informal": date(2026, 1, 14), "informal_note": "Not agreed."})
        as_reviewee.action_make_formal()
        self.assertEqual(appeal.state, "waiting")
        # Confirming the moderation of the 2024-25 outcome the statement records lets the
        # appeal against the statement go on.
        self.as_role(HEAD_A, self.review_done).action_moderation_confirm()
        self.assertEqual(appeal.state, "formal")
        self.assertEqual(appeal.hearer, "headteacher")
