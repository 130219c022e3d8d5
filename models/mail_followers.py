from odoo import api, fields, models

from .hr_performance_guarded_mixin import performance_guard_domain, performance_unreadable_pairs


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    # Core has no record rule on followers: any user can list who follows any record. For
    # performance records (reviews, what belongs to them, training needs, performance
    # meetings) the list itself tells who is involved in a review, so a rule
    # (security/mail_followers_security.xml) shows those followers only to people who may
    # see the record (hr.performance.guarded.mixin).
    performance_document_readable = fields.Boolean(
        compute="_compute_performance_document_readable",
        search="_search_performance_document_readable",
    )

    @api.depends_context("uid")
    def _compute_performance_document_readable(self):
        refused = performance_unreadable_pairs(
            self.env, [(follower.res_model, follower.res_id) for follower in self]
        )
        for follower in self:
            follower.performance_document_readable = (
                follower.res_model,
                follower.res_id,
            ) not in refused

    def _search_performance_document_readable(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        readable = performance_guard_domain(self.env, "res_model", "res_id")
        positive = (operator == "in") == (True in value)
        return readable if positive else ~readable
