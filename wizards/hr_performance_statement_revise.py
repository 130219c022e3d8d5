from odoo import api, fields, models

from ..models.hr_performance_review_statement import STATEMENT_REVISION_ROLES


class HrPerformanceStatementRevise(models.TransientModel):
    """Request a revision of a signed statement, with its reason. Thin: the review's one
    entry point (``_request_statement_revision``) checks the role and the reason, and
    opens the new version."""

    _name = "hr.performance.statement.revise"
    _description = "Request a Revision of a Performance Statement"

    review_id = fields.Many2one("hr.performance.review", required=True, readonly=True)
    statement_id = fields.Many2one(
        "hr.performance.statement", related="review_id.statement_id", string="Signed Statement"
    )
    reason = fields.Text(
        required=True,
        help="Why the signed statement changes (e.g. a revision meeting moved an objective). "
        "It is recorded on the new version and in the chatter.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # Only whoever may revise the review's statement opens the wizard on it.
        wizards.review_id.check_access("read")
        wizards.review_id._check_roles(STATEMENT_REVISION_ROLES)
        return wizards

    def action_confirm(self):
        self.ensure_one()
        revision = self.review_id._request_statement_revision(self.reason)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Statement"),
            "res_model": "hr.performance.statement",
            "view_mode": "form",
            "res_id": revision.id,
        }
