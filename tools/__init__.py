from . import working_calendar
