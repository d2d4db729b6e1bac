"""The deals app's demo and generator steps, in the order they build on each other: the payment plans
and receipts of collections come after the contracts they belong to."""

from salesops.deals.collections.demo_data import demo_collections, generate_collections, wipe_collections
from salesops.demo.registry import register_demo_step, register_generator_step

register_demo_step("collections", demo_collections)
register_generator_step("collections", generate_collections, wipe=wipe_collections)
