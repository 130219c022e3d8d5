from . import test_ui_tour
