"""The performance app's data for the demo and the generator: month targets (``performance.targets``)."""

from salesops.demo.registry import register_demo_step, register_generator_step
from salesops.performance.targets.demo_data import demo_targets, generate_targets, wipe_targets

register_demo_step("targets", demo_targets)
register_generator_step("targets", generate_targets, wipe=wipe_targets)
