from . import hr_performance_review_reassign
from . import hr_performance_deadline_waive
from . import hr_performance_training_audit
from . import hr_performance_policy_preset_apply
