import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import format_date

_logger = logging.getLogger(__name__)


class HrPerformanceDisposalLog(models.Model):
    """The record of a performance record disposed of: what kind of record, its id, when,
    how and under which rule. Never its content, nor whom it was about. Written by the
    disposal engine only (the daily job, or a system administrator's early deletion with its
    reason); read by the HR manager."""

    _name = "hr.performance.disposal.log"
    _description = "Performance Record Disposal Log"
    _order = "date_disposed desc, id desc"
    _rec_name = "record_kind"

    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    record_kind = fields.Char(string="Record Type", required=True, readonly=True)
    res_id = fields.Integer(string="Record ID", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", string="School", readonly=True, index=True)
    date_disposed = fields.Datetime(
        string="Disposed On", required=True, readonly=True, default=fields.Datetime.now
    )
    method = fields.Selection(
        [("anonymised", "Anonymised"), ("deleted", "Deleted")], required=True, readonly=True
    )
    rule = fields.Char(string="Under", required=True, readonly=True)
    reason = fields.Text(
        readonly=True, help="Why a system administrator deleted the record before its time."
    )
    user_id = fields.Many2one(
        "res.users", string="By", readonly=True, default=lambda self: self.env.user
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("The disposal log is written by the system only."))
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        if self:
            raise UserError(self.env._("The disposal log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The disposal log cannot be deleted."))

    # ------------------------------------------------------------------
    # The disposal engine
    # ------------------------------------------------------------------
    @api.model
    def _retention_models(self):
        """The performance models under retention (``hr.performance.retention.mixin``), in
        the order they are disposed of: what hangs off a review before the review."""
        models_ = [
            model
            for name, model in self.env.registry.items()
            if not model._abstract
            and not model._transient
            and getattr(model, "_hsp_retention", False)
            and name != "hr.performance.retention.mixin"
        ]
        models_.sort(key=lambda model: (model._hsp_retention_sequence, model._name))
        return [model._name for model in models_]

    @api.model
    def _cron_dispose(self, batch_size=200):
        """Dispose of every performance record whose retention period has ended and that no
        running legal hold names. Idempotent (a disposed record is no longer due), batched
        and resumable (each batch is locked and committed)."""
        today = fields.Date.context_today(self)
        for model_name in self._retention_models():
            Model = self.env[model_name].sudo().with_context(active_test=False)
            domain = Model._hsp_retention_due_domain(today)
            skipped = set()
            while True:
                candidates = Model.search(
                    domain & Domain("id", "not in", list(skipped)), order="id"
                )
                batch = candidates.try_lock_for_update(limit=batch_size)
                if not batch:
                    break
                batch.invalidate_recordset()
                batch = batch.filtered_domain(domain)
                held = batch._hsp_retention_held()
                skipped.update(held.ids)
                todo = batch - held
                self._dispose(todo, today=today)
                remaining = len(candidates) - len(batch)
                if not self.env["ir.cron"]._commit_progress(len(todo), remaining=remaining):
                    return

    @api.model
    def _dispose(self, records, today=None, method=None, reason=None):
        """Dispose of ``records`` (one model), anonymised or deleted as their school says
        (``method`` forces one), and log each. Records under a legal hold are refused."""
        if not records:
            return
        held = records._hsp_retention_held()
        if held:
            raise UserError(
                self.env._(
                    "%(count)s record(s) are under a legal hold and cannot be disposed of until "
                    "it is released.",
                    count=len(held),
                )
            )
        by_method = {}
        for record in records:
            company = record._hsp_retention_company()
            chosen = method or company.performance_disposal_method or "anonymise"
            if chosen == "anonymise" and not record._hsp_retention_can_anonymise():
                chosen = "delete"
            by_method[chosen] = by_method.get(chosen, records.browse()) | record
        kind = records._hsp_retention_kind()
        logs = []
        for chosen, group in by_method.items():
            for record in group:
                company = record._hsp_retention_company()
                if reason:
                    rule = self.env._("Deleted early by a system administrator")
                else:
                    rule = self.env._(
                        "Retention: %(years)s years after the cycle ended on %(end)s (%(school)s)",
                        years=company.performance_retention_years,
                        end=format_date(self.env, record._hsp_retention_cycle_end()),
                        school=company.name,
                    )
                logs.append(
                    {
                        "res_model": records._name,
                        "record_kind": kind,
                        "res_id": record.id,
                        "company_id": company.id,
                        "method": "anonymised" if chosen == "anonymise" else "deleted",
                        "rule": rule,
                        "reason": reason or False,
                        "user_id": self.env.uid,
                    }
                )
            if chosen == "anonymise":
                group._hsp_retention_anonymise()
            else:
                group._hsp_retention_delete()
        self.sudo().create(logs)
        _logger.info("Disposed of %s %s record(s)", len(records), records._name)

    @api.model
    def action_delete_early(self, res_model, res_ids, reason):
        """Delete performance records before their retention period has ended: a system
        administrator only, with the reason recorded in the disposal log. A legal hold still
        refuses it."""
        if not self.env.user._is_system():
            raise AccessError(
                self.env._(
                    "Only a system administrator can delete performance records before the end "
                    "of their retention period."
                )
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Record why these records are deleted early."))
        if res_model not in self._retention_models():
            raise UserError(self.env._("%(model)s is not a performance record.", model=res_model))
        records = self.env[res_model].sudo().browse(res_ids).exists()
        if not records:
            raise UserError(self.env._("There is nothing to delete."))
        held = records._hsp_retention_held()
        if held:
            raise UserError(
                self.env._(
                    "These records are under a legal hold and cannot be deleted until it is "
                    "released."
                )
            )
        for dependants in records._hsp_retention_dependants():
            self._dispose(dependants, method="delete", reason=reason.strip())
        self._dispose(records, method="delete", reason=reason.strip())
        return True
