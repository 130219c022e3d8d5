"""Working-day and school-day arithmetic for one school, free of the ORM.

``res.company._performance_working_calendar()`` builds a :class:`WorkingCalendar` for a
school; every deadline of the addon is computed through it. The days worked are loaded
for a window of dates at a time (one call to ``resource.calendar``'s batch interval
methods, one query for school closures) and the window grows on demand, so counting never
costs a query per day.

``res.company._performance_working_calendars()`` builds them for many schools at once:
their calendars share a :class:`SharedDays`, which loads a window for every school of the
batch when the first of them needs it, so counting the deadlines of a trust's 50 schools
costs the queries of one.
"""

from collections import defaultdict
from datetime import timedelta
from functools import partial

WORKING = "working"
SCHOOL = "school"
KINDS = (WORKING, SCHOOL)

# How far around a requested date the days off are loaded at once.
WINDOW = timedelta(days=400)
# Give up when no working day is found in this many consecutive days: the calendar
# (weekends, holidays, closures) leaves no day to work on.
MAX_GAP = 3 * 366


class NoWorkingDayError(ValueError):
    """The calendar has no working (or school) day in a long stretch of dates."""


class WorkingCalendar:
    """Answers "is D a working day", "N working days after D" and "working days
    between D1 and D2" for one school.

    :param load_days: callable(date_from, date_to) -> (worked, pupil_free), two sets of
        dates in [date_from, date_to]: ``worked`` are the school's working days (its
        working schedule less public holidays and "school closed" closures, as
        ``resource`` and the school's closures answer them), ``pupil_free`` are working
        days without pupils (INSET days, holidays when staff work), which are therefore
        not school days;
    :param error_factory: callable(date) -> exception raised when no working day can be
        found near that date.
    """

    def __init__(self, load_days, error_factory=NoWorkingDayError):
        self._load_days = load_days
        self._error_factory = error_factory
        self._worked = set()
        self._pupil_free = set()
        self._loaded_from = None
        self._loaded_to = None
        self.load_count = 0

    # ------------------------------------------------------------------
    # Loading
    # ------------------------------------------------------------------
    def _load(self, date_from, date_to):
        worked, pupil_free = self._load_days(date_from, date_to)
        self._worked.update(worked)
        self._pupil_free.update(pupil_free)
        self.load_count += 1

    def _ensure_loaded(self, day):
        if self._loaded_from is None:
            self._loaded_from, self._loaded_to = day - WINDOW, day + WINDOW
            self._load(self._loaded_from, self._loaded_to)
        elif day < self._loaded_from:
            # Load from a window beyond the date: counting goes on in that direction.
            start = day - WINDOW
            self._load(start, self._loaded_from - timedelta(days=1))
            self._loaded_from = start
        elif day > self._loaded_to:
            end = day + WINDOW
            self._load(self._loaded_to + timedelta(days=1), end)
            self._loaded_to = end

    def preload(self, date_from, date_to):
        """Load the days off of [date_from, date_to] at once (before a batch)."""
        self._ensure_loaded(date_from)
        self._ensure_loaded(date_to)

    # ------------------------------------------------------------------
    # Questions
    # ------------------------------------------------------------------
    def is_working_day(self, day, kind=WORKING):
        """True when ``day`` is a working day (``kind='working'``) or a school day
        (``kind='school'``): school days are the working days with pupils."""
        if kind not in KINDS:
            raise ValueError(f"Unknown kind of day: {kind!r}")
        self._ensure_loaded(day)
        if day not in self._worked:
            return False
        return kind == WORKING or day not in self._pupil_free

    def add(self, day, days, kind=WORKING):
        """The ``days``-th working (or school) day after ``day``, or before it when
        ``days`` is negative; ``day`` itself is never counted. With ``days=0``: ``day``
        if it is a working day, else the next working day."""
        step = timedelta(days=1 if days >= 0 else -1)
        remaining = abs(days)
        current = day
        if remaining == 0:
            gap = 0
            while not self.is_working_day(current, kind):
                current += step
                gap += 1
                if gap > MAX_GAP:
                    raise self._error_factory(day)
            return current
        gap = 0
        while remaining:
            current += step
            if self.is_working_day(current, kind):
                remaining -= 1
                gap = 0
            else:
                gap += 1
                if gap > MAX_GAP:
                    raise self._error_factory(day)
        return current

    def between(self, date_from, date_to, kind=WORKING):
        """Working (or school) days in (date_from, date_to]: the first day excluded, the
        last included, so ``between(d, add(d, n)) == n``. Negative when date_to is
        before date_from."""
        if date_to < date_from:
            return -self.between(date_to, date_from, kind)
        self.preload(date_from, date_to)
        count = 0
        current = date_from + timedelta(days=1)
        while current <= date_to:
            if self.is_working_day(current, kind):
                count += 1
            current += timedelta(days=1)
        return count


class SharedDays:
    """The days of many schools, loaded together for :class:`WorkingCalendar`.

    A window of dates one school's calendar needs is loaded for every school of the batch
    in one call, so the other schools find it loaded; only the part of a window not
    loaded yet is asked for.

    :param load_all: callable(date_from, date_to) -> {key: (worked, pupil_free)} for
        every school of the batch (see :class:`WorkingCalendar` for the two sets).
    """

    def __init__(self, load_all):
        self._load_all = load_all
        self._worked = defaultdict(set)
        self._pupil_free = defaultdict(set)
        # Disjoint (first, last) ranges of dates loaded, for every school.
        self._loaded = []
        self.load_count = 0

    def loader(self, key):
        """The ``load_days`` callable of the :class:`WorkingCalendar` of school ``key``."""
        return partial(self._days, key)

    def _days(self, key, date_from, date_to):
        for first, last in self._missing(date_from, date_to):
            for school, (worked, pupil_free) in self._load_all(first, last).items():
                self._worked[school].update(worked)
                self._pupil_free[school].update(pupil_free)
            self._loaded.append((first, last))
            self.load_count += 1
        return (
            {day for day in self._worked.get(key, ()) if date_from <= day <= date_to},
            {day for day in self._pupil_free.get(key, ()) if date_from <= day <= date_to},
        )

    def _missing(self, date_from, date_to):
        """The ranges of [date_from, date_to] not loaded yet."""
        one_day = timedelta(days=1)
        missing, cursor = [], date_from
        for first, last in sorted(self._loaded):
            if cursor > date_to:
                break
            if last < cursor:
                continue
            if first > date_to:
                break
            if first > cursor:
                missing.append((cursor, first - one_day))
            cursor = last + one_day
        if cursor <= date_to:
            missing.append((cursor, date_to))
        return missing
