from odoo import fields, models


class HrPerformanceBehaviour(models.Model):
    """A behavioural attribute: a "way of doing things" the job chat assesses beside the
    objectives (county abbreviated process, "What are Behavioural Attributes & Operating
    Levels?"). Each job group chooses the attributes its reviews assess."""

    _name = "hr.performance.behaviour"
    _description = "Behavioural Attribute"
    _order = "sequence, id"

    name = fields.Char(string="Attribute", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(
        translate=True, help="What the attribute looks like when someone demonstrates it."
    )
    job_group_ids = fields.Many2many(
        "hr.performance.job.group",
        "hr_performance_behaviour_job_group_rel",
        "behaviour_id",
        "job_group_id",
        string="Job Groups",
        help="The job groups whose reviews assess this attribute.",
    )
