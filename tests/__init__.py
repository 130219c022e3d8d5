from . import test_permission_matrix
from . import test_field_write_rights
from . import test_leak_paths
from . import test_access_grant
from . import test_access_log
from . import test_http_access
