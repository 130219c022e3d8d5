from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, models
from odoo.exceptions import UserError

# Set while the web client loads a list, a kanban or re-reads a record it just saved: those
# reads are not someone opening a record. A context variable rather than a context key,
# which any RPC caller could set to read without leaving a trace.
_ACCESS_LOG_MUTED = ContextVar("hr_school_performance_access_log_muted", default=False)


@contextmanager
def _access_log_muted():
    token = _ACCESS_LOG_MUTED.set(True)
    try:
        yield
    finally:
        _ACCESS_LOG_MUTED.reset(token)


class HrPerformanceConfidentialMixin(models.AbstractModel):
    """Behaviour shared by the confidential records of performance management (a review and
    everything written about it: objectives, observations, meetings...).

    - The chatter never reaches someone who cannot read the record: only such people can
      follow it or be mentioned in it, and a notification skips a follower who lost access
      since (a replaced reviewer, an expired grant).
    - Followers of such records are visible only to people who can read the record (see the
      rule on ``mail.followers``), and activities on them only to people who can read the
      record, even when assigned to them (see ``mail.activity``).
    - Opening (reading the content fields), exporting and printing by anyone but the reviewee
      is recorded in ``hr.performance.access.log``.

    A model using it lists it first in ``_inherit`` (before ``mail.thread``, so that its
    overrides come first), implements :meth:`_get_performance_review` and overrides
    :meth:`_get_access_log_fields` when the default (every stored text and HTML field) does not
    fit.
    """

    _name = "hr.performance.confidential.mixin"
    _description = "Confidential Performance Record"
    _inherit = ["hr.performance.guarded.mixin", "mail.thread"]

    # Marks the model for the followers rule and the activity checks.
    _performance_confidential = True

    @api.model
    def _get_access_log_fields(self):
        """Reading one of these fields is opening the record (statement content)."""
        return {
            name
            for name, field in self._fields.items()
            if field.type in ("text", "html") and field.store and not field.related
        }

    def _get_performance_review(self):
        """The ``hr.performance.review`` each record of ``self`` belongs to."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Access log
    # ------------------------------------------------------------------
    def _log_performance_access(self, access_type):
        """Record that the current user opened, exported or printed ``self``. The reviewee
        reading their own record is not logged, nor the system itself."""
        if self.env.su or not self:
            return
        user = self.env.user
        log_model = self.env["hr.performance.access.log"]
        vals_list = []
        # sudo: the log names the review a record belongs to, also for readers of the record
        # who cannot read the review itself (an observer reading their observation).
        for record in self.sudo():
            review = record._get_performance_review()
            # New records (a line being added in a form) are not opened yet: nothing to log.
            if not (record.id and review.id) or review.employee_user_id == user:
                continue
            vals_list.append(
                {
                    "review_id": review.id,
                    "user_id": user.id,
                    "access_type": access_type,
                    "res_model": record._name,
                    "res_id": record.id,
                }
            )
        if vals_list:
            log_model._create_entries(vals_list)

    def web_read(self, specification):
        return super().web_read(specification)

    # Opening a confidential record writes the access log: the web client's calls to these
    # methods must run in a read/write transaction (see web's _call_kw_readonly).
    web_read._readonly = False

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields, load=load)
        if not _ACCESS_LOG_MUTED.get() and not self.env.su:
            requested = set(fields) if fields else set(self._fields)
            if requested & self._get_access_log_fields():
                self._log_performance_access("open")
        return result

    read._readonly = False

    @api.model
    def search_read(
        self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs
    ):
        result = super().search_read(
            domain=domain, fields=fields, offset=offset, limit=limit, order=order, **read_kwargs
        )
        requested = set(fields) if fields else set(self._fields)
        if (
            result
            and not _ACCESS_LOG_MUTED.get()
            and not self.env.su
            and requested & self._get_access_log_fields()
        ):
            self.browse([values["id"] for values in result])._log_performance_access("open")
        return result

    search_read._readonly = False

    @api.model
    @api.readonly
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        # A list or kanban view: not an opening (the form is logged when opened).
        with _access_log_muted():
            return super().web_search_read(
                domain,
                specification,
                offset=offset,
                limit=limit,
                order=order,
                count_limit=count_limit,
            )

    def web_save(self, vals, specification, next_id=None):
        # Saving re-reads the form the user already opened; opening the next record
        # (next_id) is a new opening.
        if next_id:
            return super().web_save(vals, specification, next_id=next_id)
        with _access_log_muted():
            return super().web_save(vals, specification, next_id=next_id)

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._log_performance_access("export")
        return result

    # ------------------------------------------------------------------
    # Chatter: only people who can read the record
    # ------------------------------------------------------------------
    def _partners_without_read_access(self, partners):
        """The partners of ``partners`` who cannot read every record of ``self``: partners
        with no internal user (external addresses, portal users) and users whom the record
        rules keep out."""
        # sudo: which internal users a partner has is needed to test their rights; only
        # the refused partners are returned.
        users = (
            self.env["res.users"]
            .sudo()
            .search([("partner_id", "in", partners.ids), ("share", "=", False)])
        )
        readers = {user.partner_id.id for user in users if self._can_be_read_by(user)}
        return partners.filtered(lambda partner: partner.id not in readers)

    def _can_be_read_by(self, user):
        """Whether ``user`` can read every record of ``self``, in any school they are
        allowed in."""
        records = self.with_user(user).with_context(allowed_company_ids=user.company_ids.ids)
        return len(records._filtered_access("read")) == len(self)

    def _raise_if_partners_cannot_read(self, partner_ids):
        partners = self.env["res.partner"].browse(partner_ids)
        refused = self._partners_without_read_access(partners)
        if refused:
            raise UserError(
                self.env._(
                    "%(names)s cannot see %(record)s, so they cannot follow it or be sent its "
                    "messages. Ask the headteacher or HR to grant them access first.",
                    # sudo: the names of the partners the caller just sent
                    names=", ".join(refused.sudo().mapped("display_name")),
                    record=self[:1].sudo(False)._performance_name_for_caller(),
                )
            )

    def _performance_name_for_caller(self):
        """The name of the record for a message to the current user: a refusal must not
        tell someone who cannot read the record whose review it is."""
        self.ensure_one()
        if self.env.su or self._filtered_access("read"):
            return self.display_name
        return self.env._("this record")

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if partner_ids and not self.env.su:
            for record in self:
                record._raise_if_partners_cannot_read(partner_ids)
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    def message_post(self, **kwargs):
        partner_ids = kwargs.get("partner_ids")
        if partner_ids and not self.env.su:
            self._raise_if_partners_cannot_read(list(partner_ids))
        return super().message_post(**kwargs)

    def message_notify(self, **kwargs):
        partner_ids = kwargs.get("partner_ids")
        if partner_ids and self and not self.env.su:
            self._raise_if_partners_cannot_read(list(partner_ids))
        return super().message_notify(**kwargs)

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(message, msg_vals=msg_vals, **kwargs)
        if not self:
            return recipients
        # Followers are checked again at each message: they may have lost access since
        # they started following (a replaced reviewer, an expired grant, another school).
        users = self.env["res.users"].sudo().browse({r["uid"] for r in recipients if r.get("uid")})
        readers = {user.id for user in users if self._can_be_read_by(user)}
        return [r for r in recipients if r.get("uid") in readers]

    def _unsubscribe_followers_without_access(self):
        """Remove the followers who can no longer read the record."""
        for record in self:
            # sudo: followers are listed to find who lost access; only those are removed.
            partners = (
                self.env["mail.followers"]
                .sudo()
                .search([("res_model", "=", record._name), ("res_id", "=", record.id)])
                .partner_id
            )
            refused = record._partners_without_read_access(partners)
            if refused:
                record.sudo().message_unsubscribe(partner_ids=refused.ids)
