import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from .test_portal import PortalCase

ATTEMPT = "hr.performance.portal.join.attempt"
ADDRESS_PARAM = "hr_school_performance.portal_join_max_address_failures"
CODE_PARAM = "hr_school_performance.portal_join_max_failures"


def wrong_codes(count, prefix="ZZZZZ"):
    """``count`` different codes that open nothing, as colleagues' typos or a guesser's
    tries."""
    return [f"{prefix}-{number:05d}" for number in range(count)]


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
    """The public sign-up page counts refused attempts in the database. A code refused five
    times within 15 minutes, from any address, is refused — the right code too — until 15
    minutes after the last refusal; an address is refused only after 50 refusals, whatever
    the codes, so that the colleagues of a school behind one public address do not lock each
    other out with their typos, while one machine trying many codes is still stopped."""

    def _join(self, code, password="new-pass-123", confirm=None):
        page = self.url_open("/performance/join")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        data = {
            "code": code,
            "password": password,
            "confirm": password if confirm is None else confirm,
            "csrf_token": token,
        }
        return self.url_open("/performance/join", data=data)

    def _password_hash(self, user):
        self.env.flush_all()
        self.env.cr.execute("SELECT password FROM res_users WHERE id = %s", [user.id])
        return self.env.cr.fetchone()[0]

    def _assert_signed_up(self, response, invitation, old_hash):
        self.assertTrue(response.url.endswith("/my/performance"), response.url)
        self.env.invalidate_all()
        self.assertTrue(invitation.date_used)
        self.assertNotEqual(self._password_hash(invitation.user_id), old_hash)

    def test_colleagues_typos_do_not_lock_their_shared_address(self):
        """Eight colleagues mistype their codes, all from the school's one address; Tina,
        from that address too, then signs up with her right code."""
        Attempt = self.env[ATTEMPT]
        code = self._mail_code(self.ta_2)
        invitation = self.ta_2.sudo().performance_invitation_ids
        password = self._password_hash(self.tina_user)
        with freeze_time(fields.Datetime.now()):
            for typo in wrong_codes(8):
                response = self._join(typo)
                self.assertEqual(response.status_code, 200)
                self.assertIn("not valid", response.text)
            self.assertEqual(Attempt.search_count([("ip_address", "=", "127.0.0.1")]), 8)
            self.assertFalse(Attempt._locked_until("127.0.0.1", code))
            response = self._join(code)
            self.assertEqual(response.status_code, 200)
            self._assert_signed_up(response, invitation, password)

    def test_address_locked_at_its_own_limit_then_released(self):
        """Fifty refusals from one address, each with another code, lock the address: the
        right code is refused, saying for how long, changing nothing; once the lock has
        ended, it works."""
        Attempt = self.env[ATTEMPT]
        code = self._mail_code(self.ta_2)
        invitation = self.ta_2.sudo().performance_invitation_ids
        password = self._password_hash(self.tina_user)
        with freeze_time(fields.Datetime.now()) as frozen:
            guesses = wrong_codes(50)
            for guess in guesses[:-1]:
                Attempt._record_failure("127.0.0.1", guess, "code")
            self.assertFalse(Attempt._locked_until("127.0.0.1", code))
            response = self._join(guesses[-1])
            self.assertEqual(response.status_code, 200)
            self.assertIn("not valid", response.text)
            self.assertEqual(Attempt.search_count([("ip_address", "=", "127.0.0.1")]), 50)
            # The right code, from the locked address: refused, saying why, nothing changed.
            response = self._join(code)
            self.assertEqual(response.status_code, 429)
            self.assertIn("Too many unsuccessful sign-up attempts", response.text)
            self.assertIn("15 more minutes", response.text)
            self.assertFalse(response.url.endswith("/my/performance"))
            self.env.invalidate_all()
            self.assertFalse(invitation.date_used)
            self.assertEqual(invitation.state, "open")
            self.assertEqual(self._password_hash(self.tina_user), password)
            self.assertEqual(Attempt.search_count([]), 50, "a refused request is not counted")
            # Another address is not locked.
            self.assertFalse(Attempt._locked_until("203.0.113.7", code))
            # Still locked a minute before the end.
            frozen.tick(timedelta(minutes=14))
            response = self._join(code)
            self.assertEqual(response.status_code, 429)
            self.assertIn("one more minute", response.text)
            self.env.invalidate_all()
            self.assertFalse(invitation.date_used)
            self.assertEqual(self._password_hash(self.tina_user), password)
            # Once the lock has ended, the right code works.
            frozen.tick(timedelta(minutes=2))
            response = self._join(code)
            self._assert_signed_up(response, invitation, password)

    def test_code_locked_but_not_the_colleagues_at_its_address(self):
        """Five refusals of Tina's code from the school's address lock her code, not the
        address: Carl, at the next desk, signs up with his."""
        Attempt = self.env[ATTEMPT]
        code = self._mail_code(self.ta_2)
        invitation = self.ta_2.sudo().performance_invitation_ids
        action = self.cleaner.with_user(self.hr_officer).action_performance_portal_invite()
        carl_invitation = self.cleaner.sudo().performance_invitation_ids
        carl_code = action["data"]["codes"][str(carl_invitation.id)]
        tina_password = self._password_hash(self.tina_user)
        carl_password = self._password_hash(carl_invitation.user_id)
        with freeze_time(fields.Datetime.now()):
            for __ in range(5):
                response = self._join(code, confirm="other-pass-123")
                self.assertEqual(response.status_code, 200)
                self.assertIn("The two passwords differ.", response.text)
            response = self._join(code)
            self.assertEqual(response.status_code, 429)
            self.assertIn("Too many unsuccessful sign-up attempts", response.text)
            self.env.invalidate_all()
            self.assertFalse(invitation.date_used)
            self.assertEqual(self._password_hash(self.tina_user), tina_password)
            # The code is locked from anywhere; the address is not.
            self.assertTrue(Attempt._locked_until("203.0.113.7", code))
            self.assertFalse(Attempt._locked_until("127.0.0.1", "ZZZZZ-ZZZZZ"))
            response = self._join(carl_code)
            self._assert_signed_up(response, carl_invitation, carl_password)

    def test_failures_spread_out_do_not_lock(self):
        """Five refusals of one code, each more than 15 minutes after the fourth before it,
        do not lock it."""
        code = self._mail_code(self.ta_2)
        invitation = self.ta_2.sudo().performance_invitation_ids
        password = self._password_hash(self.tina_user)
        with freeze_time(fields.Datetime.now()) as frozen:
            for __ in range(5):
                response = self._join(code, confirm="other-pass-123")
                self.assertIn("The two passwords differ.", response.text)
                frozen.tick(timedelta(minutes=4))
            response = self._join(code)
            self._assert_signed_up(response, invitation, password)

    def test_one_code_locked_from_any_address(self):
        """Five refusals of one code, from five addresses, lock that code everywhere; other
        codes and addresses go on. The limit is a system parameter."""
        Attempt = self.env[ATTEMPT]
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
            self.env["ir.config_parameter"].set_param(CODE_PARAM, "8")
            self.assertFalse(Attempt._locked_until("203.0.113.7", code))
            # Old attempts are vacuumed.
            frozen.tick(timedelta(days=3))
            Attempt._gc_join_attempts()
            self.assertFalse(Attempt.search_count([]))

    def test_one_address_trying_many_codes_is_stopped(self):
        """A guesser trying a new code each time from one address is stopped at the address
        limit — for codes never tried too — whatever the code limit; the address limit is
        its own system parameter, never below the code limit."""
        Attempt = self.env[ATTEMPT]
        Params = self.env["ir.config_parameter"]
        untried = "YYYYY-YYYYY"
        with freeze_time(fields.Datetime.now()):
            guesses = wrong_codes(50)
            for guess in guesses[:-1]:
                Attempt._record_failure("203.0.113.9", guess, "code")
            self.assertFalse(Attempt._locked_until("203.0.113.9", untried))
            Attempt._record_failure("203.0.113.9", guesses[-1], "password")
            self.assertTrue(Attempt._locked_until("203.0.113.9", untried))
            self.assertFalse(Attempt._locked_until("203.0.113.10", untried))
            # A lower address limit, set by the administrator.
            Params.set_param(ADDRESS_PARAM, "10")
            for guess in wrong_codes(9, prefix="XXXXX"):
                Attempt._record_failure("192.0.2.44", guess, "code")
            self.assertFalse(Attempt._locked_until("192.0.2.44", untried))
            Attempt._record_failure("192.0.2.44", "XXXXX-99999", "code")
            self.assertTrue(Attempt._locked_until("192.0.2.44", untried))
            # Never below the code limit.
            Params.set_param(CODE_PARAM, "12")
            self.assertFalse(Attempt._locked_until("192.0.2.44", untried))

    def test_ipv6_counted_by_network(self):
        """Addresses of one IPv6 /64 network (what one subscriber is given) count as one
        address; an IPv4 address written as IPv6 counts as itself."""
        Attempt = self.env[ATTEMPT]
        Params = self.env["ir.config_parameter"]
        Params.set_param(ADDRESS_PARAM, "10")
        untried = "YYYYY-YYYYY"
        with freeze_time(fields.Datetime.now()):
            for number, guess in enumerate(wrong_codes(10), start=1):
                Attempt._record_failure(f"2001:db8:1:2::{number:x}", guess, "code")
            self.assertEqual(set(Attempt.search([]).mapped("ip_address")), {"2001:db8:1:2::/64"})
            self.assertTrue(Attempt._locked_until("2001:db8:1:2:ffff::1", untried))
            self.assertFalse(Attempt._locked_until("2001:db8:1:3::1", untried))
            for guess in wrong_codes(10, prefix="XXXXX"):
                Attempt._record_failure("::ffff:192.0.2.8", guess, "code")
            self.assertTrue(Attempt._locked_until("192.0.2.8", untried))
            self.assertEqual(Attempt._address_key("::ffff:192.0.2.8"), "192.0.2.8")
            self.assertFalse(Attempt._locked_until("192.0.2.9", untried))
