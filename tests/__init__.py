from . import test_cycle_launch
from . import test_review_workflow
from . import test_objective
from . import test_reviewer_change
from . import test_launch_queries
