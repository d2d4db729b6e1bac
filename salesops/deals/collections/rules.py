"""Who may set a contract's payment plan and record or void its receipts: the deal's owner, whoever
manages the owner (their lead, director, R1 ``Scope.manages``) and an admin.

The object is the contract, read with its deal (``select_related("deal")``)."""

from __future__ import annotations

from typing import Any

import rules

from salesops.core.scope import scope_of


@rules.predicate
def owns_contract(user: Any, contract: Any) -> bool:
    return contract is not None and contract.deal.owner_id == user.pk


@rules.predicate
def manages_contract_owner(user: Any, contract: Any) -> bool:
    return contract is not None and scope_of(user).manages(contract.deal.owner_id)


rules.add_perm("deals.manage_collections", owns_contract | manages_contract_owner)
