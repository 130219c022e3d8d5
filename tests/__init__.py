from . import test_working_days
from . import test_deadlines
from . import test_deadline_cron
from . import test_meetings
from . import test_observations
from . import test_training_needs
from . import test_process_forms
