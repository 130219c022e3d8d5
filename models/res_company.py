from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.working_calendar import WorkingCalendar

MONDAY_TO_FRIDAY = frozenset(range(5))


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
            self.env["hr.performance.review"]._resync_deadlines(self)
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
        return pytz.utc.localize(value).astimezone(self._performance_tz()).date()

    def _performance_is_work_weekday(self):
        """A callable telling whether the school's working schedule has attendance on the
        weekday of a date (two-week schedules included). Flexible or empty schedules
        work Monday to Friday."""
        self.ensure_one()
        calendar = self.resource_calendar_id.sudo()
        attendances = calendar.attendance_ids.filtered(lambda a: not a.display_type)
        if not calendar or calendar.flexible_hours or not attendances:
            return lambda day: day.weekday() in MONDAY_TO_FRIDAY
        by_week = {}
        for attendance in attendances:
            by_week.setdefault(attendance.week_type, set()).add(int(attendance.dayofweek))
        if not calendar.two_weeks_calendar:
            weekdays = frozenset(by_week.get(False, set()).union(*by_week.values()))
            return lambda day: day.weekday() in weekdays
        get_week_type = self.env["resource.calendar.attendance"].get_week_type
        return lambda day: day.weekday() in by_week.get(str(get_week_type(day)), ())

    def _performance_days_off(self, date_from, date_to):
        """Days off of this school in [date_from, date_to], in two queries.

        Returns ``(closed, pupil_free)``: public holidays (Odoo's global time off without a
        resource, on the school's schedule or on all schedules of the school or its trust)
        and "school closed" closures are neither working nor school days; "no pupils"
        closures (INSET days...) are working days but not school days."""
        self.ensure_one()
        return self._performance_days_off_loader()(date_from, date_to)

    def _performance_days_off_loader(self):
        """A callable(date_from, date_to) loading this school's days off. What it needs of
        the school (time zone, schedule, trust) is read now, so each load is exactly one
        query for public holidays and one for closures."""
        self.ensure_one()
        tz = self._performance_tz()
        calendar_id = self.resource_calendar_id.id
        # The school and the companies above it (its trust): their closures apply.
        company_ids = [int(part) for part in (self.sudo().parent_path or "").split("/") if part]
        company_ids = company_ids or [self.id]
        # Public holidays and closures are not confidential and every deadline of every
        # reviewee depends on them: read them as superuser, dates only.
        Leave = self.env["resource.calendar.leaves"].sudo()
        Closure = self.env["hr.performance.school.closure"].sudo()

        def load(date_from, date_to):
            start = tz.localize(datetime.combine(date_from, time.min)).astimezone(pytz.utc)
            end = tz.localize(datetime.combine(date_to, time.max)).astimezone(pytz.utc)
            leaves = Leave.search_fetch(
                [
                    ("resource_id", "=", False),
                    ("time_type", "=", "leave"),
                    ("date_from", "<=", end.replace(tzinfo=None)),
                    ("date_to", ">=", start.replace(tzinfo=None)),
                    "|",
                    ("calendar_id", "=", calendar_id),
                    "&",
                    ("calendar_id", "=", False),
                    ("company_id", "in", company_ids),
                ],
                ["date_from", "date_to"],
            )
            closed, pupil_free = set(), set()
            for leave in leaves:
                first = pytz.utc.localize(leave.date_from).astimezone(tz)
                last = pytz.utc.localize(leave.date_to).astimezone(tz)
                last_day = last.date()
                if last.time() == time.min and last_day > first.date():
                    last_day -= timedelta(days=1)  # ends at midnight: the next day is not off
                closed.update(_days(max(first.date(), date_from), min(last_day, date_to)))
            closures = Closure.search_fetch(
                [
                    ("company_id", "in", company_ids),
                    ("date_from", "<=", date_to),
                    ("date_to", ">=", date_from),
                ],
                ["date_from", "date_to", "closure_type"],
            )
            for closure in closures:
                days = _days(max(closure.date_from, date_from), min(closure.date_to, date_to))
                (closed if closure.closure_type == "closed" else pupil_free).update(days)
            return closed, pupil_free

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

        return WorkingCalendar(
            self._performance_is_work_weekday(),
            self._performance_days_off_loader(),
            no_working_day,
        )

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
