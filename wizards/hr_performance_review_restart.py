from odoo import api, fields, models


class HrPerformanceReviewRestart(models.TransientModel):
    """The headteacher restarts performance management after the capability procedure,
    from a date."""

    _name = "hr.performance.review.restart"
    _description = "Restart Performance Management"

    review_id = fields.Many2one("hr.performance.review", required=True, readonly=True)
    date_restart = fields.Date(
        string="Restart On", required=True, default=fields.Date.context_today
    )
    note = fields.Text(help="e.g. The capability procedure ended: the standard is met.")

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.review_id.check_access("read")
        return wizards

    def action_confirm(self):
        self.ensure_one()
        self.review_id._restart_performance_management(self.date_restart, self.note or "")
        return {"type": "ir.actions.act_window_close"}
