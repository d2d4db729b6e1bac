"""Demo and generator steps of the team's day: each sub-domain registers its own (``salesops.demo.registry``),
in the order they build on each other (summaries read the day's records, problems and cases the reps'
customers and deals)."""

from salesops.daily.plans import demo_data as plans_demo_data  # noqa: F401
from salesops.daily.problems import demo_data as problems_demo_data  # noqa: F401
from salesops.daily.summaries import demo_data as summaries_demo_data  # noqa: F401
from salesops.daily.targets import demo_data as targets_demo_data  # noqa: F401
