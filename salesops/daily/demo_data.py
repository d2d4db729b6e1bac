"""Demo and generator steps of the team's day: each sub-domain registers its own (``salesops.demo.registry``),
in the order they build on each other (summaries read the day's records, problems and cases the reps'
customers and deals). The daily targets' steps are registered here, when the demo discovers this app (after
performance, whose month targets they split), not when their module is first imported."""

from salesops.daily.plans import demo_data as plans_demo_data  # noqa: F401
from salesops.daily.problems import demo_data as problems_demo_data  # noqa: F401
from salesops.daily.summaries import demo_data as summaries_demo_data  # noqa: F401
from salesops.daily.targets.demo_data import demo_day_targets, generate_day_targets, wipe_day_targets
from salesops.demo.registry import register_demo_step, register_generator_step

register_demo_step("daily_targets", demo_day_targets)
register_generator_step("daily_targets", generate_day_targets, wipe=wipe_day_targets)
