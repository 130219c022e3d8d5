from odoo import api, fields, models
from odoo.tools import format_date

# What the moderation's final outcome depends on, as written on the review.
OUTCOME_TRIGGERS = frozenset(
    ("state", "moderation_decision", "moderation_selected", "moderation_sampled", "outcome_final")
)


class HrPerformanceReview(models.Model):
    """Appeals against a review's final statement, seen from the review: the reviewee and
    HR open the appeals themselves (record rules); the reviewer reads only that an appeal
    exists and its outcome (``appeal_summary``)."""

    _inherit = "hr.performance.review"

    appeal_ids = fields.One2many("hr.performance.appeal", "review_id", string="Appeals")
    appeal_summary = fields.Char(
        string="Appeal",
        compute="_compute_appeal_summary",
        help="Whether the statement is under appeal, and the outcome: all the reviewer is "
        "told of an appeal.",
    )

    @api.depends_context("uid", "lang")
    @api.depends("appeal_ids.state", "appeal_ids.outcome")
    def _compute_appeal_summary(self):
        # sudo: the existence and outcome of appeals is what the reviewer is owed; the
        # content of the appeal stays behind its record rules.
        appeals = (
            self.env["hr.performance.appeal"]
            .sudo()
            .search([("review_id", "in", self.ids)], order="date_lodged desc, id desc")
        )
        states = dict(appeals._fields["state"]._description_selection(self.env))
        by_review = appeals.grouped("review_id")
        for review in self:
            appeal = by_review.get(review.sudo(), appeals.browse())[:1]
            if not appeal:
                review.appeal_summary = False
                continue
            if appeal.state == "decided":
                review.appeal_summary = self.env._(
                    "Appeal lodged on %(date)s: %(outcome)s.",
                    date=format_date(self.env, appeal.date_lodged),
                    outcome=appeal._outcome_label(),
                )
            else:
                review.appeal_summary = self.env._(
                    "Appeal lodged on %(date)s: %(state)s.",
                    date=format_date(self.env, appeal.date_lodged),
                    state=states[appeal.state],
                )

    def write(self, vals):
        result = super().write(vals)
        if OUTCOME_TRIGGERS & set(vals):
            self._route_final_appeals()
        return result

    def _route_final_appeals(self):
        """A formal appeal waits for the moderation to complete (``outcome_final``, computed
        by the moderation); route those of ``self`` whose outcome is final now."""
        # sudo: routing follows the moderation, whoever completed it.
        waiting = (
            self.env["hr.performance.appeal"]
            .sudo()
            .search([("review_id", "in", self.ids), ("state", "=", "waiting")])
        )
        if waiting:
            waiting._route_waiting()

    def action_view_appeals(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Appeals"),
            "res_model": "hr.performance.appeal",
            "view_mode": "list,form",
            "domain": [("review_id", "=", self.id)],
            "context": {"default_review_id": self.id},
        }


class HrPerformanceModeration(models.Model):
    """Completing (or choosing not to do) the moderation of a cycle makes its outcomes final:
    the appeals waiting for it go on."""

    _inherit = "hr.performance.moderation"

    @api.model_create_multi
    def create(self, vals_list):
        moderations = super().create(vals_list)
        moderations.cycle_id.review_ids._route_final_appeals()
        return moderations

    def write(self, vals):
        result = super().write(vals)
        self.cycle_id.review_ids._route_final_appeals()
        return result
