from odoo import api, fields, models


class HrPerformanceModerationRevise(models.TransientModel):
    """The headteacher instructs a revised statement and says why."""

    _name = "hr.performance.moderation.revise"
    _description = "Instruct a Revised Statement"

    review_id = fields.Many2one("hr.performance.review", required=True, readonly=True)
    reason = fields.Text(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # Only whoever may moderate the review opens the wizard on it.
        wizards.review_id.check_access("write")
        wizards.review_id._check_can_moderate()
        return wizards

    def action_confirm(self):
        self.ensure_one()
        self.review_id.action_moderation_revise(self.reason)
        return {"type": "ir.actions.act_window_close"}
