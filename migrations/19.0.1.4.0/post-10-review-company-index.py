"""19.0.1.4.0: the review's school is indexed with the review's id.

``hr_performance_review._company_index`` (``company_id, id``) serves what the field's own
index served and lets the "Overdue" filter count from indexes alone, so the field's index
(``index=True`` until 19.0.1.3.0) is dropped: Odoo keeps an index it no longer expects.
The payroll interface's order, ``date_pay_effective``, is a new stored field, computed by
the update itself.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute("DROP INDEX IF EXISTS hr_performance_review__company_id_index")
