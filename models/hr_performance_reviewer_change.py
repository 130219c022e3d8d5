from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .hr_performance_review import OPEN_STATES, _applying_reviewer_changes


class HrPerformanceReviewerChange(models.Model):
    """The record of a reviewer being replaced during a cycle. Creating it is the only way to
    replace the reviewer of a review: it checks who may, records why and applies the change."""

    _name = "hr.performance.reviewer.change"
    _description = "Reviewer Change"
    _order = "create_date desc, id desc"

    review_id = fields.Many2one(
        "hr.performance.review", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    old_reviewer_id = fields.Many2one("hr.employee", string="Previous Reviewer", readonly=True)
    new_reviewer_id = fields.Many2one("hr.employee", required=True, readonly=True)
    reason = fields.Text(required=True, readonly=True)
    changed_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    create_date = fields.Datetime(string="Changed On", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        reviews = self.env["hr.performance.review"].browse(
            [vals.get("review_id") for vals in vals_list]
        )
        # Rights first: the headteacher or HR of the review, never on their own review.
        reviews.check_access("write")
        reviews._check_can_assign_reviewer()
        for vals, review in zip(vals_list, reviews, strict=True):
            new_reviewer = self.env["hr.employee"].browse(vals.get("new_reviewer_id"))
            self._check_change(review, new_reviewer, vals.get("reason"))
            # The previous reviewer is the review's, whatever the caller sent.
            vals["old_reviewer_id"] = review.reviewer_id.id
            vals["changed_by_id"] = self.env.uid
        changes = super().create(vals_list)
        for change in changes:
            review = change.review_id
            with _applying_reviewer_changes({(review.id, change.new_reviewer_id.id)}):
                review.write({"reviewer_id": change.new_reviewer_id.id})
        # The replaced reviewers lose access: they no longer follow the reviews either.
        changes.review_id._unsubscribe_followers_without_access()
        return changes

    @api.model
    def _check_change(self, review, new_reviewer, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for changing the reviewer."))
        if review.state not in OPEN_STATES:
            raise UserError(
                self.env._(
                    "The reviewer of %(review)s cannot change: the review is closed.",
                    review=review.display_name,
                )
            )
        if new_reviewer == review.employee_id:
            raise ValidationError(
                self.env._(
                    "%(employee)s cannot review themselves: choose another reviewer.",
                    employee=review.employee_id.name,
                )
            )
        if new_reviewer == review.reviewer_id:
            raise UserError(
                self.env._(
                    "%(reviewer)s already reviews %(review)s.",
                    reviewer=new_reviewer.name,
                    review=review.display_name,
                )
            )
