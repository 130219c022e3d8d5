from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class HrPerformanceAccessLog(models.Model):
    """A record of someone other than the reviewee opening, exporting or printing a review
    or a record that belongs to it. Written by the system only, read by HR and the reviewee."""

    _name = "hr.performance.access.log"
    _description = "Performance Review Access Log"
    _order = "create_date desc, id desc"
    _rec_name = "review_id"

    review_id = fields.Many2one(
        "hr.performance.review", required=True, index=True, ondelete="cascade", readonly=True
    )
    employee_id = fields.Many2one(related="review_id.employee_id", store=True, string="Reviewee")
    employee_user_id = fields.Many2one(related="review_id.employee_user_id", store=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Accessed By",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
    )
    access_type = fields.Selection(
        [("open", "Opened"), ("export", "Exported"), ("print", "Printed")],
        string="Access",
        required=True,
        readonly=True,
    )
    res_model = fields.Char(string="Record Type", required=True, readonly=True)
    res_id = fields.Many2oneReference(string="Record", model_field="res_model", readonly=True)
    record_description = fields.Char(
        string="What", compute="_compute_record_description", help="The kind of record accessed."
    )
    create_date = fields.Datetime(string="When", readonly=True, index=True)

    @api.depends("res_model")
    def _compute_record_description(self):
        for entry in self:
            # sudo: the model's label only
            model = self.env["ir.model"].sudo()._get(entry.res_model) if entry.res_model else False
            entry.record_description = model.name if model else entry.res_model

    @api.model
    def _create_entries(self, vals_list):
        """Append entries on behalf of the reader. The same user opening, exporting or
        printing the same record again within a minute counts once (a PDF renders its HTML
        first; a form may be read twice while it opens)."""
        if not vals_list:
            return
        if self.env.cr.readonly:
            # A read-only request (e.g. the direct PDF route served by a replica): record the
            # access in its own transaction on the primary database. Forms and exports run
            # in read/write requests (see the confidential mixin).
            with self.env.registry.cursor() as cr:
                self.with_env(self.env(cr=cr))._insert_entries(vals_list)
            return
        self._insert_entries(vals_list)

    @api.model
    def _insert_entries(self, vals_list):
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                """SELECT user_id, res_model, res_id, access_type FROM hr_performance_access_log
                    WHERE user_id IN %s AND create_date >= %s""",
                tuple({vals["user_id"] for vals in vals_list}),
                self.env.cr.now() - timedelta(minutes=1),
            )
        )
        existing = set(rows)
        new_vals = []
        for vals in vals_list:
            key = (vals["user_id"], vals["res_model"], vals["res_id"], vals["access_type"])
            if key not in existing:
                existing.add(key)
                new_vals.append(vals)
        # sudo: no one may create, change or delete log entries (see the access rights);
        # the system appends them on behalf of the reader.
        entries = self.sudo().create(new_vals)
        # Creating them filled the reviews' cached log lines as superuser: drop them, so
        # that the form being read shows the reader only the lines their rights allow.
        entries.review_id.invalidate_recordset(["access_log_ids"])
