from odoo import fields, models
from odoo.tools import SQL


class HrPerformanceCpdReport(models.Model):
    """The CPD form as the CPD leader receives it: who needs which training and the action
    agreed to meet it — never the review, its objectives or its assessments. A read-only
    view over the needs agreed at planning meetings, for the CPD plan and the training audit."""

    _name = "hr.performance.cpd.report"
    _description = "Training Needs for the CPD Leader"
    _auto = False
    _order = "cycle_id desc, employee_id"
    _rec_name = "employee_id"
    _depends = {
        "hr.performance.review": [
            "employee_id",
            "company_id",
            "cycle_id",
            "training_needs",
            "training_actions",
            "state",
        ],
    }

    employee_id = fields.Many2one("hr.employee", string="Member of Staff", readonly=True)
    job_title = fields.Char(related="employee_id.job_title", string="Job Title")
    company_id = fields.Many2one("res.company", string="School", readonly=True)
    cycle_id = fields.Many2one("hr.performance.cycle", readonly=True)
    training_needs = fields.Text(string="Training and Development Needs", readonly=True)
    training_actions = fields.Text(string="Action to Be Taken", readonly=True)

    @property
    def _table_query(self):
        # Needs are sent to the CPD leader once agreed at the planning meeting.
        return SQL(
            """
            SELECT review.id AS id,
                   review.employee_id AS employee_id,
                   review.company_id AS company_id,
                   review.cycle_id AS cycle_id,
                   review.training_needs AS training_needs,
                   review.training_actions AS training_actions
              FROM hr_performance_review review
             WHERE review.state IN ('agreed', 'in_progress', 'final_review', 'completed')
               AND COALESCE(TRIM(review.training_needs), '') != ''
            """
        )
