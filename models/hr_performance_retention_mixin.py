from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

# Set only by the disposal engine (hr.performance.disposal.log) while it disposes of the
# records it has checked (due, not held) or that a system administrator deleted with a
# recorded reason: a context variable, which no RPC caller can set, rather than a context key.
_DISPOSING = ContextVar("hr_school_performance_disposing", default=frozenset())


@contextmanager
def _disposing(records):
    """Within the block, the deletion guards let ``records`` go."""
    pairs = frozenset((records._name, record_id) for record_id in records.ids)
    token = _DISPOSING.set(_DISPOSING.get() | pairs)
    try:
        yield
    finally:
        _DISPOSING.reset(token)


def is_disposing(records):
    """Whether every record of ``records`` is being disposed of by the disposal engine."""
    disposing = _DISPOSING.get()
    return all((records._name, record_id) in disposing for record_id in records.ids)


class HrPerformanceRetentionMixin(models.AbstractModel):
    """A performance record kept for the school's retention period after the end of its
    cycle, then disposed of by the daily disposal job (``hr.performance.disposal.log``).

    A model plugs into retention by inheriting this mixin and, where the defaults do not fit,
    overriding the ``_hsp_retention_*`` hooks:

    - ``_hsp_retention_review_field``: the Many2one to ``hr.performance.review`` whose cycle
      end, school and legal holds the record follows (``False`` on the review itself);
    - ``_hsp_retention_sequence``: the order of disposal (children before the review);
    - :meth:`_hsp_retention_due_domain`: the records due for disposal on a day;
    - :meth:`_hsp_retention_held`: the records a running legal hold names;
    - ``_hsp_retention_keeps_figures``: whether anonymising is possible (False: a record
      with no figures to keep is always deleted);
    - :meth:`_hsp_retention_anonymise_values`: the values that anonymise it (free text and
      the person removed, figures kept);
    - :meth:`_hsp_retention_is_retained`: which records the deletion guard keeps.

    Disposing of a record also removes its chatter (messages, tracking values), followers,
    activities and attachments.
    """

    _name = "hr.performance.retention.mixin"
    _description = "Performance Record under Retention"

    _hsp_retention = True
    _hsp_retention_review_field = "review_id"
    _hsp_retention_sequence = 50
    _hsp_retention_keeps_figures = True

    retention_anonymised = fields.Boolean(
        string="Anonymised",
        readonly=True,
        copy=False,
        help="Disposed of at the end of its retention period: the person and their words "
        "were removed, the figures kept.",
    )

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------
    @api.model
    def _hsp_retention_kind(self):
        """What kind of record this is, for the disposal log."""
        return self._description

    def _hsp_retention_reviews(self):
        """The review each record belongs to: ``{record id: review}`` (as superuser)."""
        field = self._hsp_retention_review_field
        records = self.sudo()
        if not field:
            return {record.id: record for record in records}
        return {record.id: record[field] for record in records}

    @api.model
    def _hsp_retention_due_domain(self, today):
        """The records whose disposal date has come on ``today`` and that still hold
        personal data."""
        field = self._hsp_retention_review_field
        date_field = f"{field}.retention_disposal_date" if field else "retention_disposal_date"
        return Domain(date_field, "<=", today) & Domain("retention_anonymised", "=", False)

    def _hsp_retention_company(self):
        """The school (or trust) whose retention settings apply to this record."""
        self.ensure_one()
        review = self._hsp_retention_reviews()[self.id]
        if review:
            return review.company_id
        return self.sudo().company_id if "company_id" in self._fields else self.env.company

    def _hsp_retention_cycle_end(self):
        """The day the record's cycle ended, from which its retention runs."""
        self.ensure_one()
        review = self._hsp_retention_reviews()[self.id]
        return review.cycle_id.date_end

    def _hsp_retention_employees(self):
        """The members of staff each record is about: ``{record id: hr.employee}``."""
        reviews = self._hsp_retention_reviews()
        result = {}
        for record in self.sudo():
            employees = reviews[record.id].employee_id
            if "employee_id" in record._fields:
                employees |= record.employee_id
            result[record.id] = employees
        return result

    def _hsp_retention_held(self):
        """The records of ``self`` a running legal hold names (through their review or the
        member of staff they are about)."""
        holds = self.env["hr.performance.legal.hold"].sudo().search([("state", "=", "active")])
        if not holds:
            return self.browse()
        held_reviews = holds.review_ids
        held_employees = holds.employee_id
        reviews = self._hsp_retention_reviews()
        employees = self._hsp_retention_employees()
        return self.filtered(
            lambda record: (
                (reviews[record.id] & held_reviews) or (employees[record.id] & held_employees)
            )
        )

    def _hsp_retention_dependants(self):
        """The records of the other retention models that belong to ``self`` (for a review:
        everything written about it), in disposal order: disposed of before ``self`` when
        ``self`` is deleted early."""
        if self._hsp_retention_review_field:
            return []
        Log = self.env["hr.performance.disposal.log"]
        result = []
        for name in Log._retention_models():
            model = self.env[name].sudo().with_context(active_test=False)
            field = model._hsp_retention_review_field
            if name == self._name or not field:
                continue
            records = model.search([(field, "in", self.ids)])
            if records:
                result.append(records)
        return result

    def _hsp_retention_can_anonymise(self):
        """Whether the record keeps figures worth keeping once anonymised (else it is
        deleted): ``_hsp_retention_keeps_figures`` of its model."""
        return self._hsp_retention_keeps_figures

    def _hsp_retention_anonymise_values(self):
        """The values that anonymise the records of ``self``: every stored free text
        emptied; models add the person and what else identifies them."""
        return {
            name: "—" if field.required else False
            for name, field in self._fields.items()
            if field.type in ("text", "html")
            and field.store
            and not field.compute
            and not field.related
            and name not in models.MAGIC_COLUMNS
        }

    def _hsp_retention_is_retained(self):
        """The records of ``self`` the deletion guard keeps: those of a closed review or of
        a cycle that has ended (the working copy of an open review is edited freely, within
        each model's own rules)."""
        reviews = self._hsp_retention_reviews()
        today = fields.Date.context_today(self)
        return self.filtered(
            lambda record: (
                reviews[record.id]
                and (
                    reviews[record.id].state in ("completed", "cancelled")
                    or reviews[record.id].cycle_id.date_end < today
                    or record.retention_anonymised
                )
            )
        )

    # ------------------------------------------------------------------
    # Deletion guard
    # ------------------------------------------------------------------
    @api.ondelete(at_uninstall=False)
    def _unlink_except_retained(self):
        if is_disposing(self):
            return
        retained = self._hsp_retention_is_retained()
        if retained:
            raise UserError(
                self.env._(
                    "%(kind)s records are kept for the school's retention period after the "
                    "cycle ends (at least six years) and are then disposed of automatically; "
                    "they cannot be deleted before. A system administrator can delete a record "
                    "early with a recorded reason (Action › Delete before Retention Ends).",
                    kind=self._hsp_retention_kind(),
                )
            )

    # ------------------------------------------------------------------
    # Disposal (called by hr.performance.disposal.log only)
    # ------------------------------------------------------------------
    def _hsp_retention_anonymise(self):
        """Anonymise ``self`` (as superuser): figures kept, person and words removed, the
        chatter, followers, activities and attachments deleted (and no new to-do scheduled
        by the writes: nobody acts on a disposed record)."""
        records = self.sudo().with_context(
            tracking_disable=True, mail_notrack=True, mail_activity_automation_skip=True
        )
        with _disposing(records):
            records._hsp_retention_clear_around()
            vals = records._hsp_retention_anonymise_values()
            vals["retention_anonymised"] = True
            records.write(vals)

    def _hsp_retention_delete(self):
        """Delete ``self`` (as superuser) with what hangs off it."""
        records = self.sudo().with_context(
            tracking_disable=True, mail_activity_automation_skip=True
        )
        with _disposing(records):
            records._hsp_retention_clear_around()
            records.unlink()

    def _hsp_retention_clear_around(self):
        """Delete the chatter, followers, activities and attachments of ``self``."""
        domain = [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        env = self.env
        env["mail.message"].sudo().search(
            [("model", "=", self._name), ("res_id", "in", self.ids)]
        ).unlink()
        env["mail.followers"].sudo().search(domain).unlink()
        env["mail.activity"].sudo().search(domain).unlink()
        env["ir.attachment"].sudo().search(domain).unlink()
