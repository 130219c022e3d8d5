"""19.0.1.3.0: a review's outcome is moderated in the statement that records it.

The statement of a review records the assessment of the reviewee's previous review, so the
moderation of an outcome now starts when that statement is signed (``date_outcome_signed``),
not when the review's own statement is. Reviews completed before statements existed keep
the signature date recorded on them.

- The moderation deadline is counted from the outcome's statement, and the revised
  statement's deadline is met when it is signed again.
- The stored moderation state and finality of every review are recomputed under the new
  rule (the new stored fields are computed by the update itself).
- A headteacher's review with an appointed governors' panel gets the panel's chair as its
  reviewer (``reviewer_user_id``, until now the related user of ``reviewer_id``), and is
  left out of the school's moderation, which is the headteacher's own.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE hr_performance_deadline_rule
           SET event = 'outcome_signed'
         WHERE code = 'moderation' AND event = 'statement_signed'
        """
    )
    cr.execute(
        """
        UPDATE hr_performance_deadline_rule
           SET done_event = 'outcome_signed'
         WHERE code = 'revised_statement' AND done_event = 'statement_signed'
        """
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    Review = env["hr.performance.review"]
    reviews = Review.with_context(active_test=False).search([])
    for fname in ("moderation_state", "outcome_final", "statement_final"):
        env.add_to_compute(Review._fields[fname], reviews)
    # A headteacher's own review: the panel's chair reviews it, the school's moderation
    # leaves it out.
    headteachers = reviews.filtered("headteacher_panel_ids")
    for fname in ("reviewer_user_id", "moderation_mode", "moderation_selected"):
        env.add_to_compute(Review._fields[fname], headteachers)
    env.flush_all()
    env["hr.performance.deadline"]._sync_for_reviews(reviews.filtered("moderation_selected"))
