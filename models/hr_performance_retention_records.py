"""Retention of the records written about a review (``hr.performance.retention.mixin``):
each declares what anonymising it keeps, or that it is always deleted."""

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain

from .hr_performance_deadline import _DROPPING
from .hr_performance_retention_mixin import is_disposing


class HrPerformanceObjective(models.Model):
    _name = "hr.performance.objective"
    _inherit = ["hr.performance.objective", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 40

    @api.ondelete(at_uninstall=False)
    def _unlink_except_agreed(self):
        if is_disposing(self):
            return None
        return super()._unlink_except_agreed()

    def _hsp_retention_anonymise(self):
        # A determined objective must keep a recorded disagreement (its constraint): those
        # are anonymised apart, keeping the mark that there was one.
        determined = self.filtered(lambda objective: objective.agreement == "determined")
        if determined and determined != self:
            super(HrPerformanceObjective, self - determined)._hsp_retention_anonymise()
            return super(HrPerformanceObjective, determined)._hsp_retention_anonymise()
        return super()._hsp_retention_anonymise()

    def _hsp_retention_anonymise_values(self):
        # The assessment level is kept (a figure); the wording goes.
        vals = super()._hsp_retention_anonymise_values()
        vals.update(name="—", operational_objective=False)
        if self and all(objective.agreement == "determined" for objective in self):
            vals["disagreement_note"] = "—"
        return vals


class HrPerformanceObservation(models.Model):
    _name = "hr.performance.observation"
    _inherit = ["hr.performance.observation", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 40

    def _hsp_retention_anonymise_values(self):
        # Hours and dates are kept (observation time against the cap).
        vals = super()._hsp_retention_anonymise_values()
        vals.update(timing=False, year_group=False, subject=False)
        return vals


class HrPerformanceTrainingNeed(models.Model):
    _name = "hr.performance.training.need"
    _inherit = ["hr.performance.training.need", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 40

    retention_disposal_date = fields.Date(
        string="Disposal Date",
        compute="_compute_retention_disposal_date",
        store=True,
        index=True,
        help="A need recorded at a review goes with the review. One recorded outside any "
        "review (a request during the year) is kept for the school's retention period from "
        "the end of the school year (31 August) in which it was done or cancelled; an open "
        "need is kept.",
    )

    @api.depends(
        "review_id.retention_disposal_date",
        "state",
        "date_done",
        "date_identified",
        "company_id.performance_retention_years",
    )
    def _compute_retention_disposal_date(self):
        for need in self:
            if need.review_id:
                need.retention_disposal_date = need.review_id.retention_disposal_date
            elif need.state in ("done", "cancelled"):
                end = need._hsp_retention_cycle_end()
                years = need.company_id.performance_retention_years
                need.retention_disposal_date = end + relativedelta(years=years)
            else:
                need.retention_disposal_date = False

    @api.model
    def _hsp_retention_due_domain(self, today):
        return Domain("retention_disposal_date", "<=", today) & Domain(
            "retention_anonymised", "=", False
        )

    def _hsp_retention_cycle_end(self):
        self.ensure_one()
        need = self.sudo()
        if need.review_id:
            return super()._hsp_retention_cycle_end()
        # No cycle: the end of the school year in which the need was closed.
        closed = need.date_done or need.date_identified
        return date(closed.year if closed.month <= 8 else closed.year + 1, 8, 31)

    def _hsp_retention_employees(self):
        return {need.id: need.sudo().employee_id for need in self}

    def _hsp_retention_company(self):
        self.ensure_one()
        return self.sudo().company_id

    def _hsp_retention_anonymise_values(self):
        # Type, status, dates, cost and "support not provided" are kept (CPD figures).
        vals = super()._hsp_retention_anonymise_values()
        vals.update(name="—", user_id=False)
        return vals


class HrPerformanceDeadline(models.Model):
    _name = "hr.performance.deadline"
    _inherit = ["hr.performance.deadline", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 30

    def _hsp_retention_is_retained(self):
        # The rows of an open review are the deadline engine's to move and drop, as are
        # those it drops because they no longer apply.
        dropping = _DROPPING.get()
        return self.filtered(
            lambda deadline: (
                deadline.id not in dropping
                and deadline.sudo().review_id.state in ("completed", "cancelled")
            )
        )

    def _hsp_retention_anonymise_values(self):
        # Due and done dates are kept (deadline compliance); who acted goes.
        vals = super()._hsp_retention_anonymise_values()
        vals.update(responsible_user_id=False, escalation_user_id=False)
        return vals


class HrPerformanceAccessGrant(models.Model):
    _name = "hr.performance.access.grant"
    _inherit = ["hr.performance.access.grant", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 10
    _hsp_retention_keeps_figures = False

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if is_disposing(self):
            return None
        return super()._unlink_never()


class HrPerformanceAccessLog(models.Model):
    _name = "hr.performance.access.log"
    _inherit = ["hr.performance.access.log", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 10
    _hsp_retention_keeps_figures = False


class HrPerformanceReviewerChange(models.Model):
    _name = "hr.performance.reviewer.change"
    _inherit = ["hr.performance.reviewer.change", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 10
    _hsp_retention_keeps_figures = False


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "hr.performance.retention.mixin"]
    _hsp_retention_review_field = "performance_review_id"
    _hsp_retention_sequence = 20
    _hsp_retention_keeps_figures = False

    @api.model
    def _hsp_retention_kind(self):
        return self.env._("Performance meeting")
