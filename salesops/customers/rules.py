"""Who may act on customers (R1, R15). Object permissions take the customer: ``by.has_perm(
"customers.change_customer", customer)``; the services check them and the pages ask them for buttons."""

from __future__ import annotations

from typing import Any

import rules

from salesops.accounts.rules import is_lead, is_manager, is_rep
from salesops.core.scope import scope_of


@rules.predicate
def owns(user: Any, customer: Any) -> bool:
    return customer is not None and customer.owner_id is not None and customer.owner_id == user.pk


@rules.predicate
def manages_owner(user: Any, customer: Any) -> bool:
    """R1: ``user`` manages the customer's owner (their lead, director, an admin)."""
    return customer is not None and customer.owner_id is not None and scope_of(user).manages(customer.owner_id)


@rules.predicate
def in_pool(user: Any, customer: Any) -> bool:
    return customer is not None and customer.owner_id is None


#: The owner, whoever manages the owner, and for a pool customer any lead, director or admin.
rules.add_perm("customers.change_customer", owns | manages_owner | (in_pool & is_manager))
#: Back to the pool (R15): the owner or whoever manages them.
rules.add_perm("customers.release_customer", owns | manages_owner)
rules.add_perm("customers.merge_customers", is_manager)
rules.add_perm("customers.move_customers", is_manager)
#: R15: one customer is transferred by whoever manages its owner (a pool customer: any manager).
rules.add_perm("customers.transfer_customer", is_manager & (manages_owner | in_pool))
#: R15: any rep claims from the pool, and a lead for themselves.
rules.add_perm("customers.claim_customers", is_rep | is_lead)
