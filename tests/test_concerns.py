from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import (
    COLLEAGUE,
    HEAD_A,
    HEAD_B,
    HR_TRUST,
    REVIEWEE,
    REVIEWER,
    HrSchoolPerformanceCase,
    london,
)

CONFIRMATION = "hr_school_performance.report_concern_confirmation"


@tagged("post_install", "-at_install")
class TestConcerns(HrSchoolPerformanceCase):
    """Concerns meetings and support periods: the policy's limits, extensions, the
    outcome (back to normal, extended, capability), the suspension of the review and its
    restart, and the confirmation letter."""

    freeze_today = "2027-01-20"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team()
        cls._prepare_for(cls.review, "planning")
        cls._advance(cls.review, "in_progress")

    def _concern(self, user=None, **vals):
        values = {
            "review_id": self.review.id,
            "date_meeting": date(2027, 1, 18),
            "concern_nature": "Phonics sessions often start late and are not planned.",
            "seriousness": "serious",
            "employee_comments": "",
            "support_agreed": "Weekly planning time with the phonics lead.",
            "consequences": "The capability procedure may start if there is no improvement.",
            "date_review": date(2027, 2, 12),
            "target_ids": [
                Command.create({"name": "Start every session on time", "measure": "Spot checks"}),
                Command.create({"name": "Plan each session in writing"}),
                Command.create({"name": "Share plans with the class teacher"}),
            ],
        }
        values.update(vals)
        return self._create_as(user or self.reviewer_user, "hr.performance.concern", values)

    def test_back_to_normal(self):
        concern = self._concern()
        as_reviewer = self.as_role(REVIEWER, concern)
        # The employee writes their comments; nothing else.
        self.as_role(REVIEWEE, concern).employee_comments = "Cover duties made me late."
        with self.assertRaises(AccessError):
            self.as_role(REVIEWEE, concern).support_agreed = "Nothing"
        as_reviewer.action_confirm()
        self.assertEqual(concern.state, "running")
        self.assertEqual(concern.date_confirmed, date(2027, 1, 20))
        # The review's concerns meeting dates its support-review deadline.
        self.assertEqual(self.review.date_concern_meeting, date(2027, 1, 18))
        self.assertTrue(self._deadline(self.review, "support_review"))
        html = self._letter(REVIEWEE, concern)
        for text in (
            "Dear Tom Assistant",
            "our meeting on 18/01/2027",
            "Phonics sessions often start late",
            "Cover duties made me late.",
            "Weekly planning time with the phonics lead.",
            "Start every session on time (Spot checks)",
            "We will review your progress on 12/02/2027",
            "The capability procedure may start",
        ):
            self.assertIn(text, html)
        with self.assertRefused(UserError, "Record how the employee progressed"):
            as_reviewer.action_back_to_normal()
        as_reviewer.outcome_note = "Sessions now start on time."
        as_reviewer.target_ids[0].met = "met"
        as_reviewer.action_back_to_normal()
        self.assertEqual(concern.state, "normal")
        self.assertEqual(self.review.date_support_review, date(2027, 1, 20))
        self.assertEqual(self._deadline(self.review, "support_review").status, "met")

    def test_targets_are_not_objectives(self):
        """Three support targets on a review at its cap of three objectives... minus one:
        objectives can still be added up to the cap."""
        self._concern()
        self.assertEqual(len(self.review.objective_ids), 1)
        self.review.write(
            {
                "objective_ids": [
                    Command.create({"name": "Second objective"}),
                    Command.create({"name": "Third objective"}),
                ]
            }
        )
        self.assertEqual(len(self.review.objective_ids), 3)
        self.assertEqual(len(self.review.concern_ids.target_ids), 3)

    def test_limit_in_working_days(self):
        """Seed 002: at most 30 working days; a longer period is refused, nothing saved."""
        with self.assertRefused(ValidationError, "at most 30 working days"):
            self._concern(date_review=date(2027, 6, 30))
        self.assertFalse(self.review.concern_ids)
        concern = self._concern()
        with self.assertRefused(ValidationError, "at most 30 working days"):
            self.as_role(REVIEWER, concern).date_review = date(2027, 6, 30)
        self.assertStored(concern, "date_review", date(2027, 2, 12))
        self.as_role(REVIEWER, concern).action_confirm()
        with self.assertRefused(ValidationError, "at most 30 working days"):
            self.as_role(REVIEWER, concern).action_extend(date(2027, 6, 30), "More time")

    def test_extension_in_weeks(self):
        """Seed 004: four to eight weeks, extended by at most four weeks, with a reason."""
        self.job_group.write({"support_limit_kind": "weeks"})
        with self.assertRefused(ValidationError, "between 4 and 8 weeks"):
            self._concern(date_review=date(2027, 1, 29))
        concern = self._concern(date_review=date(2027, 3, 1))
        as_reviewer = self.as_role(REVIEWER, concern)
        as_reviewer.action_confirm()
        with self.assertRefused(UserError, "Give the reason"):
            as_reviewer.action_extend(date(2027, 3, 15), " ")
        with self.assertRefused(ValidationError, "by at most 4 weeks"):
            as_reviewer.action_extend(date(2027, 4, 5), "Significant improvement")
        self.assertStored(concern, "date_review", date(2027, 3, 1))
        # Only those who manage the support period extend it.
        with self.assertRaises(AccessError):
            self.as_role(REVIEWEE, concern).action_extend(date(2027, 3, 15), "Please")
        wizard = Form(
            self.env["hr.performance.concern.extend"]
            .with_user(self.reviewer_user)
            .with_context(default_concern_id=concern.id)
        )
        wizard.date_review = date(2027, 3, 29)
        wizard.reason = "Significant improvement: two more weeks of monitoring."
        self.assertEqual(self._deadline(self.review, "support_review").date_due, date(2027, 3, 1))
        wizard.save().action_confirm()
        self.assertEqual(concern.date_review, date(2027, 3, 29))
        # The support-review deadline moves with the extension.
        self.assertEqual(self.review.date_support_review_due, date(2027, 3, 29))
        # Monday 29 March falls in the Easter holidays: due the next working day.
        self.assertEqual(self._deadline(self.review, "support_review").date_due, date(2027, 4, 12))
        self.assertEqual(concern.date_review_first, date(2027, 3, 1))
        self.assertIn("Significant improvement", concern.extension_reason)

    def test_absence_extends_the_period(self):
        self.job_group.support_extend_by_absence = True
        concern = self._concern()
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Sick leave",
                "resource_id": self.ta_1.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": london(date(2027, 1, 25), 0, 0),
                "date_to": london(date(2027, 1, 26), 23, 0),
            }
        )
        concern.invalidate_recordset(["absence_days", "date_review_due"])
        self.assertEqual(concern.absence_days, 2)
        # Two working days after Friday 12 February: the half-term week does not count.
        self.assertEqual(concern.date_review_due, date(2027, 2, 23))

    def test_capability_suspends_and_restarts(self):
        concern = self._concern()
        as_reviewer = self.as_role(REVIEWER, concern)
        as_reviewer.action_confirm()
        review = self.review
        # Bad input: restarting someone who is not suspended.
        with self.assertRefused(UserError, "not suspended"):
            self.as_role(HEAD_A, review)._restart_performance_management(date(2027, 1, 20))
        as_reviewer.outcome_note = "No improvement against any target."
        # Missed before the capability procedure starts (escalated by the daily job).
        with freeze_time("2027-02-12 06:00"):
            self._run_cron()
        missed = review.deadline_ids.filtered(lambda d: d.status == "missed")
        self.assertEqual(missed.escalation_user_id, self.headteacher_user)
        self.assertEqual(
            self.env["hr.performance.deadline"]._still_overdue(self.headteacher_user) & missed,
            missed,
        )
        with freeze_time("2027-02-12"):
            as_reviewer.action_start_capability()
        self.assertEqual(concern.state, "capability")
        self.assertTrue(review.performance_suspended)
        self.assertEqual(review.date_suspended, date(2027, 2, 12))
        self.assertEqual(review.state, "in_progress", "paused, not cancelled")
        self.assertTrue(self.ta_1.performance_capability)
        # Its deadlines stop: the daily job has nothing to do for them, and what it had
        # missed leaves the headteacher's daily list of what is still overdue.
        self.assertFalse(review.deadline_ids.filtered("date_next_action"))
        Deadline = self.env["hr.performance.deadline"]
        self.assertTrue(missed)
        self.assertFalse(Deadline._still_overdue(self.headteacher_user) & missed)
        # A reminder that was waiting for the digest when it was suspended is dropped.
        waiting = review.deadline_ids.filtered(lambda d: not d.date_done)[:1]
        self.assertTrue(waiting.responsible_user_id)
        waiting.sudo().write({"reminder_digest_pending": True})
        mails_before = self.env["mail.mail"].search([])
        with freeze_time("2027-02-15 06:00"):
            self._run_cron()
        self.assertFalse(waiting.reminder_digest_pending)
        new_mails = self.env["mail.mail"].search([]) - mails_before
        self.assertFalse(
            new_mails.filtered(lambda m: f"res_id={review.id}" in (m.body_html or "")),
            "nothing about the suspended review is sent",
        )
        self.assertFalse(review.activity_ids)
        # The workflow waits for the restart.
        self._prepare_for(review, "final_review")
        with self.assertRefused(UserError, "suspended by the capability procedure"):
            self.as_role(REVIEWER, review).action_start_final_review()
        # Launches leave the employee out.
        cycle = self._create_cycle(start=date(2027, 9, 1), end=date(2028, 8, 31))
        with freeze_time("2027-09-01"):
            self._launch(cycle)
        self.assertNotIn(self.ta_1, cycle.review_ids.employee_id)
        # Only the headteacher (or HR) restarts it.
        self.assertFalse(self.as_role(REVIEWER, review).can_restart_performance)
        with self.assertRaises(AccessError):
            self.as_role(REVIEWER, review)._restart_performance_management(date(2027, 3, 1))
        self.assertTrue(self.as_role(HEAD_A, review).can_restart_performance)
        with freeze_time("2027-03-01"):
            wizard = Form(
                self.env["hr.performance.review.restart"]
                .with_user(self.headteacher_user)
                .with_context(default_review_id=review.id)
            )
            wizard.date_restart = date(2027, 3, 1)
            wizard.save().action_confirm()
        self.assertFalse(review.performance_suspended)
        self.assertFalse(self.ta_1.performance_capability)
        self.assertEqual(review.date_performance_restart, date(2027, 3, 1))
        # Open deadlines are counted from the restart; met ones keep their dates.
        open_deadlines = review.deadline_ids.filtered(lambda d: not d.date_done)
        self.assertTrue(open_deadlines)
        for deadline in open_deadlines:
            self.assertGreaterEqual(deadline.date_from, date(2027, 3, 1), deadline.kind)
        self.assertTrue(review.deadline_ids.filtered("date_next_action"))
        self.as_role(REVIEWER, review).action_start_final_review()
        self.assertEqual(review.state, "final_review")

    def test_confidentiality(self):
        concern = self._concern()
        for role in (REVIEWEE, REVIEWER, HEAD_A, HR_TRUST):
            with self.subTest(role=role):
                self.assertTrue(self.as_role(role, concern).read(["concern_nature"]))
        for role in (COLLEAGUE, HEAD_B):
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    self.as_role(role, concern).read(["concern_nature"])
                with self.assertRaises(AccessError):
                    self.as_role(role, concern.target_ids).read(["name"])
        with self.assertRaises(AccessError):
            self._concern(user=self.users[COLLEAGUE])

    def test_meeting_in_the_future(self):
        with self.assertRefused(ValidationError, "cannot be in the future"):
            self._concern(date_meeting=date(2027, 1, 25), date_review=date(2027, 2, 12))

    def _letter(self, role, concern):
        html, __ = self.as_role(role, self.env["ir.actions.report"])._render_qweb_html(
            CONFIRMATION, concern.ids
        )
        return " ".join(html.decode().split())


@tagged("post_install", "-at_install")
class TestWarnings(HrSchoolPerformanceCase):
    """Written warnings expire after the job group's period: an expired one stays on
    record for HR but no longer counts."""

    freeze_today = "2027-01-20"
    cron_xmlid = "hr_school_performance.ir_cron_performance_expire_warnings"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team()

    def test_expiry(self):
        first = self._create_as(
            self.hr_officer,
            "hr.performance.warning",
            {"review_id": self.review.id, "level": "first", "date_issued": date(2027, 1, 18)},
        )
        final = self._create_as(
            self.hr_officer,
            "hr.performance.warning",
            {"review_id": self.review.id, "level": "final", "date_issued": date(2027, 1, 18)},
        )
        self.assertEqual(first.date_expiry, date(2028, 1, 17))
        self.assertEqual(final.date_expiry, date(2029, 1, 17))
        self.assertEqual(self.as_role(REVIEWEE, first).state, "active")
        with freeze_time(datetime(2028, 1, 17, 12)):
            self._run_cron()
            self.assertEqual((first.state, final.state), ("active", "active"))
        with freeze_time(datetime(2028, 1, 18, 12)):
            self._run_cron()
            self.assertEqual((first.state, final.state), ("expired", "active"))
            Warning = self.env["hr.performance.warning"]
            self.assertEqual(self.as_role(HR_TRUST, Warning).search([]), first | final)
            self.assertEqual(self.as_role(HEAD_A, Warning).search([]), final)
            self.assertEqual(self.as_role(REVIEWEE, Warning).search([]), final)
        # Nobody brings an expired warning back.
        with self.assertRefused(UserError, "cannot change"):
            self.as_role(HR_TRUST, first).state = "active"
        with self.assertRaises(AccessError):
            self._create_as(
                self.reviewer_user,
                "hr.performance.warning",
                {"review_id": self.review.id, "level": "first"},
            )

    def test_issued_in_the_future(self):
        with self.assertRefused(ValidationError, "once it has been given"):
            self._create_as(
                self.hr_officer,
                "hr.performance.warning",
                {"review_id": self.review.id, "level": "first", "date_issued": date(2027, 2, 1)},
            )
