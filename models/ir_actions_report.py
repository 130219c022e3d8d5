from collections import OrderedDict

import lxml.html
from lxml import etree

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _wkhtml

# A div whose class list holds ``{}`` (the test Odoo's _prepare_html makes).
_CLASS_XPATH = "//div[contains(concat(' ', normalize-space(@class), ' '), ' {} ')]"
# Top and bottom margins (mm) of a page whose letterhead is in the body (no header or
# footer band to leave room for).
_BODY_LETTERHEAD_MARGINS = {"data-report-margin-top": 12, "data-report-margin-bottom": 12}


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    # Printing a confidential performance record is logged like opening it. The PDF renders
    # its HTML first; the log keeps one entry per record and transaction.

    def _log_performance_print(self, report_ref, res_ids):
        if not res_ids or self.env.su:
            return
        report = self._get_report(report_ref)
        records = self.env[report.model].browse(res_ids)
        if getattr(records, "_performance_confidential", False):
            records._log_performance_access("print")

    def _check_performance_print_access(self, report_ref, res_ids):
        """Only who can read a confidential record prints it, whatever its template reads
        (some read as superuser, e.g. the meeting of an invitation memo)."""
        if not res_ids or self.env.su:
            return
        report = self._get_report(report_ref)
        records = self.env[report.model].browse(res_ids)
        if getattr(records, "_performance_confidential", False):
            records.check_access("read")

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        # A stored copy (a signed statement) is returned without rendering its HTML: check
        # the reader first.
        self._check_performance_print_access(
            report_ref, [res_ids] if isinstance(res_ids, int) else res_ids
        )
        result = super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        self._log_performance_print(report_ref, [res_ids] if isinstance(res_ids, int) else res_ids)
        return result

    # The school's letterhead with any wkhtmltopdf build. Odoo hands a report's header and
    # footer to wkhtmltopdf as separate pages (--header-html, --footer-html), which only a
    # build on its patched Qt draws; Debian's (unpatched Qt) drops them and refuses several
    # documents in one run. For this addon's forms on such a build, the letterhead is put at
    # the top of each document's body and the documents are rendered as one body, page
    # breaks between them: the same letterhead, one wkhtmltopdf run for a batch.

    def _performance_letterhead_in_body(self):
        return (
            len(self) == 1
            and (self.report_name or "").startswith("hr_school_performance.")
            and not _wkhtml().is_patched_qt
        )

    def _prepare_html(self, html, report_model=False):
        if not self._performance_letterhead_in_body():
            return super()._prepare_html(html, report_model=report_model)
        bodies, html_ids, header, footer, paperformat_args = super()._prepare_html(
            self._letterhead_into_articles(html), report_model=report_model
        )
        if len(bodies) > 1:
            bodies = [self._merge_report_bodies(bodies)]
        for name, value in _BODY_LETTERHEAD_MARGINS.items():
            paperformat_args.setdefault(name, value)
        return bodies, html_ids, header, footer, paperformat_args

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        report = self._get_report(report_ref)
        if (
            res_ids
            and len(res_ids) == len(set(res_ids)) > 1
            and report._performance_letterhead_in_body()
            and report.attachment
            and not self.env.context.get("report_pdf_no_attachment")
        ):
            # Such a build draws no outline to split one run's PDF by record: documents
            # kept as their own attachment (a signed statement's frozen copy) are rendered
            # one by one, as Odoo does when the outlines do not match.
            streams = OrderedDict()
            for res_id in res_ids:
                streams.update(
                    super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=[res_id])
                )
            return streams
        return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)

    @api.model
    def _letterhead_into_articles(self, html):
        """Move each document's header (the company's letterhead) to the top of the
        document's own article, where every wkhtmltopdf build draws it."""
        root = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
        for header in root.xpath(_CLASS_XPATH.format("header")):
            article = header.getnext()
            while article is not None and "article" not in (article.get("class") or "").split():
                article = article.getnext()
            if article is None:
                continue
            classes = [c for c in header.get("class", "").split() if c != "header"]
            header.set("class", " ".join([*classes, "o_hsp_letterhead", "mb-4"]))
            header.getparent().remove(header)
            article.insert(0, header)
        return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")

    @api.model
    def _merge_report_bodies(self, bodies):
        """One HTML page holding every document's article, each on a new page."""
        first = lxml.html.fromstring(bodies[0])
        (page,) = first.xpath("//body")
        for body in bodies[1:]:
            for article in lxml.html.fromstring(body).xpath(_CLASS_XPATH.format("article")):
                page.append(etree.Element("div", style="page-break-before: always;"))
                page.append(article)
        return lxml.html.tostring(first, encoding="unicode", doctype="<!DOCTYPE html>")

    @api.model
    def _render_qweb_html(self, report_ref, docids, data=None):
        self._check_performance_print_access(report_ref, docids)
        result = super()._render_qweb_html(report_ref, docids, data=data)
        self._log_performance_print(report_ref, docids)
        return result

    @api.model
    def _render_qweb_text(self, report_ref, docids, data=None):
        self._check_performance_print_access(report_ref, docids)
        result = super()._render_qweb_text(report_ref, docids, data=data)
        self._log_performance_print(report_ref, docids)
        return result
