from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        """Land a trust-level user on their schools.

        The web client activates the companies listed in the ``cids`` cookie and, when
        there is none (first visit, or after logging out), only the user's default
        company. For someone whose default company is a trust that is the one company
        that holds no reviews: every list would be empty until they ticked the schools in
        the company switcher. So, when the browser has no ``cids`` cookie yet, activate the
        default company together with the schools under it that the user may access; the
        user's own later choice (the cookie) is left alone."""
        info = super().session_info()
        companies = info.get("user_companies")
        if not (companies and request and request.future_response):
            return info
        if request.httprequest.cookies.get("cids"):
            return info
        cids = self._performance_landing_company_ids(companies)
        if len(cids) > 1:
            request.future_response.set_cookie("cids", "-".join(map(str, cids)))
        return info

    def _performance_landing_company_ids(self, user_companies):
        """The default company first, then its descendants among the allowed companies."""
        default = user_companies["current_company"]
        allowed = user_companies["allowed_companies"]
        landing, todo = [default], [default]
        while todo:
            children = [
                child
                for child in allowed.get(todo.pop(), {}).get("child_ids", [])
                if child in allowed and child not in landing
            ]
            landing += sorted(children)
            todo += children
        return [landing[0], *sorted(landing[1:])]
