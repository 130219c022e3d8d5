from odoo import api, fields, models
from odoo.exceptions import AccessError


class HrPerformanceDeleteEarly(models.TransientModel):
    """A system administrator deletes performance records before the end of their
    retention period, with the reason the disposal log keeps. Thin: the disposal log's
    ``action_delete_early`` checks the right, the reason and the legal holds."""

    _name = "hr.performance.delete.early"
    _description = "Delete Performance Records before Their Retention Ends"

    res_model = fields.Char(string="Records Of", required=True, readonly=True)
    res_ids = fields.Json(required=True, readonly=True)
    record_count = fields.Integer(string="Records", compute="_compute_record_count")
    reason = fields.Text(
        required=True,
        help="Why these records are deleted before their retention period ends (e.g. created "
        "by mistake, a court order). Kept in the disposal log; the content is not.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") and context.get("active_ids"):
            values.setdefault("res_model", context["active_model"])
            values.setdefault("res_ids", list(context["active_ids"]))
        return values

    @api.depends("res_ids")
    def _compute_record_count(self):
        for wizard in self:
            wizard.record_count = len(wizard.res_ids or [])

    @api.model_create_multi
    def create(self, vals_list):
        # Refused before anything is shown to whoever may not delete early (the access
        # rights already keep the model to administrators; this says why).
        if not self.env.user._is_system():
            raise AccessError(
                self.env._(
                    "Only a system administrator can delete performance records before the "
                    "end of their retention period."
                )
            )
        return super().create(vals_list)

    def action_confirm(self):
        self.ensure_one()
        self.env["hr.performance.disposal.log"].action_delete_early(
            self.res_model, self.res_ids, self.reason
        )
        return {"type": "ir.actions.act_window_close"}
