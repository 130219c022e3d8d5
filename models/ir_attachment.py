from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from odoo.addons.base.models.ir_attachment import condition_values

from .hr_performance_guarded_mixin import (
    performance_guard_domain,
    performance_guarded_models,
    performance_unreadable_pairs,
)


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    # Core checks an attachment against its record's read access only. A performance
    # meeting is read by anyone as "Busy" (a private event), yet the invitation.ics Odoo
    # attaches to it names the meeting, its time and who attends: attachments of
    # performance records (hr.performance.guarded.mixin) follow the record's performance
    # content instead, for reading, searching and downloading (/web/content checks read
    # access through _check_access).

    # A public attachment is readable by anyone, whatever the record it belongs to: never
    # for the documents of a performance record.
    @api.constrains("public", "res_model", "res_id")
    def _check_performance_not_public(self):
        guarded = set(performance_guarded_models(self.env))
        for attachment in self:
            model = attachment.res_model
            if not (attachment.public and model in guarded):
                continue
            record = self.env[model].browse(attachment.res_id).exists()
            if not record or record._performance_sensitive():
                raise ValidationError(
                    self.env._(
                        "“%(name)s” belongs to a confidential performance record and cannot be "
                        "made public.",
                        name=attachment.name,
                    )
                )

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if self.env.su or not self:
            return result
        forbidden = result[0] if result else self.browse()
        remaining = self - forbidden
        if not remaining:
            return result
        # sudo: the target of each attachment is read to check the user's access to it.
        targets = {
            attachment.id: (attachment.res_model, attachment.res_id)
            for attachment in remaining.sudo()
        }
        refused = performance_unreadable_pairs(self.env, targets.values())
        if not refused:
            return result
        forbidden |= self.browse(aid for aid, target in targets.items() if target in refused)
        return forbidden, lambda: self.env["ir.rule"]._make_access_error(operation, forbidden)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, *, bypass_access=False, **kwargs):
        if not (self.env.su or bypass_access):
            domain = Domain(domain)
            domain &= performance_guard_domain(
                self.env, "res_model", "res_id", condition_values(self, "res_model", domain)
            )
        return super()._search(domain, offset, limit, order, bypass_access=bypass_access, **kwargs)
