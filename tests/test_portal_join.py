import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from .test_portal import PortalCase

WRONG_CODES = ("ZZZZZ-ZZZZ2", "ZZZZZ-ZZZZ3", "ZZZZZ-ZZZZ4", "ZZZZZ-ZZZZ5", "ZZZZZ-ZZZZ6")


@tagged("post_install", "-at_install")
class TestPortalSchoolInvitation(PortalCase):
    """The school's own invitation e-mail, chosen on the school's form, is the one the bulk
    invitation sends."""

    def test_bulk_invitation_uses_the_school_template(self):
        view = self.env.ref("hr_school_performance.res_company_view_form")
        self.assertIn('name="performance_portal_invitation_template_id"', view.arch)
        template = self.env["mail.template"].create(
            {
                "name": "Our own invitation",
                "model_id": self.env["ir.model"]._get_id("hr.performance.portal.invitation"),
                "subject": "Welcome to Test Primary's appraisal pages",
                "email_to": "{{ object.employee_id.work_email }}",
                "body_html": "<p>Your code: <t t-out=\"ctx.get('invitation_code')\"/></p>",
                "auto_delete": True,
            }
        )
        self.school.performance_portal_invitation_template_id = template
        self.cleaner.work_email = "carl@test-primary.example.com"
        staff = self.ta_2 | self.cleaner
        staff.with_user(self.hr_officer).action_performance_portal_invite()
        invitations = staff.sudo().performance_invitation_ids.filtered(lambda i: i.state == "open")
        self.assertEqual(len(invitations), 2)
        mails = self.env["mail.mail"].search(
            [("model", "=", invitations._name), ("res_id", "in", invitations.ids)]
        )
        self.assertEqual(len(mails), 2)
        self.assertEqual(set(mails.mapped("subject")), {template.subject})
        for mail in mails:
            self.assertRegex(str(mail.body_html), r"Your code: [A-Z2-9]{5}-[A-Z2-9]{5}")
        # Another school keeps the installed e-mail.
        self.assertFalse(self.other_school.performance_portal_invitation_template_id)


@tagged("post_install", "-at_install")
class TestPortalJoinThrottle(PortalCase, HttpCase):
    """The public sign-up page counts refused attempts in the database: after five from one
    address within 15 minutes, it refuses that address — a right code too — until 15
    minutes after the last one, changing nothing."""

    def _join(self, code, password="new-pass-123"):
        page = self.url_open("/performance/join")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        data = {"code": code, "password": password, "confirm": password, "csrf_token": token}
        return self.url_open("/performance/join", data=data)

    def _password_hash(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT password FROM res_users WHERE id = %s", [self.tina_user.id])
        return self.env.cr.fetchone()[0]

    def test_locked_after_five_failures_then_released(self):
        Attempt = self.env["hr.performance.portal.join.attempt"]
        code = self._mail_code(self.ta_2)
        invitation = self.ta_2.sudo().performance_invitation_ids
        with freeze_time(fields.Datetime.now()) as frozen:
            for wrong in WRONG_CODES:
                response = self._join(wrong)
                self.assertEqual(response.status_code, 200)
                self.assertIn("not valid", response.text)
            self.assertEqual(Attempt.search_count([("ip_address", "=", "127.0.0.1")]), 5)
            password = self._password_hash()
            # The right code, from the locked address: refused, saying why, nothing changed.
            response = self._join(code)
            self.assertEqual(response.status_code, 429)
            self.assertIn("Too many unsuccessful sign-up attempts", response.text)
            self.assertIn("15 more minutes", response.text)
            self.assertFalse(response.url.endswith("/my/performance"))
            self.env.invalidate_all()
            self.assertFalse(invitation.date_used)
            self.assertEqual(invitation.state, "open")
            self.assertEqual(self._password_hash(), password)
            self.assertEqual(Attempt.search_count([]), 5, "a refused request is not counted")
            # Still locked a minute before the end.
            frozen.tick(timedelta(minutes=14))
            response = self._join(code)
            self.assertEqual(response.status_code, 429)
            self.assertIn("one more minute", response.text)
            self.env.invalidate_all()
            self.assertFalse(invitation.date_used)
            self.assertEqual(self._password_hash(), password)
            # Once the lock has ended, the right code works.
            frozen.tick(timedelta(minutes=2))
            response = self._join(code)
            self.assertTrue(response.url.endswith("/my/performance"), response.url)
            self.env.invalidate_all()
            self.assertTrue(invitation.date_used)
            self.assertNotEqual(self._password_hash(), password)

    def test_failures_spread_out_do_not_lock(self):
        code = self._mail_code(self.ta_2)
        with freeze_time(fields.Datetime.now()) as frozen:
            for wrong in WRONG_CODES:
                self._join(wrong)
                frozen.tick(timedelta(minutes=4))
            response = self._join(code)
            self.assertTrue(response.url.endswith("/my/performance"), response.url)

    def test_one_code_locked_from_any_address(self):
        """Five refusals of one code, from five addresses, lock that code everywhere; other
        codes and addresses go on. The limits are system parameters."""
        Attempt = self.env["hr.performance.portal.join.attempt"]
        code = self._mail_code(self.ta_2)
        with freeze_time(fields.Datetime.now()) as frozen:
            for number in range(5):
                Attempt._record_failure(f"198.51.100.{number}", code, "password")
            self.assertTrue(Attempt._locked_until("203.0.113.7", code.lower()))
            self.assertFalse(Attempt._locked_until("203.0.113.7", "ZZZZZ-ZZZZZ"))
            # The code digest is keyed: the code itself is stored nowhere.
            self.assertFalse(Attempt.search([("code_digest", "ilike", code.replace("-", ""))]))
            response = self._join(code)
            self.assertEqual(response.status_code, 429)
            self.env["ir.config_parameter"].set_param(
                "hr_school_performance.portal_join_max_failures", "8"
            )
            self.assertFalse(Attempt._locked_until("203.0.113.7", code))
            # Old attempts are vacuumed.
            frozen.tick(timedelta(days=3))
            Attempt._gc_join_attempts()
            self.assertFalse(Attempt.search_count([]))
