from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._performance_resync_deadlines()
        return leaves

    def write(self, vals):
        companies = self._performance_companies()
        res = super().write(vals)
        if {"date_from", "date_to", "calendar_id", "resource_id", "time_type", "company_id"} & set(
            vals
        ):
            self._performance_resync_deadlines(companies)
        return res

    def unlink(self):
        # Not a deletion guard: deadlines counted across a removed public holiday move.
        companies = self._performance_companies()
        res = super().unlink()
        self.env["hr.performance.deadline"]._sync_for_companies(companies)
        return res

    def _performance_companies(self):
        """Schools whose working days these public holidays change."""
        public = self.filtered(lambda leave: not leave.resource_id)
        if not public:
            return self.env["res.company"]
        calendars = public.calendar_id
        companies = public.filtered(lambda leave: not leave.calendar_id).company_id
        if calendars:
            # Every school on these schedules, including those the user is not logged in
            # to: their deadlines move too. Only the ids are used.
            companies |= (
                self.env["res.company"]
                .sudo()
                .search([("resource_calendar_id", "in", calendars.ids)])
            )
        return companies

    def _performance_resync_deadlines(self, extra_companies=None):
        companies = self._performance_companies() | (extra_companies or self.env["res.company"])
        if companies:
            self.env["hr.performance.deadline"]._sync_for_companies(companies)
