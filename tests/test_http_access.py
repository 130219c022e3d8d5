import base64
import json

from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import (
    COLLEAGUE,
    HEAD_A,
    HEAD_B,
    HR_TRUST,
    REVIEWEE,
    HrSchoolPerformanceCase,
)


@tagged("post_install", "-at_install")
class TestHttpAccess(HrSchoolPerformanceCase, HttpCase):
    """The routes a browser uses: attachments, the report route and the form's JSON-RPC."""

    review_world = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.attachment = cls.env["ir.attachment"].create(
            {
                "name": "signed-statement.pdf",
                "res_model": "hr.performance.review",
                "res_id": cls.review.id,
                "datas": base64.b64encode(b"%PDF-1.4 signed statement"),
            }
        )
        view = cls.env["ir.ui.view"].create(
            {
                "name": "hr_school_performance.test_statement_http",
                "key": "hr_school_performance.test_statement_http",
                "type": "qweb",
                "arch": '<t t-name="hr_school_performance.test_statement_http">'
                '<div t-foreach="docs" t-as="doc"><p t-out="doc.final_assessment"/></div></t>',
            }
        )
        cls.report = cls.env["ir.actions.report"].create(
            {
                "name": "Statement",
                "model": "hr.performance.review",
                "report_type": "qweb-pdf",
                "report_name": view.key,
            }
        )

    @mute_logger("odoo.http")
    def test_web_content(self):
        url = f"/web/content/{self.attachment.id}?download=true"
        for role in (COLLEAGUE, HEAD_B):
            with self.subTest(role=role):
                self._login(role)
                response = self.url_open(url)
                self.assertIn(response.status_code, (403, 404))
                self.assertNotIn(b"signed statement", response.content)
        self._login(REVIEWEE)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 signed statement")

    @mute_logger("odoo.http", "odoo.addons.web.controllers.report")
    def test_report_routes(self):
        """Printing: refused to outsiders on the direct PDF route; logged for the
        headteacher printing from the web client (/report/download)."""
        pdf_url = f"/report/pdf/{self.report.report_name}/{self.review.id}"
        for role in (COLLEAGUE, HEAD_B):
            with self.subTest(role=role):
                self._login(role)
                response = self.url_open(pdf_url)
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn(b"Not yet written", response.content)
                response = self.url_open(
                    "/report/download", params={"data": json.dumps([pdf_url, "qweb-pdf"])}
                )
                self.assertNotIn(b"Not yet written", response.content)
        Log = self.env["hr.performance.access.log"]
        self.assertFalse(Log.search([("access_type", "=", "print")]))
        self._login(HEAD_A)
        response = self.url_open(
            "/report/download", params={"data": json.dumps([pdf_url, "qweb-pdf"])}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"Not yet written", response.content)
        log = Log.search([("review_id", "=", self.review.id), ("access_type", "=", "print")])
        self.assertEqual(log.user_id, self.users[HEAD_A])

    def _web_read(self, spec):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/hr.performance.review/web_read",
            {
                "model": "hr.performance.review",
                "method": "web_read",
                "args": [[self.review.id]],
                "kwargs": {"specification": spec},
            },
        )

    def test_form_opening_through_json_rpc(self):
        """The web client opening the form is logged once; an outsider gets an error and
        nothing; a list view is not logged."""
        Log = self.env["hr.performance.access.log"]
        self._login(COLLEAGUE)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self._web_read({"final_assessment": {}})
        self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
        self.assertFalse(Log.search([("user_id", "=", self.users[COLLEAGUE].id)]))
        self._login(HEAD_B)
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/hr.performance.review/web_search_read",
            {
                "model": "hr.performance.review",
                "method": "web_search_read",
                "args": [],
                "kwargs": {"domain": [], "specification": {"final_assessment": {}}},
            },
        )
        self.assertFalse(Log.search([("user_id", "=", self.users[HEAD_B].id)]))
        self._login(HR_TRUST)
        values = self._web_read({"final_assessment": {}, "access_log_ids": {"fields": {}}})
        self.assertEqual(values[0]["final_assessment"], "<p>Not yet written.</p>")
        log = Log.search([("user_id", "=", self.users[HR_TRUST].id)])
        self.assertEqual((len(log), log.access_type), (1, "open"))
        # HR sees the log lines on the form, including their own opening.
        self.assertIn(log.id, self._web_read({"access_log_ids": {}})[0]["access_log_ids"])
