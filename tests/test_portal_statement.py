import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .test_portal import PortalCase
from .test_statement import SIGNATURE


@tagged("post_install", "-at_install")
class TestPortalStatement(PortalCase, HttpCase):
    """Tina, a portal user, reads, comments on, signs and downloads her own statement; Tom's
    statement, and her own while still a draft, do not exist for her."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for review in (cls.review_tina, cls.review):
            cls._prepare_for(review, "planning")
            review.with_user(cls.reviewer_user).action_draft_statement()
        cls.statement_tina = cls.review_tina.statement_id
        cls.statement_tom = cls.review.statement_id
        cls.statement_tom.with_user(cls.reviewer_user).action_send()

    def setUp(self):
        super().setUp()
        self.authenticate(self.tina_user.login, "tina-portal-1")

    def _url(self, statement, suffix=""):
        return f"/my/performance/statement/{statement.id}{suffix}"

    def _send(self):
        self.statement_tina.with_user(self.reviewer_user).action_send()

    def _final(self):
        self._send()
        self.statement_tina.with_user(self.reviewer_user).action_finalise()

    def _csrf(self, statement):
        page = self.url_open(self._url(statement))
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _comment(self, statement, data, token=None):
        token = token or self._csrf(self.statement_tina)
        return self.url_open(self._url(statement, "/comment"), data={**data, "csrf_token": token})

    def _sign(self, statement, name="Tina Assistant"):
        return self.make_jsonrpc_request(
            self._url(statement, "/sign"), {"name": name, "signature": SIGNATURE.decode()}
        )

    @mute_logger("odoo.http")
    def test_draft_and_others_do_not_exist(self):
        response = self.url_open(self._url(self.statement_tina))
        self.assertEqual(response.status_code, 404, "A draft is the reviewer's alone")
        response = self.url_open(self._url(self.statement_tom))
        self.assertEqual(response.status_code, 404)
        Statement = self.env["hr.performance.statement"].with_user(self.tina_user)
        self.assertFalse(Statement.search([]), "RPC: neither a draft nor a colleague's")
        self._send()
        self.assertEqual(Statement.search([]), self.statement_tina)
        response = self.url_open(self._url(self.statement_tina))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.statement_tom.name, response.text)
        review_page = self.url_open(f"/my/performance/{self.review_tina.id}")
        self.assertIn(self._url(self.statement_tina), review_page.text)

    @mute_logger("odoo.http")
    def test_comment_and_ask_for_changes(self):
        self._send()
        page = self.url_open(self._url(self.statement_tina))
        self.assertIn('name="reviewee_comments"', page.text)
        self.assertNotIn("o_signature_form", page.text)
        token = self._csrf(self.statement_tina)
        response = self._comment(self.statement_tom, {"reviewee_comments": "Not mine"}, token=token)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.statement_tom.reviewee_comments)
        response = self._comment(
            self.statement_tina,
            {
                "reviewee_comments": "Please add the first-aid course.",
                "change_requested": "1",
                "return_comments": "1",
            },
            token=token,
        )
        self.assertIn("returned to your reviewer", response.text)
        statement = self.statement_tina
        self.assertEqual(statement.state, "commented")
        self.assertEqual(statement.reviewee_comments, "Please add the first-aid course.")
        self.assertTrue(statement.change_requested)
        self.assertEqual(statement.write_uid, self.tina_user)
        self.assertTrue(self.review_tina.date_comments)
        # Returned: the comments are no longer hers to change.
        response = self._comment(statement, {"reviewee_comments": "Changed my mind"}, token=token)
        self.assertIn("o_hsp_portal_error", response.text)
        self.assertEqual(statement.reviewee_comments, "Please add the first-aid course.")

    @mute_logger("odoo.http")
    def test_sign_and_download(self):
        self._send()
        result = self._sign(self.statement_tina)
        self.assertIn("cannot be signed yet", result["error"])
        self.assertFalse(self.statement_tina.signature_ids)
        self.statement_tina.with_user(self.reviewer_user).action_finalise()
        response = self.url_open(self._url(self.statement_tina, "/signed.pdf"))
        self.assertEqual(response.status_code, 404, "Nothing to download before signing")
        page = self.url_open(self._url(self.statement_tina))
        self.assertIn("portal.signature_form", page.text)
        self.assertIn("error", self._sign(self.statement_tom))
        self.assertFalse(self.statement_tom.signature_ids)
        self.assertIn("error", self._sign(self.statement_tina, name=" "))
        self.statement_tina.with_user(self.reviewer_user).action_sign("Maria Manager", SIGNATURE)
        result = self._sign(self.statement_tina)
        self.assertTrue(result.get("force_refresh"), result)
        statement = self.statement_tina
        signature = statement.signature_ids.filtered(lambda s: s.signer_role == "reviewee")
        self.assertEqual(
            (signature.signer_user_id, signature.route, signature.signed_name),
            (self.tina_user, "portal", "Tina Assistant"),
        )
        self.assertEqual(statement.state, "signed")
        self.assertEqual(statement.integrity_status, "ok")
        result = self._sign(statement)
        self.assertIn("already signed", result["error"])
        self.assertEqual(len(statement.signature_ids), 2)
        Signature = self.env["hr.performance.signature"].with_user(self.tina_user)
        self.assertEqual(Signature.search([]), statement.signature_ids)
        # The test server renders HTML instead of PDF: store the signed original with
        # wkhtmltopdf, as signing does outside tests.
        statement.with_context(force_report_rendering=True)._store_signed_pdf()
        response = self.url_open(self._url(statement, "/signed.pdf"))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertEqual(response.content, statement.pdf_attachment_id.raw)
        response = self.url_open(self._url(self.statement_tom, "/signed.pdf"))
        self.assertEqual(response.status_code, 404)
        page = self.url_open(self._url(statement))
        self.assertIn("o_hsp_statement_download", page.text)
        self.assertNotIn("portal.signature_form", page.text)


@tagged("post_install", "-at_install")
class TestPortalStatementTour(PortalCase, HttpCase):
    """On a phone-sized screen, in a real browser: Tina comments on her statement, signs it
    with the portal signature widget once her reviewer has finalised it, and downloads
    the signed copy."""

    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._prepare_for(cls.review_tina, "planning")
        cls.review_tina.with_user(cls.reviewer_user).action_draft_statement()
        cls.statement_tina = cls.review_tina.statement_id

    def test_portal_statement_tour(self):
        statement = self.statement_tina
        as_reviewer = statement.with_user(self.reviewer_user)
        as_reviewer.action_send()
        login = self.tina_user.login
        self.start_tour(
            f"/my/performance/{self.review_tina.id}",
            "hr_school_performance_portal_statement_comment_tour",
            login=login,
        )
        self.assertEqual(statement.state, "commented")
        self.assertEqual(statement.reviewee_comments, "Please add the first-aid refresher.")
        self.assertTrue(statement.change_requested)
        as_reviewer.action_finalise()
        as_reviewer.action_sign("Maria Manager", SIGNATURE)
        url = f"/my/performance/statement/{statement.id}"
        self.start_tour(url, "hr_school_performance_portal_statement_sign_tour", login=login)
        self.assertEqual(statement.state, "signed")
        signature = statement.signature_ids.filtered(lambda s: s.signer_role == "reviewee")
        self.assertEqual((signature.route, signature.signer_user_id), ("portal", self.tina_user))
        self.assertTrue(signature.signature)
        # The test server renders HTML instead of PDF: store the signed original with
        # wkhtmltopdf, as signing does outside tests.
        statement.with_context(force_report_rendering=True)._store_signed_pdf()
        self.start_tour(url, "hr_school_performance_portal_statement_download_tour", login=login)
