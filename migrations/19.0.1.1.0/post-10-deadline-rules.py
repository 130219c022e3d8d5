"""The eleven ``*_days`` columns of the job group become deadline rule lines.

Each job group gets a copy of the default set (loaded from data before this script
runs), with the number of days the group had set; the old columns are then dropped. The
existing deadline rows are linked to their group's rule line."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

# Rule code -> the job group column that held its number of days.
COLUMNS = {
    "planning_meeting": "planning_meeting_days",
    "notice": "notice_days",
    "self_evaluation": "self_evaluation_days",
    "draft_statement": "draft_statement_days",
    "comments": "comment_days",
    "final_statement": "final_statement_days",
    "moderation": "moderation_days",
    "support_review": "support_period_days",
    "observation_notice": "observation_notice_days",
    "observation_feedback": "observation_feedback_days",
    "observation_record": "observation_record_days",
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
        ["hr_performance_job_group"],
    )
    present = {row[0] for row in cr.fetchall()} & set(COLUMNS.values())
    old_days = {}
    if present:
        cr.execute(
            SQL(
                "SELECT id, %s FROM hr_performance_job_group",
                SQL(", ").join(SQL.identifier(column) for column in sorted(present)),
            )
        )
        old_days = {
            row[0]: dict(zip(sorted(present), row[1:], strict=True)) for row in cr.fetchall()
        }
    Rule = env["hr.performance.deadline.rule"]
    defaults = Rule.search([("job_group_id", "=", False)])
    groups = (
        env["hr.performance.job.group"]
        .with_context(active_test=False)
        .search([("deadline_rule_ids", "=", False)])
    )
    vals_list = []
    for group in groups:
        days = old_days.get(group.id, {})
        for default in defaults:
            vals = dict(default._default_values(), job_group_id=group.id)
            value = days.get(COLUMNS.get(default.code))
            if value and value > 0:
                vals["days"] = value
            vals_list.append(vals)
    # Creating the lines resyncs the open reviews of the groups.
    Rule.create(vals_list)
    # The deadlines of closed reviews keep their rows: link them to their group's line.
    cr.execute(
        """
        UPDATE hr_performance_deadline deadline
           SET rule_id = rule.id
          FROM hr_performance_review review, hr_performance_deadline_rule rule
         WHERE deadline.review_id = review.id
           AND rule.job_group_id = review.job_group_id
           AND rule.code = deadline.kind
           AND deadline.rule_id IS NULL
        """
    )
    # Escalations are a daily digest now: close the headteachers' overdue to-dos, which
    # the reviewees could read on their reviews; those deadlines were already e-mailed.
    overdue_type = env.ref(
        "hr_school_performance.mail_activity_type_deadline_overdue", raise_if_not_found=False
    )
    if overdue_type:
        env["mail.activity"].search([("activity_type_id", "=", overdue_type.id)]).action_feedback(
            feedback=env._("Replaced by the headteacher's daily digest of overdue deadlines.")
        )
    cr.execute(
        "UPDATE hr_performance_deadline SET escalation_digest_sent = TRUE WHERE escalation_done"
    )
    for column in sorted(present):
        cr.execute(
            SQL(
                "ALTER TABLE hr_performance_job_group DROP COLUMN IF EXISTS %s",
                SQL.identifier(column),
            )
        )
