from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL


class HrPerformanceReview(models.Model):
    """A headteacher's own review, reviewed by a panel of governors: readable only by the
    headteacher, HR and the panel's chair (who holds an access grant), never by other
    headteachers or school staff. The global rules on the review and the records written
    about it use ``headteacher_review_readable``."""

    _inherit = "hr.performance.review"

    headteacher_panel_ids = fields.One2many(
        "hr.performance.headteacher.panel", "review_id", string="Governors' Panel"
    )
    is_headteacher_review = fields.Boolean(
        compute="_compute_is_headteacher_review",
        store=True,
        index=True,
        string="Headteacher's Review",
        help="Reviewed by a panel of governors: read only by the headteacher, HR and the "
        "chair of the panel.",
    )
    date_headteacher_review_due = fields.Date(
        string="Headteacher's Review Due",
        compute="_compute_date_headteacher_review_due",
        store=True,
        help="Set by the governors' panel (31 December in seeds 003 and 004): the deadline "
        "of the headteacher's review falls on it.",
    )
    headteacher_review_readable = fields.Boolean(
        compute="_compute_headteacher_review_readable",
        search="_search_headteacher_review_readable",
    )

    @api.depends(
        "reviewer_id.user_id", "headteacher_panel_ids.state", "headteacher_panel_ids.chair_user_id"
    )
    def _compute_reviewer_user_id(self):
        """The governors review the headteacher (seed 003 §4.1): while a panel is appointed,
        its chair is the review's reviewer — drafts, assesses and signs the statement, owes
        the reviewer's deadlines — through every rule that names the reviewer. A closed
        panel hands the review back to its reviewer, if any."""
        for review in self:
            # sudo: the panel's appointment decides who reviews, whoever reads the review.
            panel = review.sudo().headteacher_panel_ids.filtered(lambda p: p.state == "appointed")
            review.reviewer_user_id = panel[:1].chair_user_id or review.reviewer_id.user_id

    @api.depends("headteacher_panel_ids")
    def _compute_is_headteacher_review(self):
        for review in self:
            review.is_headteacher_review = bool(review.sudo().headteacher_panel_ids)

    @api.depends("headteacher_panel_ids.date_deadline", "headteacher_panel_ids.state")
    def _compute_date_headteacher_review_due(self):
        for review in self:
            review.date_headteacher_review_due = review._open_headteacher_panel().date_deadline

    def _open_headteacher_panel(self):
        """The panel reviewing the headteacher now (a review has one open panel)."""
        self.ensure_one()
        return self.headteacher_panel_ids.filtered(lambda p: p.state != "closed")[:1]

    @api.depends_context("uid")
    def _compute_headteacher_review_readable(self):
        readable = self.filtered_domain(self._headteacher_review_readable_domain())
        for review in self:
            review.headteacher_review_readable = review in readable

    def _search_headteacher_review_readable(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        domain = self._headteacher_review_readable_domain()
        positive = (operator == "in") == (True in value)
        return domain if positive else ~domain

    @api.model
    def _headteacher_review_readable_domain(self):
        """Who reads a review: anyone (the other rules decide) unless it is a headteacher's
        review, which only the headteacher, HR and holders of a running access grant (the
        panel's chair) read. No query of its own: the grants are a sub-select."""
        # Rules are evaluated as superuser: the uid stays the user's.
        if self._performance_user_groups()["hr"]:
            return Domain.TRUE
        # The current user's running grants, as a sub-select of the rule's query.
        grants = self._running_grants_query()
        return (
            Domain("is_headteacher_review", "=", False)
            | Domain("employee_user_id", "=", self.env.uid)
            | Domain("id", "in", grants.subselect(SQL.identifier(grants.table, "review_id")))
        )
