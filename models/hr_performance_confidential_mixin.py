from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, models
from odoo.exceptions import AccessError, UserError

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

    - Who may write what is one engine, enforced by :meth:`write` for every caller (forms,
      buttons, RPC): record rules decide which records a user may write at all; the engine
      decides which fields, in which states, and which state changes.

    A model using it lists it first in ``_inherit`` (before ``mail.thread``, so that its
    overrides come first), implements :meth:`_get_performance_review` and overrides
    :meth:`_get_access_log_fields` when the default (every stored text and HTML field) does not
    fit.

    **Rights engine.** A model declares data, the engine does the rest:

    - :meth:`_get_write_rights` returns, per role, the fields that role may write and in
      which states of the record's review (``None``: in any state). A field no role of the
      current user lists is refused with an ``AccessError`` naming it. ``state`` is not
      listed there: it is governed by the transitions below.
    - :meth:`_get_state_transitions` returns, per target state, the states a record may
      leave for it and the roles that may move it. The same predicate,
      :meth:`_check_transition`, refuses a write of ``state`` and computes the ``can_*``
      flags that show the buttons, as ``hr.leave`` does with ``_check_approval_update``.
    - :meth:`_get_user_roles` computes, in one place, the roles the current user holds on
      each record: ``reviewee``, ``reviewer``, ``reviewee_proxy`` (the reviewer of a reviewee
      without a login, who records their words), ``headteacher`` and ``hr``. A person never
      manages their own review: on it they are only the reviewee, and the next level up acts.
      :meth:`_get_record_roles` adds model-specific roles (the ``observer`` of an observation).
    - Every Many2one from the record to ``hr.performance.review`` is checked on create and
      write: the target review must be writable by the caller and be the same member of
      staff's (:meth:`_check_review_links`).

    Example, a statement that the reviewer drafts while the review is open, the reviewee
    comments on before it is signed, and the headteacher signs::

        def _get_write_rights(self):
            open_states = ("agreed", "in_progress", "final_review")
            return {
                "reviewer": {"draft": open_states, "date_sent": open_states},
                "reviewee": {"reviewee_comments": ("agreed", "in_progress")},
                "headteacher": dict.fromkeys(self._rights_content_fields()),
            }

        def _get_state_transitions(self):
            return {
                "sent": {"from": ("draft",), "roles": {"reviewer", "headteacher"}},
                "signed": {"from": ("sent",), "roles": {"headteacher"}},
            }

    An extension adds a field to a role by overriding the hook and updating
    ``super()._get_write_rights()``, as OCA ``base_tier_validation`` extensions do with
    ``_get_under_validation_exceptions``.
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
    # Rights engine: who may write what
    # ------------------------------------------------------------------
    @api.model
    def _get_write_rights(self):
        """Per role, the fields it may write and in which states of the record's review:
        ``{role: {field_name: (state, ...) or None}}``, ``None`` meaning in any state.
        Return ``None`` (the default) to leave the fields to the record rules."""
        return None

    @api.model
    def _get_state_transitions(self):
        """Per target state, who may move a record into it and from where:
        ``{state: {"from": (state, ...), "roles": {role, ...}}}``."""
        return {}

    @api.model
    def _rights_content_fields(self, exclude=()):
        """The fields a form can write on this model (stored and not read-only, which leaves
        out computed fields that are not editable), minus the workflow ``state``, mail
        bookkeeping and ``exclude``."""
        return {
            name
            for name, field in self._fields.items()
            if field.store
            and not field.readonly
            and name not in models.MAGIC_COLUMNS
            and name != "state"
            and not name.startswith(("message_", "activity_"))
            and name not in exclude
        }

    def _get_rights_state(self):
        """The state the field rights of a record depend on: its review's."""
        self.ensure_one()
        return self._get_performance_review().state

    @api.model
    def _performance_user_groups(self):
        user = self.env.user
        return {
            "headteacher": user.has_group(
                "hr_school_performance.hr_school_performance_group_headteacher"
            ),
            "hr": user.has_group("hr_school_performance.hr_school_performance_group_hr_officer"),
        }

    def _get_user_roles(self):
        """``{record id: set of roles}`` the current user holds on each record of ``self``."""
        groups = self._performance_user_groups()
        return {record.id: record._get_record_roles(groups) for record in self}

    def _get_record_roles(self, groups):
        """The roles of the current user on this record. ``groups`` tells which management
        groups the user belongs to (see :meth:`_performance_user_groups`)."""
        self.ensure_one()
        user = self.env.user
        # sudo: who is reviewee and reviewer decides the roles; an observer may not read the
        # review itself.
        review = self._get_performance_review().sudo()
        if review.employee_user_id == user:
            # Roles do not stack against one's own review.
            return {"reviewee"}
        roles = {role for role, member in groups.items() if member}
        if review.reviewer_user_id and review.reviewer_user_id == user:
            roles.add("reviewer")
            if not review.employee_user_id:
                roles.add("reviewee_proxy")
        return roles

    def _rights_fields_allowed(self, roles, state):
        allowed = set()
        for role in roles:
            for name, states in (self._get_write_rights() or {}).get(role, {}).items():
                if states is None or state in states:
                    allowed.add(name)
        return allowed

    def _check_write_rights(self, vals):
        """Refuse the fields of ``vals`` that no role of the current user gives them on each
        record of ``self``, and a change of ``state`` the transitions do not allow."""
        if self.env.su:
            return
        # Nobody writes what they cannot read (a replaced reviewer, a closed review).
        self.check_access("read")
        rights = self._get_write_rights()
        if rights is not None:
            written = {
                name
                for name in vals
                if name != "state" and not name.startswith(("message_", "activity_"))
            }
            roles_by_record = self._get_user_roles()
            for record in self:
                roles = roles_by_record[record.id]
                state = record._get_rights_state()
                refused = written - record._rights_fields_allowed(roles, state)
                if refused:
                    record._raise_write_refused(roles, refused, state)
        if "state" in vals and self._get_state_transitions():
            self._check_transition(vals["state"])

    def _raise_write_refused(self, roles, refused, state):
        review = self._get_performance_review()
        values = {
            "fields": self._field_labels(refused),
            "record": self.display_name,
            "state": review._state_label(state) if review else "",
        }
        if "reviewee" in roles:
            message = self.env._(
                "On your own review you can write only what the process gives the reviewee "
                "(self-evaluation, forms, progress, comments) while it is open; you cannot "
                "change %(fields)s on %(record)s (%(state)s).",
                **values,
            )
        elif "reviewer" in roles:
            message = self.env._(
                "As the reviewer of %(record)s you cannot change %(fields)s (%(state)s): the "
                "reviewee writes their own words, the headteacher or HR decide who is "
                "reviewed, by whom and over which period, and a closed review is changed only "
                "by them.",
                **values,
            )
        else:
            message = self.env._(
                "You cannot change %(fields)s on %(record)s.",
                fields=values["fields"],
                record=values["record"],
            )
        raise AccessError(message)

    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env)).get(state, state)

    def _check_transition(self, state, raise_if_not_possible=True):
        """Whether the current user may move every record of ``self`` into ``state``: the
        predicate behind both the ``write`` of ``state`` and the ``can_*`` flags."""
        rule = self._get_state_transitions().get(state)
        if self.env.su:
            return True
        roles_by_record = self._get_user_roles()
        for record in self:
            if not rule or record.state not in rule["from"]:
                if not raise_if_not_possible:
                    return False
                raise UserError(
                    self.env._(
                        "Moving %(record)s to “%(to)s” is not possible: it is “%(current)s”; "
                        "it must be %(allowed)s.",
                        record=record.display_name,
                        current=record._state_label(record.state),
                        to=record._state_label(state),
                        allowed=self.env._(" or ").join(
                            f"“{record._state_label(s)}”" for s in (rule or {}).get("from", ())
                        )
                        or "—",
                    )
                )
            if not roles_by_record[record.id] & set(rule["roles"]):
                if not raise_if_not_possible:
                    return False
                raise AccessError(
                    self.env._(
                        "You cannot move %(record)s to “%(to)s”: ask %(who)s.",
                        record=record.display_name,
                        to=record._state_label(state),
                        who=record._roles_label(rule["roles"]),
                    )
                )
        return True

    def _set_transition_flags(self, flags):
        """Compute the ``can_*`` button flags ``{field name: target state}`` of ``self`` with
        the predicate that write() enforces."""
        for record in self:
            for fname, state in flags.items():
                record[fname] = record.state != state and record._check_transition(
                    state, raise_if_not_possible=False
                )

    def _roles_label(self, roles):
        labels = {
            "reviewee": self.env._("the reviewee"),
            "reviewer": self.env._("the reviewer"),
            "reviewee_proxy": self.env._("the reviewer"),
            "headteacher": self.env._("the headteacher"),
            "hr": self.env._("HR"),
            "observer": self.env._("the observer"),
        }
        names = dict.fromkeys(labels.get(role, role) for role in sorted(roles))
        return self.env._(" or ").join(names)

    def _field_labels(self, field_names):
        return ", ".join(
            f"“{self._fields[name]._description_string(self.env)}”" for name in sorted(field_names)
        )

    def _check_review_links(self, vals):
        """A Many2one from a confidential record to a review may only point at a review the
        caller may write, of the same member of staff as the record."""
        if self.env.su:
            return
        Review = self.env["hr.performance.review"]
        for name, value in vals.items():
            field = self._fields.get(name)
            if not (field and field.type == "many2one" and field.comodel_name == Review._name):
                continue
            if not value or name == "id":
                continue
            target = Review.browse(value)
            if self._name == Review._name and target in self:
                continue
            target.check_access("write")
            # sudo: the reviewee of the target, to compare with the record's.
            employee = target.sudo().employee_id
            for record in self:
                current = record._performance_link_employee(vals)
                if current and current != employee:
                    raise AccessError(
                        self.env._(
                            "%(record)s belongs to %(employee)s: it cannot be linked to a "
                            "review of someone else.",
                            record=record.display_name,
                            employee=current.name,
                        )
                    )

    def _performance_link_employee(self, vals):
        """The member of staff a record is about, before ``vals`` is written."""
        # sudo: the reviewee of the record's current review, compared, never returned.
        record = self.sudo()
        employee = record._get_performance_review().employee_id
        if not employee and "employee_id" in record._fields:
            employee = record.employee_id
        if "employee_id" in vals and "employee_id" in record._fields:
            employee = record.env["hr.employee"].browse(vals["employee_id"])
        return employee

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_new_review_links(vals_list)
        return super().create(vals_list)

    @api.model
    def _check_new_review_links(self, vals_list):
        """The reviews new records point at must be writable by the caller (one check for
        the batch), and of the member of staff the records name, if they name one."""
        Review = self.env["hr.performance.review"]
        links = [
            (vals, vals[name])
            for vals in vals_list
            for name, field in self._fields.items()
            if field.type == "many2one"
            and field.comodel_name == Review._name
            and vals.get(name)
            and name != "id"
        ]
        if not links:
            return
        targets = Review.browse({review_id for __, review_id in links})
        targets.check_access("write")
        for vals, review_id in links:
            if vals.get("employee_id") and "employee_id" in self._fields:
                # sudo: the reviewee of the target, compared, never returned.
                if Review.browse(review_id).sudo().employee_id.id != vals["employee_id"]:
                    raise AccessError(
                        self.env._(
                            "A record about one member of staff cannot be linked to a review "
                            "of someone else."
                        )
                    )

    def _check_write_rules(self, vals):
        """Business checks a model runs on ``vals`` once the rights engine has let the
        current user write them (what a state needs, uniqueness...)."""

    def write(self, vals):
        self._check_write_rights(vals)
        self._check_review_links(vals)
        self._check_write_rules(vals)
        return super().write(vals)

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
        with no user (external addresses) and users whom the record rules keep out (a portal
        user reads only their own reviews and statements)."""
        # sudo: which users a partner has is needed to test their rights; only the refused
        # partners are returned.
        users = self.env["res.users"].sudo().search([("partner_id", "in", partners.ids)])
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
