from odoo import api, models
from odoo.exceptions import ValidationError

from .hr_performance_review_job_chat import JOB_CHAT_MAX_OBJECTIVES


class HrPerformanceObjective(models.Model):
    _inherit = "hr.performance.objective"

    @api.constrains("review_id")
    def _check_job_chat_objectives(self):
        """In the job chat only supervisors agree objectives, at most five (county
        abbreviated process, "Objectives (supervisors only)")."""
        for review in self.review_id:
            if review.process != "abbreviated":
                continue
            if not review.is_supervisor:
                raise ValidationError(
                    self.env._(
                        "%(review)s follows the job chat and %(employee)s is not a supervisor: "
                        "only supervisors agree objectives in the job chat.",
                        review=review.display_name,
                        employee=review.employee_id.name,
                    )
                )
            if len(review.objective_ids) > JOB_CHAT_MAX_OBJECTIVES:
                raise ValidationError(
                    self.env._(
                        "A supervisor agrees at most %(max)s objectives in the job chat "
                        "(%(review)s).",
                        max=JOB_CHAT_MAX_OBJECTIVES,
                        review=review.display_name,
                    )
                )
