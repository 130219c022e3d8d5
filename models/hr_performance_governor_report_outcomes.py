"""The governors' report and equality monitoring read the moderation, appeals and pay
decisions through the report's hooks (``hr.performance.governor.report``)."""

from odoo import models

from .hr_performance_governor_report import TOTAL


class HrPerformanceGovernorReport(models.Model):
    _inherit = "hr.performance.governor.report"

    def _hsp_report_moderation(self, reviews):
        """Completed reviews by job group and where their moderation stands."""
        completed = reviews.filtered(lambda r: r.state == "completed")
        states = completed._fields["moderation_state"]._description_selection(self.env)
        counts = {}
        for review in completed:
            key = (review.job_group_id.id, review.moderation_state)
            counts[key] = counts.get(key, 0) + 1
        used = {state for __, state in counts}
        return self._spec(
            "moderation",
            self.env._("Moderation"),
            [(group.id, group.name) for group in completed.job_group_id.sorted("name")],
            [(key, label) for key, label in states if key in used],
            counts,
            note=self.env._("Completed reviews, by the moderation of their statement."),
            # The same reviews as the outcome table, group by group.
            links=[
                (("moderation", group.id, TOTAL), [("outcomes", group.id, TOTAL)])
                for group in completed.filtered("outcome_level_id").job_group_id
                if not completed.filtered(
                    lambda r, g=group: r.job_group_id == g and not r.outcome_level_id
                )
            ],
        )

    def _hsp_report_appeals(self, reviews):
        """Appeals against the year's reviews, by route and how they ended."""
        # sudo: appeals are read by the reviewee and HR only; here they are only counted,
        # into suppressed figures, never shown per person.
        appeals = (
            self.env["hr.performance.appeal"].sudo().search([("review_id", "in", reviews.ids)])
        )
        outcomes = dict(appeals._fields["outcome"]._description_selection(self.env))
        counts = {}
        for appeal in appeals:
            if appeal.state == "resolved":
                route, result = "informal", "resolved"
            elif appeal.route == "grievance":
                route = "grievance"
                result = "decided" if appeal.state == "decided" else "open"
            else:
                route = appeal.hearer or "hearing"
                if appeal.state == "decided":
                    result = appeal.outcome or "decided"
                elif appeal.state == "withdrawn":
                    result = "withdrawn"
                else:
                    result = "open"
            counts[(route, result)] = counts.get((route, result), 0) + 1
        routes = [
            ("informal", self.env._("Resolved with the reviewer")),
            ("headteacher", self.env._("Heard by the headteacher")),
            ("governors", self.env._("Heard by the governing body")),
            ("hearing", self.env._("Formal hearing")),
            ("grievance", self.env._("Grievance procedure")),
        ]
        results = [
            ("resolved", self.env._("Resolved informally")),
            ("confirmed", outcomes.get("confirmed")),
            ("amended", outcomes.get("amended")),
            ("decided", self.env._("Decided")),
            ("withdrawn", self.env._("Withdrawn")),
            ("open", self.env._("Not yet decided")),
        ]
        used_routes = {route for route, __ in counts}
        used_results = {result for __, result in counts}
        return self._spec(
            "appeals",
            self.env._("Appeals and representations"),
            [row for row in routes if row[0] in used_routes],
            [col for col in results if col[0] in used_results],
            counts,
            note=self.env._("Appeals lodged against the year's reviews, by route and outcome."),
        )

    def _hsp_report_pay_decisions(self, reviews):
        """Pay decisions on the year's reviews, by the gender recorded on the employee."""
        # sudo: decisions and gender are only counted here, into suppressed figures.
        decisions = (
            self.env["hr.performance.pay.decision"]
            .sudo()
            .search([("review_id", "in", reviews.ids)])
        )
        awarded = decisions._fields["awarded"]._description_selection(self.env)
        sexes = dict(self.env["hr.version"]._fields["sex"]._description_selection(self.env))
        counts = {}
        for decision in decisions:
            gender = decision.review_id.employee_id.sex or "unknown"
            counts[(gender, decision.awarded)] = counts.get((gender, decision.awarded), 0) + 1
        rows = [*sexes.items(), ("unknown", self.env._("Not recorded"))]
        used = {row for row, __ in counts}
        return self._spec(
            "pay",
            self.env._("Pay decisions by gender"),
            [row for row in rows if row[0] in used],
            list(awarded),
            counts,
            note=self.env._("Pay progression decisions on the year's reviews."),
        )
