from . import hr_performance_review_reassign
from . import hr_performance_deadline_waive
from . import hr_performance_training_audit
from . import hr_performance_signature_sign
from . import hr_performance_moderation_revise
from . import hr_performance_review_restart
from . import hr_performance_concern_extend
from . import hr_performance_policy_preset_apply
