from odoo import api, fields, models


class HrPerformanceStatementException(models.TransientModel):
    """The headteacher lets a review move on to monitoring before its statement is signed
    by both, and records why (a long absence, a statement held up by a disagreement)."""

    _name = "hr.performance.statement.exception"
    _description = "Monitoring without a Signed Statement"

    review_id = fields.Many2one("hr.performance.review", required=True, readonly=True)
    reason = fields.Text(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # Only the headteacher of the review's school opens the wizard on it.
        wizards.review_id.check_access("write")
        wizards.review_id._check_roles({"headteacher"})
        return wizards

    def action_confirm(self):
        self.ensure_one()
        self.review_id.action_record_statement_exception(self.reason)
        return {"type": "ir.actions.act_window_close"}
