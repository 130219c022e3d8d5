from odoo import api, fields, models


class HrPerformanceDeadlineWaive(models.TransientModel):
    """Waive a deadline that does not apply, with the reason."""

    _name = "hr.performance.deadline.waive"
    _description = "Waive Deadline"

    deadline_id = fields.Many2one("hr.performance.deadline", required=True, readonly=True)
    date_due = fields.Date(related="deadline_id.date_due")
    reason = fields.Text(
        required=True,
        help="e.g. Not in the moderation sample; the reviewee agreed to shorter notice.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # The related due date is read as superuser: never show it for a deadline the user
        # may not read (e.g. a guessed id from another school).
        wizards.deadline_id.check_access("read")
        return wizards

    def action_confirm(self):
        self.ensure_one()
        self.deadline_id._waive(self.reason)
        return {"type": "ir.actions.act_window_close"}
