"""Old name of `peifu.services.inputs`, kept only for `services/cases.py` (branch hot-path owns it).

After merging, point that one import at `peifu.services.inputs` and delete this file.
"""

from peifu.services.inputs import (
    AgreeIn,
    CaseIn,
    ModifyIn,
    ProposeIn,
    RefuseIn,
    RejectReturnIn,
    RulingTerms,
    ShipmentIn,
    SignedIn,
)

__all__ = [
    "AgreeIn",
    "CaseIn",
    "ModifyIn",
    "ProposeIn",
    "RefuseIn",
    "RejectReturnIn",
    "RulingTerms",
    "ShipmentIn",
    "SignedIn",
]
