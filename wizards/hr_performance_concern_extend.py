from odoo import api, fields, models


class HrPerformanceConcernExtend(models.TransientModel):
    """Extend a support period's monitoring, with the reason, within the policy's limit."""

    _name = "hr.performance.concern.extend"
    _description = "Extend a Monitoring Period"

    concern_id = fields.Many2one("hr.performance.concern", required=True, readonly=True)
    date_review = fields.Date(string="Review Progress On", required=True)
    reason = fields.Text(
        required=True, help="e.g. Significant improvement; significant absence in the period."
    )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.concern_id.check_access("read")
        return wizards

    def action_confirm(self):
        self.ensure_one()
        self.concern_id.action_extend(self.date_review, self.reason)
        return {"type": "ir.actions.act_window_close"}
