from odoo import api, fields, models


class HrPerformanceGovernorReportLine(models.Model):
    """One published figure of a governors' report or equality monitoring: a count, or the
    fact that it is hidden (its value is then never stored)."""

    _name = "hr.performance.governor.report.line"
    _description = "Governors' Report Figure"
    _order = "report_id, table_sequence, row_sequence, col_sequence, id"

    report_id = fields.Many2one(
        "hr.performance.governor.report", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    report_type = fields.Selection(related="report_id.report_type", store=True, index=True)
    table_key = fields.Char(required=True)
    table_title = fields.Char(string="Section", required=True)
    table_sequence = fields.Integer()
    note = fields.Char()
    row_label = fields.Char(string="Row")
    col_label = fields.Char(string="Column")
    row_sequence = fields.Integer()
    col_sequence = fields.Integer()
    is_total = fields.Boolean()
    is_flag = fields.Boolean(string="Consistency Flag")
    not_recorded = fields.Boolean()
    suppressed = fields.Boolean(string="Hidden")
    value = fields.Integer()
    display_value = fields.Char(string="Figure", compute="_compute_display_value")

    @api.depends("value", "suppressed")
    def _compute_display_value(self):
        for line in self:
            line.display_value = "—" if line.suppressed else str(line.value)
