"""Retention of the records of the statement, moderation and pay, appeals, concerns,
warnings, behaviours and headteachers' panels (``hr.performance.retention.mixin``): each
follows its review's disposal date and legal holds, like the records written about it."""

from odoo import api, fields, models

from .hr_performance_retention_mixin import is_disposing


class HrPerformanceSignature(models.Model):
    """A signature seals a statement's hash chain: it cannot be anonymised without breaking
    the chain, so it is deleted with its statement at the end of the retention period."""

    _name = "hr.performance.signature"
    _inherit = ["hr.performance.signature", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 15
    _hsp_retention_keeps_figures = False

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if is_disposing(self):
            return None
        return super()._unlink_never()


class HrPerformanceStatement(models.Model):
    """The signed statement and its stored PDF are the personal record itself: deleted,
    never kept half-anonymised."""

    _name = "hr.performance.statement"
    _inherit = ["hr.performance.statement", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 20
    _hsp_retention_keeps_figures = False

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if is_disposing(self):
            return None
        return super()._unlink_except_sent()


class HrPerformancePayDecision(models.Model):
    """Awarded or not, the points and dates are kept for the reports; the reason goes."""

    _name = "hr.performance.pay.decision"
    _inherit = ["hr.performance.pay.decision", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 30


class HrPerformanceAppeal(models.Model):
    """The route, dates and outcome are kept (the governors' report counts appeals); the
    grounds, entries, notes and representative go."""

    _name = "hr.performance.appeal"
    _inherit = ["hr.performance.appeal", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 30

    def _hsp_retention_anonymise_values(self):
        vals = super()._hsp_retention_anonymise_values()
        if "representative" in self._fields:
            vals["representative"] = False
        return vals


class HrPerformanceConcern(models.Model):
    _name = "hr.performance.concern"
    _inherit = ["hr.performance.concern", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 30


class HrPerformanceConcernTarget(models.Model):
    """The targets of a support period follow their concern's review."""

    _name = "hr.performance.concern.target"
    _inherit = ["hr.performance.concern.target", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 25

    review_id = fields.Many2one(
        related="concern_id.review_id", store=True, index=True, string="Review"
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_check_concern(self):
        if is_disposing(self):
            return None
        return super()._unlink_check_concern()


class HrPerformanceWarning(models.Model):
    _name = "hr.performance.warning"
    _inherit = ["hr.performance.warning", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 30


class HrPerformanceReviewBehaviour(models.Model):
    _name = "hr.performance.review.behaviour"
    _inherit = ["hr.performance.review.behaviour", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 30


class HrPerformanceHeadteacherPanel(models.Model):
    """Who sat on the panel is personal data too: the adviser's name goes with the words."""

    _name = "hr.performance.headteacher.panel"
    _inherit = ["hr.performance.headteacher.panel", "hr.performance.retention.mixin"]
    _hsp_retention_sequence = 40

    def _hsp_retention_anonymise_values(self):
        vals = super()._hsp_retention_anonymise_values()
        vals["adviser_name"] = False
        return vals
