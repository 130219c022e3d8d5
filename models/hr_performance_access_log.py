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
        # One INSERT … SELECT (issue 14: the log of an opening costs at most two queries):
        # the reviewee, their user and the school are copied from the review in the same
        # statement, rather than written by a recompute of the stored related fields after
        # the INSERT, and a repeat within the minute is skipped by the same statement.
        # Only the review's columns are flushed (a review created in this transaction).
        self.env["hr.performance.review"].flush_model(
            ["employee_id", "employee_user_id", "company_id"]
        )
        rows, seen = [], set()
        for vals in vals_list:
            key = (vals["review_id"], vals["user_id"], vals["res_model"], vals["res_id"])
            key += (vals["access_type"],)
            if key not in seen:
                seen.add(key)
                rows.append(SQL("(%s, %s, %s, %s, %s)", *key))
        now = self.env.cr.now()
        ids = self.env.execute_query(
            SQL(
                """INSERT INTO hr_performance_access_log
                        (review_id, employee_id, employee_user_id, company_id, user_id,
                         res_model, res_id, access_type,
                         create_uid, create_date, write_uid, write_date)
                   SELECT r.id, r.employee_id, r.employee_user_id, r.company_id, v.user_id,
                          v.res_model, v.res_id, v.access_type, %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM (VALUES %(rows)s) AS v(review_id, user_id, res_model, res_id, access_type)
                     JOIN hr_performance_review r ON r.id = v.review_id
                    WHERE NOT EXISTS (
                          SELECT 1 FROM hr_performance_access_log l
                           WHERE l.user_id = v.user_id AND l.res_model = v.res_model
                             AND l.res_id = v.res_id AND l.access_type = v.access_type
                             AND l.create_date >= %(since)s)
                RETURNING id""",
                uid=self.env.uid,
                now=now,
                rows=SQL(", ").join(rows),
                since=now - timedelta(minutes=1),
            )
        )
        if ids:
            # Rows written by SQL: what the ORM cached of the log is stale. The reviews'
            # cached log lines are kept: the form being opened shows the lines as they were
            # when it was read (the opening it records shows from the next reading on).
            self.invalidate_model()
