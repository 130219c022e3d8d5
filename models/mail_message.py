from odoo import models
from odoo.fields import Domain

from odoo.addons.base.models.ir_attachment import condition_values

from .hr_performance_guarded_mixin import performance_guard_domain, performance_unreadable_pairs


class MailMessage(models.Model):
    _inherit = "mail.message"

    # Core lets the author, the recipients and whoever was notified read a message for ever,
    # whatever becomes of their access to the record it was posted on. On performance
    # records (hr.performance.guarded.mixin) the chatter is readable only while the record
    # is: a replaced reviewer, a reviewer past the access period or an expired grantee no
    # longer reads the review's messages, by search, by id or through the web client's
    # /mail routes (which search and read as the user).

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if operation not in ("read", "write") or self.env.su or not self:
            return result
        forbidden = result[0] if result else self.browse()
        remaining = self - forbidden
        if not remaining:
            return result
        # sudo: the target of each message is read to check the user's access to it.
        targets = {message.id: (message.model, message.res_id) for message in remaining.sudo()}
        refused = performance_unreadable_pairs(self.env, targets.values())
        if not refused:
            return result
        forbidden |= self.browse(mid for mid, target in targets.items() if target in refused)
        return forbidden, lambda: forbidden._make_access_error(operation)

    def _search(self, domain, offset=0, limit=None, order=None, *, bypass_access=False, **kwargs):
        if not (self.env.is_superuser() or bypass_access):
            domain = Domain(domain)
            guard = performance_guard_domain(
                self.env, "model", "res_id", condition_values(self, "model", domain)
            )
            domain &= guard
        return super()._search(domain, offset, limit, order, bypass_access=bypass_access, **kwargs)
