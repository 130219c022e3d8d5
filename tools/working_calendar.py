"""Working-day and school-day arithmetic for one school, free of the ORM.

``res.company._performance_working_calendar()`` builds a :class:`WorkingCalendar` for a
school; every deadline of the addon is computed through it. The days worked are loaded
for a window of dates at a time (one call to ``resource.calendar``'s batch interval
methods, one query for school closures) and the window grows on demand, so counting never
costs a query per day.
"""

from datetime import timedelta

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
