"""19.0.1.4.0: trust scale (issue 14).

- The review's school is indexed with the review's id: ``_company_index``
  (``company_id, id``) serves what the field's own index served and lets the "Overdue"
  filter count from indexes alone, so the field's index (``index=True`` until 19.0.1.3.0)
  is dropped: Odoo keeps an index it no longer expects. The payroll interface's order,
  ``date_pay_effective``, is a new stored field, computed by the update itself.
- The workflow steps of a review (``mt_review_*``) are no longer sent to followers by
  default: a follower subscribed with the defaults (a reviewer given a to-do, the creator)
  and who never chose otherwise stops receiving them, as a new follower does. A follower
  who chose their subtypes keeps their choice.
"""

from odoo import SUPERUSER_ID, api
from odoo.fields import Command

STEPS = ("agreed", "monitoring", "final_review", "completed", "cancelled", "reopened")


def migrate(cr, version):
    if not version:
        return
    cr.execute("DROP INDEX IF EXISTS hr_performance_review__company_id_index")
    env = api.Environment(cr, SUPERUSER_ID, {})
    steps = env["mail.message.subtype"].browse(
        env["ir.model.data"]._xmlid_to_res_id(f"hr_school_performance.mt_review_{step}")
        for step in STEPS
    )
    Subtype = env["mail.message.subtype"]
    defaults, __, external = Subtype._default_subtypes("hr.performance.review")
    # What a follower got by default before (for an internal user, for a partner).
    before = (
        frozenset(defaults) | frozenset(steps.ids),
        frozenset(external) | frozenset(steps.ids),
    )
    followers = env["mail.followers"].search([("res_model", "=", "hr.performance.review")])
    untouched = followers.filtered(lambda f: frozenset(f.subtype_ids.ids) in before)
    untouched.write({"subtype_ids": [Command.unlink(step.id) for step in steps]})
