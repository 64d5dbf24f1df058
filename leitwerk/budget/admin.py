from leitwerk.core.admin import register_remaining

register_remaining("budget")
