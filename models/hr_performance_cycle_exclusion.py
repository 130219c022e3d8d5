from odoo import fields, models


class HrPerformanceCycleExclusion(models.Model):
    """A member of staff a cycle launch did not create a review for, and why."""

    _name = "hr.performance.cycle.exclusion"
    _description = "Staff Not Launched in a Performance Cycle"
    _order = "reason, employee_id"

    cycle_id = fields.Many2one(
        "hr.performance.cycle", required=True, index=True, ondelete="cascade"
    )
    # Precomputed: a trust's launch creates hundreds of exclusions, written with their
    # school in the INSERT rather than by an UPDATE after it (issue 14).
    company_id = fields.Many2one(
        related="cycle_id.company_id", store=True, index=True, precompute=True
    )
    employee_id = fields.Many2one("hr.employee", required=True, ondelete="cascade")
    reason = fields.Selection(
        [
            ("probation", "In probation"),
            ("capability", "Under the capability procedure"),
            ("archived", "Archived (left)"),
            ("not_started", "Starts after the cycle"),
            ("no_group", "In no job group"),
        ],
        required=True,
    )
    date_until = fields.Date(string="Date", help="End of probation, start or leaving date.")
