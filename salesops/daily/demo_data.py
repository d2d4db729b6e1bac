"""Demo and generator steps of the team's day: each sub-domain registers its own (``salesops.demo.registry``)."""

from salesops.daily.plans import demo_data as plans_demo_data  # noqa: F401
