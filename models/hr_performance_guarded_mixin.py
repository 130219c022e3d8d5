from odoo import api, models
from odoo.fields import Domain


class HrPerformanceGuardedMixin(models.AbstractModel):
    """A model whose records can carry performance information in what hangs off them:
    followers, chatter messages and attachments (ir.attachment, mail.message and
    mail.followers point at a record through a model name and an id, which core checks
    against the record's own read access only).

    Every confidential record (reviews, objectives, observations), the training needs and
    the performance meetings use it. What hangs off a record is shown only to people who may
    see the record's performance content: :meth:`_performance_readable_domain` says which
    records those are for the current user (by default those they can read; a meeting,
    which anyone reads as "Busy", follows its review) and :meth:`_performance_sensitive`
    which records hold such content at all.

    A model pointing at a review, an objective or an observation that inherits
    ``mail.thread`` must use this mixin: ``tests/test_leak_paths_meetings.py`` fails
    otherwise.
    """

    _name = "hr.performance.guarded.mixin"
    _description = "Record Guarding Its Followers, Messages and Attachments"

    # Marks the model for the followers rule, the message and the attachment checks.
    _performance_guarded = True

    @api.model
    def _performance_readable_domain(self):
        """A domain on this model matching the records whose followers, messages and
        attachments the current user may see (evaluated with the user's rights even when
        called from a record rule, which runs as superuser)."""
        model = self.sudo(False).with_context(active_test=False)
        if not model.has_access("read"):
            return Domain.FALSE
        return Domain("id", "in", model._search([]))

    def _performance_filter_readable(self):
        """The records of ``self`` whose followers, messages and attachments the current
        user may see."""
        return self.sudo(False)._filtered_access("read")

    def _performance_sensitive(self):
        """The records of ``self`` that hold performance information."""
        return self


def performance_guarded_models(env):
    """Names of the guarded models (see ``hr.performance.guarded.mixin``)."""
    return [
        name
        for name, model in env.registry.items()
        if not model._abstract and getattr(model, "_performance_guarded", False)
    ]


def performance_guard_domain(env, model_field, id_field, model_names=None):
    """A domain on a model that points at records through ``model_field`` (a model name)
    and ``id_field`` (an id), matching the rows that point at no guarded record or at a
    guarded record the current user may see. ``model_names`` restricts the guard to the
    models a search can reach (None: every guarded model)."""
    guarded = performance_guarded_models(env)
    if model_names is not None:
        guarded = [name for name in guarded if name in set(model_names)]
    if not guarded:
        return Domain.TRUE
    # The guard is a subquery on other tables (the records and their rules' fields), which
    # the caller's raw SQL (mail.message._search) does not flush: a record just created
    # or changed must be seen as it is.
    env.flush_all()
    domain = Domain(model_field, "not in", guarded)
    for name in guarded:
        model = env[name]
        # sudo: the readable domain carries the user's own rights (subqueries built with
        # sudo(False)); the outer search only turns it into ids.
        readable = (
            model.sudo()
            .with_context(active_test=False)
            ._search(model._performance_readable_domain())
        )
        domain |= Domain(model_field, "=", name) & Domain(id_field, "in", readable)
    return domain


def performance_unreadable_pairs(env, pairs):
    """The (model, id) pairs of ``pairs`` that point at a guarded record the current user
    may not see."""
    guarded = set(performance_guarded_models(env))
    by_model = {}
    for model_name, res_id in pairs:
        if model_name in guarded and res_id:
            by_model.setdefault(model_name, set()).add(res_id)
    refused = set()
    for model_name, res_ids in by_model.items():
        records = env[model_name].browse(res_ids).exists()
        readable = set(records._performance_filter_readable().ids)
        refused.update((model_name, res_id) for res_id in res_ids if res_id not in readable)
    return refused
