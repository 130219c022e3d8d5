from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import (
    COLLEAGUE,
    CPD_LEADER,
    GOVERNOR,
    GRANTEE,
    HEAD_A,
    HEAD_B,
    HR_MANAGER,
    HR_TRUST,
    PAYROLL,
    REVIEWEE,
    REVIEWER,
    TODAY,
    HrSchoolPerformanceCase,
)


@tagged("post_install", "-at_install")
class TestAccessGrant(HrSchoolPerformanceCase):
    """Explicit access to one review: who, why, when; granted and revoked on record."""

    freeze_today = TODAY
    review_world = True

    def _grant(self, role, **vals):
        values = {
            "review_id": self.review.id,
            "user_id": self.users[COLLEAGUE].id,
            "purpose": "appeal",
            "note": "Hears the appeal against the objectives.",
            "date_from": date(2026, 1, 14),
            "date_to": date(2026, 2, 28),
        }
        values.update(vals)
        return self.as_role(role, self.env["hr.performance.access.grant"]).create(values)

    def _can_read(self, role, records):
        return self.outcome(lambda: self.as_role(role, records).read(["display_name"]))

    def test_grant_opens_the_review_for_its_period_only(self):
        self.assertFalse(self._can_read(COLLEAGUE, self.review))
        grant = self._grant(HEAD_A)
        self.assertEqual(grant.granted_by_id, self.users[HEAD_A])
        self.assertEqual(grant.state, "active")
        for records in (self.review, self.objective, self.review.reviewer_change_ids):
            self.assertTrue(self._can_read(COLLEAGUE, records))
        # Read only: a grantee writes nothing.
        self.assertFalse(
            self.outcome(
                lambda: self.as_role(COLLEAGUE, self.review).write({"disagreement_note": "x"})
            )
        )
        self.assertFalse(self._can_read(COLLEAGUE, self.review_done), "One review, not the others")
        # The reviewee is told, on their review.
        message = self.review.message_ids[0]
        self.assertIn(
            "was granted access to this review (Hearing an appeal) from 14 January 2026 to "
            "28 February 2026.",
            str(message.body),
        )
        self.assertIn(self.users[REVIEWEE].partner_id, message.notification_ids.res_partner_id)
        with freeze_time("2026-02-28"):
            self.assertTrue(self._can_read(COLLEAGUE, self.review))
        with freeze_time("2026-03-01"):
            self.assertFalse(self._can_read(COLLEAGUE, self.review))
            self.assertEqual(grant.state, "expired")

    def test_scheduled_grant(self):
        grant = self._grant(HR_TRUST, date_from=date(2026, 2, 1), date_to=False)
        self.assertEqual(grant.state, "scheduled")
        self.assertFalse(self._can_read(COLLEAGUE, self.review))
        with freeze_time("2026-02-01"):
            self.assertTrue(self._can_read(COLLEAGUE, self.review))

    def test_revoke(self):
        grant = self._grant(HEAD_A)
        self.as_role(HEAD_A, self.review).message_subscribe(
            partner_ids=self.users[COLLEAGUE].partner_id.ids
        )
        self.as_role(HR_TRUST, grant).action_revoke()
        self.assertEqual(grant.state, "revoked")
        self.assertEqual(grant.revoked_by_id, self.users[HR_TRUST])
        self.assertTrue(grant.date_revoked)
        self.assertFalse(self._can_read(COLLEAGUE, self.review))
        self.assertNotIn(self.users[COLLEAGUE].partner_id, self.review.message_partner_ids)
        self.assertIn(
            "access to this review (Hearing an appeal) was revoked",
            str(self.review.message_ids[0].body),
        )
        with self.assertRefused(UserError, "already revoked"):
            self.as_role(HEAD_A, grant).action_revoke()
        with self.assertRefused(UserError, "revoked access grant cannot change"):
            self.as_role(HEAD_A, grant).write({"date_to": date(2026, 12, 31)})
        # The grant stays on record, for the reviewee to see.
        self.assertIn(grant, self.as_role(REVIEWEE, self.review).access_grant_ids)

    def test_grants_are_never_deleted_nor_rewritten(self):
        grant = self._grant(HEAD_A)
        for role in (HEAD_A, HR_TRUST, HR_MANAGER, REVIEWEE, COLLEAGUE):
            with self.subTest(role=role), self.assertRaises(UserError):
                self.as_role(role, grant).unlink()
        with self.assertRefused(UserError, "Only the end date and the reason"):
            self.as_role(HR_MANAGER, grant).write({"user_id": self.users[GRANTEE].id})
        with self.assertRefused(UserError, "Only the end date and the reason"):
            self.as_role(HEAD_A, grant).write({"revoked_by_id": self.users[HEAD_A].id})
        # Extending is allowed to the headteacher and HR, not to the grantee.
        self.as_role(HEAD_A, grant).write({"date_to": date(2026, 3, 31)})
        with self.assertRaises(AccessError):
            self.as_role(COLLEAGUE, grant).write({"date_to": date(2026, 12, 31)})
        self.assertEqual(grant.date_to, date(2026, 3, 31))
        self.assertEqual(grant.user_id, self.users[COLLEAGUE])

    def test_bad_grants_are_refused_and_nothing_is_recorded(self):
        Grant = self.env["hr.performance.access.grant"]
        before = Grant.search([])
        with self.assertRefused(ValidationError, "cannot grant yourself"):
            self._grant(HEAD_A, user_id=self.users[HEAD_A].id)
        with self.assertRefused(ValidationError, "cannot grant yourself"):
            self._grant(HR_TRUST, user_id=self.users[HR_TRUST].id)
        with self.assertRefused(AccessError, "Only the headteacher or HR"):
            self._grant(REVIEWER, user_id=self.users[REVIEWER].id)
        with self.assertRefused(AccessError, "Only the headteacher or HR"):
            self._grant(REVIEWEE)
        with self.assertRefused(AccessError, "Only the headteacher or HR"):
            self._grant(GRANTEE, user_id=self.users[COLLEAGUE].id)
        with self.assertRefused(ValidationError, "is the reviewee"):
            self._grant(HEAD_A, user_id=self.users[REVIEWEE].id)
        with self.assertRefused(ValidationError, "Explain why"):
            self._grant(HEAD_A, purpose="other", note=False)
        with self.assertRefused(ValidationError, "must end on or after"):
            self._grant(HEAD_A, date_to=date(2026, 1, 1))
        portal = self.env["res.users"].create(
            {
                "name": "Parent",
                "login": "hsp_parent",
                "company_id": self.school.id,
                "company_ids": [(6, 0, self.school.ids)],
                "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        with self.assertRefused(ValidationError, "not an internal user"):
            self._grant(HEAD_A, user_id=portal.id)
        with self.assertRaises(AccessError):
            self._grant(HEAD_B, user_id=self.users[HR_TRUST].id)
        # A headteacher does not decide who reads their own review.
        own = self.env["hr.performance.review"].create(
            {"cycle_id": self.cycle_a.id, "employee_id": self.employees[HEAD_A].id}
        )
        with self.assertRefused(AccessError, "your own review"):
            self._grant(HEAD_A, review_id=own.id)
        self.assertFalse(self.as_role(HEAD_A, own).can_grant_access)
        with self.assertRaises(AccessError):
            self.as_role(HEAD_A, own).action_grant_access()
        self.assertEqual(Grant.search([]), before)
        # The granter is who grants, whatever the client sends.
        grant = self._grant(HEAD_A, granted_by_id=self.users[HR_MANAGER].id)
        self.assertEqual(grant.granted_by_id, self.users[HEAD_A])

    def test_reviewee_sees_who_has_access_and_why(self):
        review = self.as_role(REVIEWEE, self.review)
        self.assertTrue(review.is_own_review)
        self.assertTrue(review.can_view_access_log)
        self.assertFalse(review.can_grant_access)
        self.assertEqual(review.access_grant_ids, self.grant)
        overview = str(review.access_overview)
        for role, why in (
            (REVIEWER, "Reviewer"),
            (HEAD_A, "Headteacher"),
            (HR_TRUST, "HR"),
            (HR_MANAGER, "HR"),
            (GRANTEE, "Line management"),
            (PAYROLL, "Payroll"),
            (GOVERNOR, "Governor / pay committee"),
            (CPD_LEADER, "CPD leader"),
        ):
            with self.subTest(role=role):
                self.assertIn(self.users[role].name, overview)
                self.assertIn(why, overview)
        self.assertIn("Manages the reviewee&#39;s timetable.", overview)
        self.assertIn("Only the training needs", overview)
        for role in (HEAD_B, COLLEAGUE):
            self.assertNotIn(self.users[role].name, overview)
        self.assertNotIn(self.users["former_reviewer"].name, overview)
        action = self.as_role(HEAD_A, self.review).action_grant_access()
        self.assertEqual(action["res_model"], "hr.performance.access.grant")
        self.assertEqual(action["context"], {"default_review_id": self.review.id})
