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
