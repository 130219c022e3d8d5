from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.intervals import Intervals

from ..tools.working_calendar import SharedDays, WorkingCalendar


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

    def _performance_company_path(self):
        """The ids of the school and of the companies above it (its trust): their
        closures and their company-wide public holidays apply to the school."""
        self.ensure_one()
        path = [int(part) for part in (self.sudo().parent_path or "").split("/") if part]
        return path or [self.id]

    def _performance_load_days(self, date_from, date_to):
        """The days of every school of ``self`` in [date_from, date_to]:
        {school id: (worked, pupil_free)} (see :class:`WorkingCalendar`), in a fixed number
        of queries whatever the number of schools (issue 14: a trust's launch counts the
        deadlines of 50 schools).

        ``resource`` answers which days are worked — the working schedule less the public
        holidays of the schedule, or of no schedule in the school or its trust — as
        ``resource.calendar._work_intervals_batch`` does for one schedule (and
        ``_get_unusual_days`` for a flexible one): the schedule's attendance intervals less
        the leave intervals. Here the public holidays of all the schools are read in one
        search and each school subtracts its own, and the attendance intervals are computed
        once per distinct weekly schedule (every school has its own copy of the standard
        week). The school's closures (its own and its trust's) are this addon's layer on
        top, read in one search too."""
        # Working schedules, public holidays and closures are configuration, not
        # confidential: the deadlines of every reviewee depend on them.
        companies = self.sudo()
        calendar_of = {company: company._performance_resource_calendar() for company in companies}
        path_of = {company: company._performance_company_path() for company in companies}
        path_ids = sorted({id_ for path in path_of.values() for id_ in path})
        calendars = (
            self.env["resource.calendar"]
            .sudo()
            .browse(list(dict.fromkeys(calendar.id for calendar in calendar_of.values())))
        )
        # Each schedule's window, from midnight to midnight in its time zone.
        bounds = {}
        for calendar in calendars:
            tz = pytz.timezone(calendar.tz or "UTC")
            bounds[calendar] = (
                tz,
                tz.localize(datetime.combine(date_from, time.min)),
                tz.localize(datetime.combine(date_to, time.max)),
            )
        attendances = self._performance_attendance_intervals(
            calendars.filtered(lambda calendar: not calendar.flexible_hours), bounds
        )
        # The public holidays of every school, as resource reads them for one schedule:
        # time off of no employee, of the school's schedule or of no schedule in the
        # school's company path.
        first = min(start for _tz, start, _end in bounds.values())
        last = max(end for _tz, _start, end in bounds.values())
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(
                [
                    ("time_type", "=", "leave"),
                    ("resource_id", "=", False),
                    "|",
                    ("calendar_id", "in", calendars.ids),
                    "&",
                    ("calendar_id", "=", False),
                    ("company_id", "in", path_ids),
                    ("date_from", "<=", last.astimezone(pytz.utc).replace(tzinfo=None)),
                    ("date_to", ">=", first.astimezone(pytz.utc).replace(tzinfo=None)),
                ],
                ["calendar_id", "company_id", "date_from", "date_to"],
            )
        )
        closures = (
            self.env["hr.performance.school.closure"]
            .sudo()
            .search_fetch(
                [
                    ("company_id", "in", path_ids),
                    ("date_from", "<=", date_to),
                    ("date_to", ">=", date_from),
                ],
                ["company_id", "date_from", "date_to", "closure_type"],
            )
        )
        result = {}
        for company, calendar in calendar_of.items():
            path = set(path_of[company])
            tz, start, end = bounds[calendar]
            # The leave intervals resource's _leave_intervals_batch gives this schedule
            # with the school's leave domain.
            off = Intervals(
                (max(start, _utc(leave.date_from, tz)), min(end, _utc(leave.date_to, tz)), leave)
                for leave in leaves
                if (
                    leave.calendar_id == calendar
                    or (not leave.calendar_id and leave.company_id.id in path)
                )
            )
            if calendar.flexible_hours:
                # As resource does for flexible schedules: every day but time off.
                days_off = set()
                for off_from, off_to, _leave in off:
                    # An interval ending at midnight leaves the next day worked.
                    days_off.update(
                        _days(off_from.date(), (off_to - timedelta(microseconds=1)).date())
                    )
                worked = set(_days(date_from, date_to)) - days_off
            else:
                worked = {day_from.date() for day_from, _to, _meta in attendances[calendar] - off}
            pupil_free = set()
            for closure in closures:
                if closure.company_id.id not in path:
                    continue
                days = set(_days(max(closure.date_from, date_from), min(closure.date_to, date_to)))
                if closure.closure_type == "closed":
                    worked -= days
                else:
                    pupil_free |= days
            result[company.id] = (worked, pupil_free)
        return result

    @api.model
    def _performance_attendance_intervals(self, calendars, bounds):
        """{calendar: its attendance intervals over its window in ``bounds``}, computed by
        resource once per distinct weekly schedule: schedules with the same time zone, week
        mode and attendances (the fields _attendance_intervals_batch reads) have the same
        intervals. One search reads the attendances of all of them, as resource filters
        them."""
        attendances = (
            self.env["resource.calendar.attendance"]
            .sudo()
            .search_fetch(
                Domain.AND(
                    [
                        Domain("calendar_id", "in", calendars.ids),
                        Domain("display_type", "=", False),
                        Domain("day_period", "!=", "lunch"),
                    ]
                ),
                ["calendar_id", "dayofweek", "week_type", "hour_from", "hour_to"],
            )
        ).grouped("calendar_id")
        Attendance = self.env["resource.calendar.attendance"]
        tz = self.env.context.get("employee_timezone")
        by_schedule, result = {}, {}
        for calendar in calendars:
            schedule = (
                calendar.tz,
                calendar.two_weeks_calendar,
                tuple(
                    sorted(
                        (
                            attendance.dayofweek,
                            calendar.two_weeks_calendar and attendance.week_type,
                            attendance.hour_from,
                            attendance.hour_to,
                        )
                        for attendance in attendances.get(calendar, Attendance)
                    )
                ),
            )
            if schedule not in by_schedule:
                _tz, start, end = bounds[calendar]
                by_schedule[schedule] = calendar._attendance_intervals_batch(start, end, tz=tz)[
                    False
                ]
            result[calendar] = by_schedule[schedule]
        return result

    def _performance_working_calendars(self):
        """{school: :class:`WorkingCalendar`} for the schools of ``self``. Keep them for a
        whole batch: they load their days together, a window of dates at a time, for all
        the schools at once when the first of them needs it."""
        shared = SharedDays(self._performance_load_days)
        return {
            company: WorkingCalendar(shared.loader(company.id), company._performance_no_working_day)
            for company in self
        }

    def _performance_working_calendar(self):
        """The school's :class:`WorkingCalendar`. Keep it for a whole batch: it loads days
        off once per window of dates. For many schools, see
        :meth:`_performance_working_calendars`."""
        self.ensure_one()
        return self._performance_working_calendars()[self]

    def _performance_no_working_day(self, day):
        self.ensure_one()
        return UserError(
            self.env._(
                "%(school)s has no working day around %(date)s: check its working "
                "schedule, public holidays and school closures.",
                school=self.name,
                date=day,
            )
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


def _utc(value, tz):
    """A datetime stored by the ORM (naive, in UTC) in the time zone ``tz``."""
    return pytz.utc.localize(value).astimezone(tz)


def _days(first, last):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
