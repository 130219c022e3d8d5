import base64
import io
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.hr_performance_training_need import audit_period

# Columns of the audit, in the order of the CPD form: who, what, how, when, cost, outcome.
AUDIT_FIELDS = (
    "company_id",
    "employee_id",
    "job_title",
    "name",
    "need_type",
    "action",
    "user_id",
    "date_identified",
    "date_planned",
    "cost",
    "currency_id",
    "state",
    "date_done",
    "impact",
    "support_not_provided",
)


class HrPerformanceTrainingAudit(models.TransientModel):
    """Export the training and development needs of one or more schools for the October
    training audit, as an XLSX workbook."""

    _name = "hr.performance.training.audit"
    _description = "Training Audit Export"

    date_from = fields.Date(
        string="From", required=True, default=lambda self: self._default_period()[0]
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: self._default_period()[1]
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Schools",
        required=True,
        default=lambda self: self.env.companies,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    include_done = fields.Boolean(string="Include Needs Already Met", default=True)
    include_cancelled = fields.Boolean(string="Include Cancelled Needs")
    need_count = fields.Integer(readonly=True)
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.model
    def _default_period(self):
        return audit_period(fields.Date.context_today(self))

    def _need_domain(self):
        self.ensure_one()
        states = ["identified", "planned"]
        if self.include_done:
            states.append("done")
        if self.include_cancelled:
            states.append("cancelled")
        return [
            ("company_id", "in", self.company_ids.ids),
            ("date_identified", ">=", self.date_from),
            ("date_identified", "<=", self.date_to),
            ("state", "in", states),
        ]

    def _build_workbook(self, needs):
        """The needs, one row each, with the columns of AUDIT_FIELDS."""
        import xlsxwriter

        # The values are read with the user's rights and formatted as Odoo's export does
        # (labels, names); the generic export right is not required for this report.
        rows = needs.with_context(import_compat=False)._export_rows([[f] for f in AUDIT_FIELDS])
        headers = [
            needs._fields[fname].get_description(self.env)["string"] for fname in AUDIT_FIELDS
        ]
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Training Audit"))
        bold = workbook.add_format({"bold": True, "bg_color": "#e9ecef", "text_wrap": True})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
        money = workbook.add_format({"num_format": "#,##0.00", "valign": "top"})
        for column, header in enumerate(headers):
            sheet.write(0, column, header, bold)
        for row_index, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write_datetime(row_index, column, value, date_format)
                elif isinstance(value, float):
                    sheet.write_number(row_index, column, value, money)
                elif isinstance(value, bool):
                    sheet.write_boolean(row_index, column, value, wrap)
                else:
                    sheet.write(row_index, column, value, wrap)
        sheet.set_column(0, len(headers) - 1, 22)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
        workbook.close()
        return output.getvalue()

    def action_export(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The audit period must end after it starts."))
        needs = self.env["hr.performance.training.need"].search(
            self._need_domain(), order="company_id, employee_id, date_identified, id"
        )
        if not needs:
            raise UserError(
                self.env._(
                    "No training need was identified between %(start)s and %(end)s in the "
                    "chosen schools.",
                    start=self.date_from,
                    end=self.date_to,
                )
            )
        content = self._build_workbook(needs)
        self.write(
            {
                "file_data": base64.b64encode(content),
                "file_name": self.env._(
                    "Training audit %(start)s to %(end)s.xlsx",
                    start=self.date_from,
                    end=self.date_to,
                ),
                "need_count": len(needs),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file_data/{self.file_name}?download=true",
            "target": "self",
        }
