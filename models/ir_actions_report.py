from odoo import api, models


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
