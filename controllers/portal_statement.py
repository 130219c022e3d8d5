"""The statement on the performance portal: the member of staff reads the statement their
reviewer sent, comments on it or asks for changes while it is with them, signs it once it
is final (Odoo's portal signature widget, the same signature record the back office
writes) and downloads the signed copy.

Every route checks access first (``_performance_record``): the portal record rule gives a
member of staff their own statements once sent, never a draft, and never anyone else's,
so any other id answers 404.
"""

import re

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import content_disposition, request

from .portal import PerformancePortal

STATEMENT_REPORT = "hr_school_performance.hr_performance_statement_report"


class PerformanceStatementPortal(PerformancePortal):
    def _statement_url(self, statement, **query):
        url = f"/my/performance/statement/{statement.id}"
        if query:
            key, text = next(iter(query.items()))
            url = f"{url}?{self._performance_query(key, text)}"
        return url

    @http.route(
        "/my/performance/statement/<int:statement_id>",
        type="http",
        auth="user",
        website=True,
        readonly=False,
    )
    def portal_performance_statement(self, statement_id, message=None, error=None, **kw):
        statement = self._performance_record("hr.performance.statement", statement_id)
        values = self._prepare_portal_layout_values()
        # sudo: the statement's content names the reviewer and the school, which a portal
        # user may not read directly; access to this statement was checked above.
        preview = statement.sudo().content_preview
        values.update(
            {
                "page_name": "performance_statement",
                "statement": statement,
                "review": statement.review_id,
                "preview": preview,
                "writable": self._performance_writable(statement),
                "signatures": statement.signature_ids,
                "message": message,
                "error": error,
            }
        )
        return request.render("hr_school_performance.portal_performance_statement", values)

    @http.route(
        "/my/performance/statement/<int:statement_id>/comment",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_performance_statement_comment(
        self, statement_id, reviewee_comments=None, change_requested=None, **post
    ):
        """Save the comments (and the request for changes) and, with ``return_comments``,
        return them to the reviewer: the rights engine allows both only while sent."""
        statement = self._performance_record("hr.performance.statement", statement_id)
        vals = {"change_requested": bool(change_requested)}
        if reviewee_comments is not None:
            vals["reviewee_comments"] = reviewee_comments
        try:
            with request.env.cr.savepoint():
                statement.write(vals)
                if post.get("return_comments"):
                    statement.action_return_comments()
        except (AccessError, UserError, ValidationError) as error:
            return request.redirect(self._statement_url(statement, error=str(error)))
        message = (
            request.env._("Your comments were returned to your reviewer.")
            if post.get("return_comments")
            else request.env._("Saved.")
        )
        return request.redirect(self._statement_url(statement, message=message))

    @http.route(
        "/my/performance/statement/<int:statement_id>/sign",
        type="jsonrpc",
        auth="user",
        website=True,
    )
    def portal_performance_statement_sign(self, statement_id, name=None, signature=None):
        """The portal signature widget's call: the reviewee signs their own part through
        the one signature writer, which refuses a statement not final or signed twice."""
        try:
            statement = self._performance_record("hr.performance.statement", statement_id)
        except NotFound:
            return {"error": request.env._("This statement is not available to you.")}
        try:
            with request.env.cr.savepoint():
                statement._record_signature(
                    role="reviewee", signed_name=name, signature=signature, route="portal"
                )
        except (AccessError, UserError, ValidationError) as error:
            return {"error": str(error)}
        return {
            "force_refresh": True,
            "redirect_url": self._statement_url(
                statement, message=request.env._("Thank you: you signed the statement.")
            ),
        }

    @http.route(
        "/my/performance/statement/<int:statement_id>/signed.pdf",
        type="http",
        auth="user",
        website=True,
        readonly=False,
    )
    def portal_performance_statement_download(self, statement_id, **kw):
        """The stored signed original, byte for byte (rendered and stored if the scheduled
        rendering has not reached it yet)."""
        statement = self._performance_record("hr.performance.statement", statement_id)
        if statement.state != "signed":
            raise NotFound()
        # sudo: the stored original of a statement the caller was checked to read.
        attachment = statement.sudo().pdf_attachment_id
        if not attachment:
            return self._performance_pdf(statement, STATEMENT_REPORT)
        filename = re.sub(r"[^\w.-]+", "_", attachment.name or "statement.pdf")
        pdf = attachment.raw
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
