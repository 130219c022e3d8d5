from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.working_calendar import WorkingCalendar


class ResCompany(models.Model):
    _inherit = "res.company"

    performance_reviewee_cap = fields.Integer(
        string="Maximum Reviewees per Reviewer",
        help="Number of reviewees one reviewer may carry in a cycle at this school. "
        "Assigning more shows a warning to the person assigning. 0 means no cap.",
    )
    performance_reviewer_access_months = fields.Integer(
        string="Reviewer Access after Completion (months)",
        default=6,
        help="How long a reviewer keeps reading a review they completed, e.g. to prepare the "
        "next planning meeting or answer an informal appeal. 0 ends it on completion. A "
        "replaced reviewer loses access at once; HR can grant access explicitly when needed.",
    )
    performance_headteacher_id = fields.Many2one(
        "res.users",
        string="Headteacher / CEO",
        domain="[('share', '=', False)]",
        help="Receives the overdue deadlines of this school's reviews and moderates the "
        "statements. Left empty, the headteacher of the parent company (the trust's CEO) "
        "is used.",
    )
    performance_cpd_leader_id = fields.Many2one(
        "res.users",
        string="CPD Leader",
        domain="[('share', '=', False)]",
        help="Receives the training and development needs of this school's staff (never the "
        "reviews) and prepares the October training audit.",
    )
    performance_activity_lead_days = fields.Integer(
        string="To-Do Lead Time (working days)",
        default=5,
        help="A deadline becomes a to-do (activity) for the person who must act this many "
        "working days before it is due.",
    )
    performance_reminder_days = fields.Integer(
        string="Reminder (working days before)",
        default=2,
        help="An e-mail reminder is sent this many working days before a deadline.",
    )
    performance_closure_ids = fields.One2many(
        "hr.performance.school.closure", "company_id", string="School Closures"
    )

    _check_performance_reviewee_cap = models.Constraint(
        "CHECK(performance_reviewee_cap >= 0)",
        "The maximum number of reviewees per reviewer cannot be negative.",
    )
    _check_performance_reviewer_access_months = models.Constraint(
        "CHECK(performance_reviewer_access_months >= 0)",
        "The reviewer's access period after completion cannot be negative.",
    )

    @api.constrains("performance_headteacher_id")
    def _check_performance_headteacher(self):
        # Overdue deadlines are escalated to this user as activities on the reviews: they
        # must be able to read every review of the school.
        group = "hr_school_performance.hr_school_performance_group_headteacher"
        for company in self:
            user = company.performance_headteacher_id
            if user and not user.has_group(group):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot be the headteacher of %(school)s for performance "
                        "management: give them the School Performance Headteacher role first.",
                        user=user.name,
                        school=company.name,
                    )
                )

    @api.constrains("performance_activity_lead_days", "performance_reminder_days")
    def _check_performance_reminder_days(self):
        for company in self:
            for fname in ("performance_activity_lead_days", "performance_reminder_days"):
                if company[fname] <= 0:
                    raise ValidationError(
                        self.env._(
                            "“%(setting)s” of %(school)s must be a positive number of working "
                            "days (got %(value)s).",
                            setting=company._fields[fname].get_description(self.env)["string"],
                            school=company.name,
                            value=company[fname],
                        )
                    )

    def write(self, vals):
        res = super().write(vals)
        if {
            "resource_calendar_id",
            "performance_activity_lead_days",
            "performance_reminder_days",
        } & set(vals):
            self.env["hr.performance.deadline"]._sync_for_companies(self)
        return res

    # ------------------------------------------------------------------
    # Working days: the one source of truth for every deadline
    # ------------------------------------------------------------------
    def _performance_tz(self):
        self.ensure_one()
        return pytz.timezone(self.resource_calendar_id.tz or self.partner_id.tz or "UTC")

    def _performance_local_date(self, value):
        """The date, at this school, of a UTC datetime as stored by the ORM."""
        self.ensure_one()
        if not value:
            return False
        if not isinstance(value, datetime):
            return value
        return fields.Datetime.context_timestamp(
            self.with_context(tz=self._performance_tz().zone), value
        ).date()

    def _performance_resource_calendar(self):
        """The working schedule the school's working days come from: its own, else the
        standard 40-hour week of ``resource``."""
        self.ensure_one()
        # Working schedules are configuration, not confidential: the deadlines of every
        # reviewee depend on them, whoever's action moves them.
        return (self.resource_calendar_id or self.env.ref("resource.resource_calendar_std")).sudo()

    def _performance_days_loader(self):
        """A callable(date_from, date_to) -> (worked, pupil_free) loading this school's
        days (see :class:`WorkingCalendar`). ``resource`` answers which days are worked —
        the working schedule less the public holidays of the schedule, or of no schedule
        in the school or its trust — in one batch call per window, as
        ``resource.calendar._get_unusual_days`` does; the school's closures (its own and
        its trust's) are this addon's layer on top."""
        self.ensure_one()
        calendar = self._performance_resource_calendar()
        # The school and the companies above it (its trust): their closures and their
        # company-wide public holidays apply.
        company_ids = [int(part) for part in (self.sudo().parent_path or "").split("/") if part]
        company_ids = company_ids or [self.id]
        tz = pytz.timezone(calendar.tz or "UTC")
        leave_domain = [
            ("time_type", "=", "leave"),
            "|",
            ("calendar_id", "!=", False),
            ("company_id", "in", company_ids),
        ]
        # Closures are not confidential and every deadline depends on them: dates only.
        Closure = self.env["hr.performance.school.closure"].sudo()

        def load(date_from, date_to):
            start = tz.localize(datetime.combine(date_from, time.min))
            end = tz.localize(datetime.combine(date_to, time.max))
            if calendar.flexible_hours:
                # As resource does for flexible schedules: every day but time off.
                off = set()
                for first, last, _leave in calendar._leave_intervals_batch(
                    start, end, domain=leave_domain
                )[False]:
                    # An interval ending at midnight leaves the next day worked.
                    off.update(_days(first.date(), (last - timedelta(microseconds=1)).date()))
                worked = set(_days(date_from, date_to)) - off
            else:
                intervals = calendar._work_intervals_batch(start, end, domain=leave_domain)
                worked = {first.date() for first, _last, _meta in intervals[False]}
            pupil_free = set()
            closures = Closure.search_fetch(
                [
                    ("company_id", "in", company_ids),
                    ("date_from", "<=", date_to),
                    ("date_to", ">=", date_from),
                ],
                ["date_from", "date_to", "closure_type"],
            )
            for closure in closures:
                days = set(_days(max(closure.date_from, date_from), min(closure.date_to, date_to)))
                if closure.closure_type == "closed":
                    worked -= days
                else:
                    pupil_free |= days
            return worked, pupil_free

        return load

    def _performance_working_calendar(self):
        """The school's :class:`WorkingCalendar`. Keep it for a whole batch: it loads days
        off once per window of dates."""
        self.ensure_one()
        company = self

        def no_working_day(day):
            return UserError(
                company.env._(
                    "%(school)s has no working day around %(date)s: check its working "
                    "schedule, public holidays and school closures.",
                    school=company.name,
                    date=day,
                )
            )

        return WorkingCalendar(self._performance_days_loader(), no_working_day)

    def _performance_add_working_days(self, day, days, kind="working"):
        """The ``days``-th working day (``kind='working'``) or school day
        (``kind='school'``) after ``day`` at this school, before it when negative."""
        return self._performance_working_calendar().add(day, days, kind)

    def _performance_working_days_between(self, date_from, date_to, kind="working"):
        """Working (or school) days in (date_from, date_to] at this school."""
        return self._performance_working_calendar().between(date_from, date_to, kind)

    def _performance_is_working_day(self, day, kind="working"):
        return self._performance_working_calendar().is_working_day(day, kind)

    def _performance_escalation_user(self):
        """The headteacher of this school, else of the nearest parent (the trust's CEO)."""
        self.ensure_one()
        company = self
        while company:
            if company.performance_headteacher_id:
                return company.performance_headteacher_id
            company = company.parent_id
        return self.env["res.users"]


def _days(first, last):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
