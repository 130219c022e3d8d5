import re
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import HrSchoolPerformanceCase, london

CODE_RE = re.compile(r"[A-Z2-9]{5}-[A-Z2-9]{5}")


class PortalCase(HrSchoolPerformanceCase):
    """Tina (``ta_2``, a work e-mail, no login) is invited to the portal by HR; Carl the
    cleaner (no e-mail) gets a printed letter. Tom (``ta_1``) signs in to the back office."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team()
        action = cls.ta_2.with_user(cls.hr_officer).action_performance_portal_invite()
        cls.invite_action = action
        cls.tina_user = cls.ta_2.user_id
        cls.tina_user.password = "tina-portal-1"
        cls.review_tina.reviewer_id = cls.manager

    def _mail_code(self, employee):
        invitation = employee.sudo().performance_invitation_ids[:1]
        mail = self.env["mail.mail"].search(
            [("model", "=", invitation._name), ("res_id", "=", invitation.id)]
        )
        return CODE_RE.search(str(mail.body_html)).group(0)


@tagged("post_install", "-at_install")
class TestPortalInvitation(PortalCase):
    def test_invite_links_a_portal_user_and_emails(self):
        user = self.ta_2.user_id
        self.assertTrue(user.share)
        self.assertTrue(user._is_portal())
        self.assertEqual(user.login, "tina@test-primary.example.com")
        self.assertEqual(user.company_id, self.school)
        invitation = self.ta_2.sudo().performance_invitation_ids
        self.assertEqual((invitation.channel, invitation.state), ("email", "open"))
        self.assertEqual(self.invite_action["tag"], "display_notification")
        mail = self.env["mail.mail"].search(
            [("model", "=", "hr.performance.portal.invitation"), ("res_id", "=", invitation.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertTrue(mail.auto_delete)
        self.assertIn("/performance/join?code=", str(mail.body_html))
        self.assertIn("Test Primary School", mail.subject)
        # Only a keyed hash of the code is kept.
        code = self._mail_code(self.ta_2)
        self.assertNotIn(code.replace("-", ""), invitation.sudo().code_hash)
        self.assertEqual(invitation.sudo()._find_by_code(code.lower()), invitation)

    def test_letter_for_staff_without_email(self):
        action = self.cleaner.with_user(self.hr_officer).action_performance_portal_invite()
        self.assertEqual(action["type"], "ir.actions.report")
        invitation = self.cleaner.sudo().performance_invitation_ids
        self.assertEqual(invitation.channel, "letter")
        self.assertEqual(self.cleaner.user_id.login, f"carl.cleaner.{self.cleaner.id}")
        code = action["data"]["codes"][str(invitation.id)]
        html = (
            self.env["ir.actions.report"]
            .with_user(self.hr_officer)
            ._render_qweb_html(
                "hr_school_performance.hr_performance_portal_invitation_report_letter",
                invitation.ids,
                data=action["data"],
            )[0]
            .decode()
        )
        self.assertIn(code, html)
        self.assertIn(self.cleaner.user_id.login, html)
        self.assertIn("/performance/join", html)
        # A reprint has no code: it was never stored.
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "hr_school_performance.hr_performance_portal_invitation_report_letter",
                invitation.ids,
            )[0]
            .decode()
        )
        self.assertNotIn(code, html)
        self.assertIn("ask HR for a new invitation", html)

    def test_only_hr_invite_and_never_back_office_users(self):
        with self.assertRefused(AccessError, "Only HR invite"):
            self.cleaner.with_user(self.reviewer_user).action_performance_portal_invite()
        self.assertFalse(self.cleaner.user_id)
        with self.assertRefused(UserError, "Tom Assistant already sign in"):
            self.ta_1.with_user(self.hr_officer).action_performance_portal_invite()

    def test_reinvite_withdraws_the_previous_code(self):
        old = self.ta_2.sudo().performance_invitation_ids
        old_code = self._mail_code(self.ta_2)
        self.ta_2.with_user(self.hr_officer).action_performance_portal_invite()
        self.assertEqual(old.state, "expired")
        Invitation = self.env["hr.performance.portal.invitation"]
        with self.assertRefused(UserError, "not valid"):
            Invitation._redeem(old_code, "a-new-password")

    def test_code_is_single_use_and_expires(self):
        code = self._mail_code(self.ta_2)
        Invitation = self.env["hr.performance.portal.invitation"]
        with self.assertRefused(UserError, "at least 8"):
            Invitation._redeem(code, "short")
        invitation = Invitation._redeem(code, "a-good-password")
        self.assertEqual(invitation.state, "used")
        with self.assertRefused(UserError, "not valid"):
            Invitation._redeem(code, "another-password")
        with self.assertRefused(UserError, "not valid"):
            Invitation._redeem("ABCDE-FGHJK", "another-password")
        self.ta_2.with_user(self.hr_officer).action_performance_portal_invite()
        code = self._mail_code(self.ta_2)
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            with self.assertRefused(UserError, "not valid"):
                Invitation._redeem(code, "another-password")


@tagged("post_install", "-at_install")
class TestPortalRpc(PortalCase):
    """What a portal user reaches through the ORM (any RPC call): their own review only."""

    def test_own_review_only(self):
        Review = self.env["hr.performance.review"].with_user(self.tina_user)
        self.assertEqual(Review.search([]), self.review_tina)
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            self.review.with_user(self.tina_user).read(["chat_likes"])
        with self.assertRaises(AccessError):
            self.review.with_user(self.tina_user).write({"chat_likes": "x"})
        for model in (
            "hr.performance.access.log",
            "hr.performance.access.grant",
            "hr.performance.deadline",
            "hr.performance.cycle",
            "hr.performance.portal.invitation",
            "hr.employee",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.tina_user).search([])

    def test_writes_follow_the_rights_engine(self):
        review = self.review_tina.with_user(self.tina_user)
        review.write({"chat_likes": "The children", "pre_successes": "Phonics"})
        self.assertStored(self.review_tina, "pre_successes", "Phonics")
        with self.assertRefused(AccessError, "On your own review"):
            review.write({"final_assessment": "<p>Outstanding</p>"})
        with self.assertRefused(AccessError, "On your own review"):
            review.write({"outcome_level_id": self.level_exceeded.id})
        with self.assertRaises(AccessError):
            review.action_agree_objectives()


@tagged("post_install", "-at_install")
class TestPortalRoutes(PortalCase, HttpCase):
    """Every portal route and report URL as a real portal user: their own records allowed,
    anyone else's answered as if they did not exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._prepare_for(cls.review_tina, "planning")
        cls.objective_tina = cls.review_tina.objective_ids
        cls._prepare_for(cls.review, "planning")
        cls.objective_tom = cls.review.objective_ids
        cls.observation_tina, cls.observation_tom = cls.env["hr.performance.observation"].create(
            [
                {
                    "review_id": review.id,
                    "observer_id": cls.manager.id,
                    "date_observation": london(datetime(2026, 9, 10).date()),
                    "summary": f"Summary for {review.employee_id.name}",
                }
                for review in (cls.review_tina, cls.review)
            ]
        )
        (cls.observation_tina | cls.observation_tom).write({"state": "shared"})

    def setUp(self):
        super().setUp()
        self.authenticate(self.tina_user.login, "tina-portal-1")

    def _post(self, url, data):
        return self.url_open(url, data={**data, "csrf_token": self.csrf_token()})

    def csrf_token(self):
        response = self.url_open(f"/my/performance/{self.review_tina.id}")
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def test_home_and_list(self):
        response = self.url_open("/my/performance")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Tina Assistant", response.text)
        self.assertNotIn("Tom Assistant", response.text)
        response = self.url_open("/my")
        self.assertIn("/my/performance", response.text)

    @mute_logger("odoo.http")
    def test_review_page_own_and_others(self):
        response = self.url_open(f"/my/performance/{self.review_tina.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Pre-review form", response.text)
        self.assertIn("Summary for Tina Assistant", response.text)
        self.assertIn("Maria Manager", response.text)
        for review in (self.review, self.review_tina.browse(999999)):
            response = self.url_open(f"/my/performance/{review.id}")
            self.assertEqual(response.status_code, 404)
            self.assertNotIn("Tom Assistant", response.text)

    @mute_logger("odoo.http")
    def test_save_forms(self):
        response = self._post(
            f"/my/performance/{self.review_tina.id}/save",
            {"section": "pre_review", "pre_successes": "Phonics group", "return_form": "1"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Saved.", response.text)
        self.assertStored(self.review_tina, "pre_successes", "Phonics group")
        self.assertTrue(self.review_tina.date_self_evaluation)
        # A field outside the section is ignored; one the reviewee may not write now is
        # refused, saying why, with nothing written.
        self._post(
            f"/my/performance/{self.review_tina.id}/save",
            {"section": "comments", "reviewee_comment": "ok", "final_assessment": "x"},
        )
        self.assertStored(self.review_tina, "final_assessment", False)
        response = self._post(
            f"/my/performance/{self.review_tina.id}/save",
            {"section": "self_evaluation", "self_contributions": "Too early"},
        )
        self.assertIn("On your own review", response.text)
        self.assertStored(self.review_tina, "self_contributions", False)
        # Someone else's review and objective: not found, nothing written.
        response = self._post(
            f"/my/performance/{self.review.id}/save",
            {"section": "pre_review", "pre_successes": "Forged"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertStored(self.review, "pre_successes", False)
        response = self._post(
            f"/my/performance/objective/{self.objective_tom.id}/save",
            {"disagreement_note": "Forged"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertStored(self.objective_tom, "disagreement_note", False)

    @mute_logger("odoo.http")
    def test_objective_and_observation(self):
        response = self._post(
            f"/my/performance/objective/{self.objective_tina.id}/save",
            {"disagreement_note": "I would rather run two groups"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertStored(self.objective_tina, "disagreement_note", "I would rather run two groups")
        response = self._post(
            f"/my/performance/observation/{self.observation_tina.id}/save",
            {"reviewee_comments": "Thank you", "acknowledge": "1"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertStored(self.observation_tina, "reviewee_comments", "Thank you")
        self.assertTrue(self.observation_tina.date_acknowledged)
        response = self._post(
            f"/my/performance/observation/{self.observation_tom.id}/save",
            {"reviewee_comments": "Forged", "acknowledge": "1"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertStored(self.observation_tom, "reviewee_comments", False)
        self.assertFalse(self.observation_tom.date_acknowledged)

    @mute_logger("odoo.http", "odoo.addons.web.controllers.report")
    def test_downloads_and_report_urls(self):
        for form in ("invitation_memo", "pre_review", "self_evaluation", "midyear"):
            with self.subTest(form=form):
                response = self.url_open(f"/my/performance/{self.review_tina.id}/print/{form}")
                self.assertEqual(response.status_code, 200)
                self.assertIn("Tina Assistant", response.text)
                response = self.url_open(f"/my/performance/{self.review.id}/print/{form}")
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Tom Assistant", response.text)
        response = self.url_open(f"/my/performance/observation/{self.observation_tina.id}/print")
        self.assertEqual(response.status_code, 200)
        response = self.url_open(f"/my/performance/observation/{self.observation_tom.id}/print")
        self.assertEqual(response.status_code, 404)
        # The back office's report routes give a portal user nobody else's forms.
        for report in (
            "hr_school_performance.report_pre_review",
            "hr_school_performance.report_self_evaluation",
        ):
            response = self.url_open(f"/report/html/{report}/{self.review.id}")
            self.assertNotEqual(response.status_code, 200)
            self.assertNotIn("Tom Assistant", response.text)
        response = self.url_open(
            f"/report/html/hr_school_performance.report_observation/{self.observation_tom.id}"
        )
        self.assertNotIn("Summary for Tom", response.text)

    def test_signup_route(self):
        self.ta_2.with_user(self.hr_officer).action_performance_portal_invite()
        code = self._mail_code(self.ta_2)
        self.url_open("/web/session/logout")
        page = self.url_open(f"/performance/join?code={code}")
        self.assertEqual(page.status_code, 200)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        data = {"code": "ZZZZZ-ZZZZZ", "password": "new-pass-123", "confirm": "new-pass-123"}
        response = self.url_open("/performance/join", data={**data, "csrf_token": token})
        self.assertIn("not valid", response.text)
        data["code"] = code
        response = self.url_open("/performance/join", data={**data, "csrf_token": token})
        self.assertTrue(response.url.endswith("/my/performance"), response.url)
        self.assertIn("Tina Assistant", response.text)
        # The same code again: refused.
        self.url_open("/web/session/logout")
        page = self.url_open("/performance/join")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open("/performance/join", data={**data, "csrf_token": token})
        self.assertIn("not valid", response.text)
