"""19.0.1.1.0: the review's free-text training needs and actions become training-need
records (which reach the CPD leader); the review no longer has these fields."""

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import column_exists


def migrate(cr, version):
    if not version or not column_exists(cr, "hr_performance_review", "training_needs"):
        return
    cr.execute(
        """
        SELECT id, training_needs, training_actions
          FROM hr_performance_review
         WHERE COALESCE(TRIM(training_needs), '') != ''
            OR COALESCE(TRIM(training_actions), '') != ''
        """
    )
    rows = cr.fetchall()
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["hr.performance.training.need"]._create_from_review_text(rows)
    cr.execute("ALTER TABLE hr_performance_review DROP COLUMN training_needs")
    cr.execute("ALTER TABLE hr_performance_review DROP COLUMN training_actions")
