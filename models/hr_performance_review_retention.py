from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .hr_performance_retention_mixin import is_disposing
from .hr_performance_review import _applying_reviewer_changes


class HrPerformanceReview(models.Model):
    """Retention of a review: its disposal date, the deletion guard, and what anonymising it
    keeps (the cycle, school, job group, dates, states and outcome the governors' report
    counts) and removes (the reviewee, the reviewer, every word, pay levels)."""

    _name = "hr.performance.review"
    _inherit = ["hr.performance.review", "hr.performance.retention.mixin"]

    _hsp_retention_review_field = False
    _hsp_retention_sequence = 90

    # An anonymised review is about nobody: the reviewee is required until then (checked
    # below, and by the form).
    employee_id = fields.Many2one(required=False)
    retention_disposal_date = fields.Date(
        string="Disposal Date",
        compute="_compute_retention_disposal_date",
        store=True,
        index=True,
        help="The end of the cycle plus the school's retention period: on this day the "
        "review and everything written about it are anonymised or deleted, unless a legal "
        "hold names them.",
    )

    @api.depends("cycle_id.date_end", "company_id.performance_retention_years")
    def _compute_retention_disposal_date(self):
        for review in self:
            end = review.cycle_id.date_end
            years = review.company_id.performance_retention_years
            review.retention_disposal_date = end + relativedelta(years=years) if end else False

    @api.constrains("employee_id", "retention_anonymised")
    def _check_employee_until_anonymised(self):
        for review in self:
            if not review.employee_id and not review.retention_anonymised:
                raise ValidationError(self.env._("A review must name its reviewee."))

    # ------------------------------------------------------------------
    # Deletion guard
    # ------------------------------------------------------------------
    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        # Only the disposal engine deletes a review under way or kept for its retention.
        if is_disposing(self):
            return None
        return super()._unlink_except_started()

    def _hsp_retention_is_retained(self):
        """A review is kept from the moment anything is recorded on it, once cancelled (the
        record of a decision) and once its cycle has ended: only an empty review created by
        mistake in an open cycle may be deleted, by anyone."""
        today = fields.Date.context_today(self)
        return self.filtered(
            lambda review: (
                review.state != "planning"
                or review.retention_anonymised
                or review.cycle_id.date_end < today
                or review._has_content()
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_retained(self):
        if is_disposing(self):
            return
        retained = self._hsp_retention_is_retained()
        if retained:
            raise UserError(
                self.env._(
                    "%(review)s is kept for the school's retention period (at least six years "
                    "after the cycle ends) and then disposed of automatically: it cannot be "
                    "deleted, cancel it instead. A system administrator can delete it early "
                    "with a recorded reason.",
                    review=retained[0].sudo().display_name,
                )
            )

    def _has_content(self):
        if super()._has_content():
            return True
        # sudo: counted, never read.
        review = self.sudo()
        if (
            review.outcome_level_id
            or review.pay_criteria_met
            or review.disagreement
            or review.current_pay_level
            or review.recommended_pay_level
        ):
            return True
        people = (
            self.env["mail.message"]
            .sudo()
            .search_count(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("message_type", "in", ("comment", "email")),
                ],
                limit=1,
            )
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search_count([("res_model", "=", self._name), ("res_id", "=", self.id)], limit=1)
        )
        return bool(people or attachments)

    # ------------------------------------------------------------------
    # Retention hooks
    # ------------------------------------------------------------------
    @api.model
    def _hsp_retention_kind(self):
        return self.env._("Performance review")

    def _hsp_retention_employees(self):
        return {review.id: review.sudo().employee_id for review in self}

    def _hsp_retention_anonymise(self):
        # Removing the reviewer is no reviewer change: nobody reviews an anonymised review.
        with _applying_reviewer_changes((review.id, False) for review in self):
            return super()._hsp_retention_anonymise()

    def _hsp_retention_anonymise_values(self):
        vals = super()._hsp_retention_anonymise_values()
        vals.update(
            employee_id=False,
            reviewer_id=False,
            meeting_location=False,
            current_pay_level=False,
            recommended_pay_level=False,
        )
        return vals
