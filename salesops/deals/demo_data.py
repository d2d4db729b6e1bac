"""The deals app's demo and generator steps, in the order they build on each other: the deals and their
contracts first, then the payment plans and receipts of collections that belong to the contracts."""

from salesops.deals.collections.demo_data import demo_collections, generate_collections, wipe_collections
from salesops.deals.demo_deals import demo_deals, generate_deals, wipe_deals
from salesops.demo.registry import register_demo_step, register_generator_step

register_demo_step("deals", demo_deals)
register_generator_step("deals", generate_deals, wipe=wipe_deals)
register_demo_step("collections", demo_collections)
register_generator_step("collections", generate_collections, wipe=wipe_collections)
