from odoo import models


class HrPerformanceReview(models.Model):
    """What reading many reviews at once costs (issue 14, trust scale)."""

    _inherit = "hr.performance.review"

    def web_read(self, specification):
        # A list shows the reviewee and the reviewer: their names are read in one query
        # for both columns, not one per column (web_read reads each many2one's display
        # names as superuser, over that column's values only).
        names = [
            fname
            for fname in ("employee_id", "reviewer_id")
            if "display_name" in (specification.get(fname) or {}).get("fields", {})
        ]
        if len(names) == 2:
            employees = self.employee_id | self.reviewer_id
            # sudo: the display names only, as web_read itself reads them.
            employees.sudo().mapped("display_name")
        if "activity_ids" in specification and not self.env.su:
            # The activities are read only on reviews the reader may read (mail.activity's
            # _search, core's and this addon's): the fields of the reviews' record rules are
            # read here for the whole page at once, not once per check.
            rule_fields = ["company_id"]
            if not self._performance_user_groups()["headteacher"]:
                rule_fields += ["employee_user_id", "reviewer_user_id", "state"]
                rule_fields.append("reviewer_access_until")
            self.fetch(rule_fields)
        return super().web_read(specification)

    # As the confidential mixin's: opening a review writes the access log.
    web_read._readonly = False
