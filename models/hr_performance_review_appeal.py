from odoo import api, fields, models
from odoo.tools import format_date

# What the moderation of a statement depends on, as written on the review whose outcome the
# statement records (or, for a statement recorded before statements existed, on its own).
OUTCOME_TRIGGERS = frozenset(
    ("state", "moderation_decision", "moderation_selected", "moderation_sampled", "outcome_final")
)


class HrPerformanceReview(models.Model):
    """Appeals against a review's final statement, seen from the review: the reviewee and
    HR open the appeals themselves (record rules); the reviewer reads only that an appeal
    exists and its outcome (``appeal_summary``)."""

    _inherit = "hr.performance.review"

    appeal_ids = fields.One2many("hr.performance.appeal", "review_id", string="Appeals")
    statement_final = fields.Boolean(
        compute="_compute_statement_final",
        store=True,
        help="The review's statement is signed and its moderation complete: a formal appeal "
        "against it may be heard. The statement records the previous review's outcome, so "
        "that outcome's moderation decides; a statement that assesses no earlier cycle has "
        "nothing to moderate. A statement recorded only as a date on the review (before "
        "statements existed) follows the review's own outcome.",
    )
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

    @api.depends(
        "statement_id.state",
        "statement_id.previous_review_id.outcome_final",
        "outcome_final",
    )
    def _compute_statement_final(self):
        for review in self:
            statement = review.statement_id
            if statement:
                review.statement_final = statement.state == "signed" and (
                    not statement.previous_review_id or statement.previous_review_id.outcome_final
                )
            else:
                review.statement_final = review.outcome_final

    def write(self, vals):
        result = super().write(vals)
        if OUTCOME_TRIGGERS & set(vals):
            self._route_final_appeals()
        return result

    def _route_final_appeals(self):
        """A formal appeal waits for the moderation of the statement to complete
        (``statement_final``); route those whose statement is final now, on ``self`` and on
        the reviews whose statements record the outcomes of ``self``."""
        # sudo: routing follows the moderation, whoever completed it.
        reviews = self | self.sudo().outcome_statement_id.review_id
        waiting = (
            self.env["hr.performance.appeal"]
            .sudo()
            .search([("review_id", "in", reviews.ids), ("state", "=", "waiting")])
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
