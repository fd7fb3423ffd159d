"""Personal Information Protection Law: show personal data only to those who need it.

Names, phone numbers and addresses are masked for everyone but their owner and the agent
handling a dispute about them; after the retention period they are removed altogether.
"""

from __future__ import annotations


def mask_name(name: str | None) -> str | None:
    """王小明 → 王**; Alice → A****."""
    if not name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str | None) -> str | None:
    """13812345678 → 138****5678; anything short keeps only its last two digits."""
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    return "*" * max(0, len(digits) - 2) + digits[-2:]


def mask_address(address: str | None) -> str | None:
    """Keep the coarse region (the first six characters), hide the street and door."""
    if not address:
        return address
    return address[:6] + "****"
