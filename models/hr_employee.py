from odoo import fields, models


class HrEmployee(models.Model):
    _name = "hr.employee"
    _inherit = ["hr.employee", "hr.performance.employee.mixin"]

    performance_capability = fields.Boolean(
        string="Under Capability Procedure",
        groups="hr_school_performance.hr_school_performance_group_hr_officer",
        tracking=True,
        help="Performance management is suspended while the capability procedure runs: "
        "cycles launched meanwhile create no review for this member of staff.",
    )
    performance_capability_date = fields.Date(
        string="Capability Procedure Since",
        groups="hr_school_performance.hr_school_performance_group_hr_officer",
    )
    performance_qts = fields.Boolean(
        string="Qualified Teacher Status (QTS)",
        # Not on the public profile: without groups, every non-HR read of an employee
        # (through hr.employee.public) would fail on it. Observers are checked as superuser.
        groups="hr.group_hr_user,hr_school_performance.hr_school_performance_group_hr_officer",
        tracking=True,
        help="Holds QTS: may observe teachers (the observer of a teacher must be a qualified "
        "teacher).",
    )

    # Pay progression (hr.performance.pay.eligibility / hr.performance.pay.decision): shown
    # on the employee form to those who read the pay-progression list.
    performance_pay_eligible = fields.Boolean(
        string="Eligible for Pay Progression (last final outcome)",
        compute="_compute_performance_pay",
        groups="hr_school_performance.hr_school_performance_group_headteacher,"
        "hr_school_performance.hr_school_performance_group_governor,"
        "hr_school_performance.hr_school_performance_group_payroll",
    )
    performance_pay_decision_id = fields.Many2one(
        "hr.performance.pay.eligibility",
        string="Last Pay Decision",
        compute="_compute_performance_pay",
        groups="hr_school_performance.hr_school_performance_group_headteacher,"
        "hr_school_performance.hr_school_performance_group_governor,"
        "hr_school_performance.hr_school_performance_group_payroll",
    )
    performance_pay_outcome_id = fields.Many2one(
        "hr.performance.pay.eligibility",
        string="Last Final Outcome",
        compute="_compute_performance_pay",
        groups="hr_school_performance.hr_school_performance_group_headteacher,"
        "hr_school_performance.hr_school_performance_group_governor,"
        "hr_school_performance.hr_school_performance_group_payroll",
    )

    def _compute_performance_pay(self):
        # As the user: the pay-progression rows they may read (final outcomes only).
        rows = self.env["hr.performance.pay.eligibility"].search(
            [("employee_id", "in", self.ids)], order="date_end desc, id desc"
        )
        latest, decided = {}, {}
        for row in rows:
            latest.setdefault(row.employee_id.id, row)
            if row.awarded:
                decided.setdefault(row.employee_id.id, row)
        for employee in self:
            outcome = latest.get(employee.id)
            employee.performance_pay_outcome_id = outcome
            employee.performance_pay_eligible = bool(outcome and outcome.pay_progression_eligible)
            employee.performance_pay_decision_id = decided.get(employee.id)
