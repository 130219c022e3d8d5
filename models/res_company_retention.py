from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The shortest retention the policies allow: statements are kept "for a minimum of six years
# from the date the performance management cycle ends" (seed 003, 7; seed 000).
RETENTION_MINIMUM_YEARS = 6
# The smallest group a figure of the governors' report may describe (never fewer than 2:
# a figure about one person is about that person).
SUPPRESSION_MINIMUM = 2


class ResCompany(models.Model):
    _inherit = "res.company"

    performance_retention_years = fields.Integer(
        string="Retention after the Cycle Ends (years)",
        default=RETENTION_MINIMUM_YEARS,
        help="Performance records are disposed of this many years after the end of their "
        "cycle (the policies' minimum is six years).",
    )
    performance_disposal_method = fields.Selection(
        [
            ("anonymise", "Anonymise (keep the figures)"),
            ("delete", "Delete"),
        ],
        string="At the End of Retention",
        default="anonymise",
        required=True,
        help="Anonymise keeps the figures the governors' report uses (outcomes, dates, "
        "training categories) and removes the person, their words and everything around "
        "the record; delete removes the records altogether. Meetings, access grants, the "
        "access log and reviewer changes hold no figures and are always deleted.",
    )
    performance_report_threshold = fields.Integer(
        string="Smallest Group Reported",
        default=5,
        help="In the governors' report and the equality monitoring, any figure about fewer "
        "people than this is suppressed, with every total that would let it be worked out.",
    )
    performance_equality_spread = fields.Float(
        string="Consistency Spread (percentage points)",
        default=25.0,
        help="The equality monitoring flags a job position whose share of reviews earning "
        "pay progression differs by more than this between schools or reviewers.",
    )

    @api.constrains("performance_retention_years")
    def _check_performance_retention_years(self):
        for company in self:
            if company.performance_retention_years < RETENTION_MINIMUM_YEARS:
                raise ValidationError(
                    self.env._(
                        "Performance records must be kept for at least %(minimum)s years after "
                        "the cycle ends (the policy's minimum); %(years)s years were set for "
                        "%(company)s.",
                        minimum=RETENTION_MINIMUM_YEARS,
                        years=company.performance_retention_years,
                        company=company.name,
                    )
                )

    @api.constrains("performance_report_threshold")
    def _check_performance_report_threshold(self):
        for company in self:
            if company.performance_report_threshold < SUPPRESSION_MINIMUM:
                raise ValidationError(
                    self.env._(
                        "The smallest group reported must be at least %(minimum)s people, so "
                        "that no figure describes one person (%(company)s).",
                        minimum=SUPPRESSION_MINIMUM,
                        company=company.name,
                    )
                )

    @api.constrains("performance_equality_spread")
    def _check_performance_equality_spread(self):
        for company in self:
            if not 0 < company.performance_equality_spread <= 100:
                raise ValidationError(
                    self.env._(
                        "The consistency spread is a number of percentage points between 0 "
                        "and 100 (%(company)s).",
                        company=company.name,
                    )
                )
