"""19.0.1.2.0: moderation, pay decisions and the payroll interface (issue 10).

- The moderation deadline is counted from the signed statement (it was counted from the
  planning meeting); the support-review deadline falls on the support period's review
  date; every job group gets the new rule lines (revised statement, pay decision, the
  headteacher's review by the governors) from the default set.
- The four levels get seed 001's descriptions where they have none.
- The outcomes completed before moderation was recorded stay final: each cycle holding
  completed reviews is recorded as moderating none (the headteacher may still change it
  before drawing a sample). The free-text pay levels stay on the reviews, shown read-only.
"""

from odoo import SUPERUSER_ID, api

NEW_CODES = ("revised_statement", "pay_decision", "headteacher_review")


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        """
        UPDATE hr_performance_deadline_rule
           SET event = 'statement_signed'
         WHERE code = 'moderation' AND event = 'planning_meeting'
        """
    )
    # The support-review deadline falls on the support period's own (extended) review date.
    cr.execute(
        """
        UPDATE hr_performance_deadline_rule
           SET event = 'support_review_due', days = 0
         WHERE code = 'support_review' AND event = 'concern_meeting'
        """
    )
    Rule = env["hr.performance.deadline.rule"]
    defaults = Rule.search([("job_group_id", "=", False), ("code", "in", NEW_CODES)])
    groups = env["hr.performance.job.group"].with_context(active_test=False).search([])
    vals_list = [
        dict(default._default_values(), job_group_id=group.id)
        for group in groups
        for default in defaults
        if not group.deadline_rule_ids.filtered(lambda r, d=default: r.code == d.code)
    ]
    Rule.create(vals_list)

    for xmlid in ("exceeded", "achieved", "progressing", "underperformed"):
        level = env.ref(f"hr_school_performance.hr_performance_scale_level_{xmlid}", False)
        if level and not level.description:
            # Seed 001's table, as data/hr_performance_scale_data.xml installs it.
            level.description = _SEED_001[xmlid]

    cycles = env["hr.performance.review"].search([("state", "=", "completed")]).cycle_id
    cycles = cycles.filtered(lambda cycle: not cycle.moderation_ids)
    env["hr.performance.moderation"].create(
        [{"cycle_id": cycle.id, "mode": "none"} for cycle in cycles]
    )


_SEED_001 = {
    "exceeded": "All objectives are achieved. Performance is exceptional in all respects and "
    "always in excess of the standards required by the job, and behaviour exceeds "
    "expectations. Eligible to receive the CBP point.",
    "achieved": "All objectives are achieved. Performance in key tasks meets the standards "
    "required, and behaviour meets the required standards. Eligible to receive the CBP point.",
    "progressing": "Some objectives were achieved. A number of key tasks may not have been "
    "achieved to the required standard, and/or behaviour falls short of the required "
    "standard on some occasions. Not eligible to receive the CBP point at this time; with "
    "support, performance is expected to improve within a relatively short period, and "
    "further reviews may be necessary.",
    "underperformed": "The majority of objectives were not achieved and the requirements of "
    "the job have not been met, and/or behaviours are unacceptable. Not eligible to receive "
    "the CBP point at this time; the reviewee is aware that performance is unacceptable and "
    "is under formal procedures to support them to reach acceptable standards.",
}
