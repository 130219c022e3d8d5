from odoo import api, fields, models
from odoo.fields import Domain


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    # Core has no record rule on followers: any user can list who follows any record. For
    # confidential performance records the list itself tells who is involved in a review, so
    # a rule (security/mail_followers_security.xml) shows those followers only to people who
    # can read the record.
    performance_document_readable = fields.Boolean(
        compute="_compute_performance_document_readable",
        search="_search_performance_document_readable",
    )

    @api.model
    def _performance_confidential_models(self):
        return [
            name
            for name, model in self.env.registry.items()
            if not model._abstract and getattr(model, "_performance_confidential", False)
        ]

    @api.depends_context("uid")
    def _compute_performance_document_readable(self):
        confidential = set(self._performance_confidential_models())
        for follower in self:
            if follower.res_model not in confidential:
                follower.performance_document_readable = True
                continue
            record = self.env[follower.res_model].sudo(False).browse(follower.res_id)
            follower.performance_document_readable = bool(record._filtered_access("read"))

    def _search_performance_document_readable(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        confidential = self._performance_confidential_models()
        readable = Domain("res_model", "not in", confidential)
        for model_name in confidential:
            # Rules are evaluated as superuser; the user's own rights decide here.
            model = self.env[model_name].sudo(False)
            if model.has_access("read"):
                readable |= Domain("res_model", "=", model_name) & Domain(
                    "res_id", "in", model.with_context(active_test=False)._search([])
                )
        positive = (operator == "in") == (True in value)
        return readable if positive else ~readable
