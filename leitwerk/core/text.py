"""Text that every XML-based output (Atom, DOCX, XLSX) can carry.

XML 1.0 has no way to write most C0 control characters, not even escaped; the XML writers of
Django, python-docx and openpyxl raise instead of writing them. A control character in a title
typed or pasted by a user must not take a feed or a council report down, so outputs drop them.
Tab, line feed and carriage return are legal and stay.
"""

from __future__ import annotations

import re
from typing import Any

XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return XML_ILLEGAL.sub("", text)


def xml_safe_tree(value: Any) -> Any:
    """`value` with every string inside dicts, lists and tuples made XML-safe."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {key: xml_safe_tree(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(xml_safe_tree(item) for item in value)
    return value
