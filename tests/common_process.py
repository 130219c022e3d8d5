from datetime import date, datetime, time, timedelta

import pytz

from odoo.fields import Command
from odoo.tests import new_test_user

from .common import SchoolPerformanceCase

LONDON = pytz.timezone("Europe/London")

# Bank holidays of England and Wales.
BANK_HOLIDAYS = (
    date(2026, 1, 1),
    date(2026, 4, 3),
    date(2026, 4, 6),
    date(2026, 5, 4),
    date(2026, 5, 25),
    date(2026, 8, 31),
    date(2026, 12, 25),
    date(2026, 12, 28),
    date(2027, 1, 1),
    date(2027, 3, 26),
    date(2027, 3, 29),
    date(2027, 5, 3),
    date(2027, 5, 31),
    date(2027, 8, 30),
    date(2027, 12, 27),
    date(2027, 12, 28),
)
# Test Primary School's year 2026–27: (name, first day, last day, type).
CLOSURES = (
    ("INSET days", date(2026, 9, 1), date(2026, 9, 2), "no_pupils"),
    ("Autumn half-term", date(2026, 10, 26), date(2026, 10, 30), "closed"),
    ("INSET day", date(2026, 11, 2), date(2026, 11, 2), "no_pupils"),
    ("Christmas holiday", date(2026, 12, 21), date(2027, 1, 1), "closed"),
    ("INSET day", date(2027, 1, 4), date(2027, 1, 4), "no_pupils"),
    ("February half-term", date(2027, 2, 15), date(2027, 2, 19), "closed"),
    ("Easter holiday", date(2027, 3, 29), date(2027, 4, 9), "closed"),
    ("May half-term", date(2027, 5, 31), date(2027, 6, 4), "closed"),
    ("Summer holiday", date(2027, 7, 23), date(2027, 8, 31), "closed"),
)


def london(day, hour=10, minute=0):
    """A naive UTC datetime, as the ORM stores it, for a London wall-clock time."""
    local = LONDON.localize(datetime.combine(day, time(hour, minute)))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


class SchoolProcessCase(SchoolPerformanceCase):
    """The foundation's trust and school, with the school's working calendar (Monday to
    Friday, London time), the bank holidays of England and the school's closures, a
    headteacher appointed, e-mail addresses for everyone and a launched cycle."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "School week", "tz": "Europe/London", "company_id": cls.school.id}
        )
        cls.school.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "performance_headteacher_id": cls.headteacher_user.id,
                "email": "office@test-primary.example.com",
            }
        )
        cls.env["resource.calendar.leaves"].create(
            [
                {
                    "name": f"Bank holiday {day}",
                    "calendar_id": cls.calendar.id,
                    "date_from": london(day, 0, 0),
                    "date_to": london(day, 23, 59),
                }
                for day in BANK_HOLIDAYS
            ]
        )
        cls.closures = cls.env["hr.performance.school.closure"].create(
            [
                {
                    "name": name,
                    "company_id": cls.school.id,
                    "date_from": first,
                    "date_to": last,
                    "closure_type": kind,
                }
                for name, first, last, kind in CLOSURES
            ]
        )
        for user, email in (
            (cls.reviewer_user, "maria@test-primary.example.com"),
            (cls.reviewee_user, "tom@test-primary.example.com"),
            (cls.headteacher_user, "helen@test-primary.example.com"),
            (cls.hr_officer, "hr@test-trust.example.com"),
        ):
            user.email = email
        cls.manager.job_title = "Inclusion Manager"
        (
            cls.manager | cls.head | cls.ta_1 | cls.ta_2 | cls.deputy
        ).resource_calendar_id = cls.calendar
        cls.ta_2.work_email = "tina@test-primary.example.com"

    def _make_user(self, login, groups="base.group_user", company=None):
        company = company or self.school
        return new_test_user(
            self.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            email=f"{login}@test-primary.example.com",
        )

    def _launched_review(self, employee=None, start=date(2026, 9, 1)):
        """Launch the fixture cycle (once) and return the review of ``employee``."""
        cycle = self.env["hr.performance.cycle"].search(
            [
                ("job_group_id", "=", self.job_group.id),
                ("company_id", "=", self.school.id),
                ("date_start", "=", start),
            ]
        )
        if not cycle:
            cycle = self._create_cycle(start=start, end=start + timedelta(days=364))
        if cycle.state == "draft":
            self._launch(cycle)
        return cycle.review_ids.filtered(lambda r: r.employee_id == (employee or self.ta_1))

    def _deadline(self, review, kind, observation=None):
        return review.deadline_ids.filtered(
            lambda d: d.kind == kind and d.observation_id == (observation or d.observation_id)
        )

    def _book(self, review, when, kind="planning", user=None, **extra):
        """Book a performance meeting the way the review form does: the calendar with the
        review's defaults, as the reviewer."""
        user = user or self.reviewer_user
        action = (
            review.with_user(user).with_context(performance_meeting_kind=kind).action_book_meeting()
        )
        context = {
            key: value for key, value in action["context"].items() if key.startswith("default_")
        }
        vals = {"start": when, "stop": when + timedelta(hours=1), **extra}
        return self.env["calendar.event"].with_user(user).with_context(**context).create(vals)
