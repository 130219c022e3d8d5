from . import test_working_days
from . import test_deadlines
from . import test_deadline_cron
