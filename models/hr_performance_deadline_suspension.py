from odoo import api, models


class HrPerformanceDeadline(models.Model):
    """Deadlines of a review suspended by the capability procedure stop (the daily job
    skips them); once it restarts, those still open are counted from the restart."""

    _inherit = "hr.performance.deadline"

    @api.depends("review_id.performance_suspended")
    def _compute_date_next_action(self):
        result = super()._compute_date_next_action()
        for deadline in self:
            if deadline.review_id.performance_suspended:
                deadline.date_next_action = False
        return result

    @api.model
    def _specs_for_review(self, review, calendar):
        specs = super()._specs_for_review(review, calendar)
        restart = review.date_performance_restart
        if not restart:
            return specs
        rules = self.env["hr.performance.deadline.rule"].browse([s["rule_id"] for s in specs])
        for spec in specs:
            if spec["date_done"] or not spec["date_from"] or spec["date_from"] >= restart:
                continue
            rule = rules.filtered(lambda r, s=spec: r.id == s["rule_id"])
            spec["date_from"] = restart
            spec["date_due"] = rule._due_date(calendar, restart)
        return specs
