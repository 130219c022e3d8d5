from odoo import api, models, tools
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.orm.domains import DomainAnd, DomainCondition


class MailActivity(models.Model):
    _inherit = "mail.activity"

    # Core lets a user read every activity assigned to them, even on a record they cannot
    # read. On confidential performance records (reviews and what belongs to them) that
    # would show the summary, the note and the record's name to a replaced reviewer or to
    # someone the activity was wrongly given to: there, reading an activity requires reading
    # the record, and an activity can only be given to someone who can read the record.

    def _is_performance_confidential(self):
        self.ensure_one()
        model = self.res_model
        return bool(
            model
            and model in self.env
            and getattr(self.env[model], "_performance_confidential", False)
        )

    @api.constrains("user_id", "res_model", "res_id")
    def _check_performance_assignee(self):
        # One access check per (model, assignee), not per activity: a cycle launch assigns
        # hundreds of activities to a handful of reviewers.
        pairs = [
            (self.env[activity.res_model].browse(activity.res_id), activity.user_id)
            for activity in self.filtered(lambda a: a.user_id and a.res_id and a.active)
            if activity._is_performance_confidential()
        ]
        readable = self.env["hr.performance.deadline"]._readable_by(pairs)
        for record, user in pairs:
            if (record, user) not in readable:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot see %(record)s, so they cannot be given an activity on "
                        "it. Ask the headteacher or HR to grant them access first.",
                        user=user.name,
                        # Named only to a caller who reads it: ids tried one by one must
                        # not list the reviews of the trust.
                        record=record.sudo(False)._performance_name_for_caller(),
                    )
                )

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if operation != "read" or self.env.su or not self:
            return result
        forbidden = result[0] if result else self.browse()
        unreadable = (self - forbidden)._performance_unreadable()
        if not unreadable:
            return result
        forbidden |= unreadable
        return forbidden, lambda: forbidden._make_access_error(operation)

    @api.model
    @tools.ormcache()
    def _performance_confidential_models(self):
        """The models whose activities are filtered by the access to their record (the
        registry's, cached per process: models only change with the registry)."""
        return frozenset(
            name
            for name, model in self.env.registry.items()
            if getattr(model, "_performance_confidential", False) and not model._abstract
        )

    @api.model
    def _performance_confidential_models_in(self, domain):
        """The confidential models whose activities ``domain`` may find: those its
        top-level ``res_model`` conditions allow (every app's own activity searches name
        their model, which is seldom one of these)."""
        models = self._performance_confidential_models()
        domain = Domain(domain)
        conditions = domain.children if isinstance(domain, DomainAnd) else [domain]
        for condition in conditions:
            if not isinstance(condition, DomainCondition) or condition.field_expr != "res_model":
                continue
            if condition.operator in ("=", "in"):
                value = condition.value
                models &= {value} if isinstance(value, str) else set(value or ())
        return models

    def _search(self, domain, offset=0, limit=None, order=None, *, bypass_access=False, **kwargs):
        query = super()._search(domain, offset, limit, order, bypass_access=bypass_access, **kwargs)
        if self.env.is_superuser() or bypass_access:
            return query
        # Only where confidential records may be among the results (issue 14: this check
        # ran on every activity search of every app).
        if not self._performance_confidential_models_in(domain):
            return query
        activities = self.browse(query.get_result_ids())
        # Core already left out the activities on records the user cannot read, but for
        # those assigned to the user: only those are checked here.
        # sudo: the assignee of the activities found, to know which core let through.
        mine = activities.sudo().filtered(lambda a: a.user_id.id == self.env.uid)
        unreadable = mine.sudo(False)._performance_unreadable()
        if not unreadable:
            return query
        return (activities - unreadable)._as_query(ordered=True)

    def _performance_unreadable(self):
        """The activities of ``self`` on confidential performance records that the current
        user cannot read."""
        unreadable = self.browse()
        # sudo: the activities' target is read to check the user's access to it.
        by_model = {}
        for activity in self.sudo():
            if activity._is_performance_confidential():
                by_model.setdefault(activity.res_model, []).append(activity)
        for model, activities in by_model.items():
            records = self.env[model].browse({a.res_id for a in activities})
            readable = set(records._filtered_access("read").ids)
            unreadable |= self.browse(a.id for a in activities if a.res_id not in readable)
        return unreadable
