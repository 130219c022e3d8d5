from odoo import api, models

from .hr_performance_retention_mixin import is_disposing
from .hr_performance_review_statement import FROZEN_OBJECTIVE_FIELDS


class HrPerformanceObjective(models.Model):
    _inherit = "hr.performance.objective"

    def _check_write_rules(self, vals):
        result = super()._check_write_rules(vals)
        self._check_statement_frozen(vals)
        return result

    def write(self, vals):
        if self.env.su:
            self._check_statement_frozen(vals)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        reviews = self.env["hr.performance.review"].browse(
            {vals.get("review_id") for vals in vals_list if vals.get("review_id")}
        )
        reviews._check_objectives_unfrozen()
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        self.review_id._check_objectives_unfrozen()

    def _check_statement_frozen(self, vals):
        if is_disposing(self):
            # The disposal engine anonymises at the end of the retention period.
            return
        if set(vals) & set(FROZEN_OBJECTIVE_FIELDS):
            self.review_id._check_objectives_unfrozen(self)
