"""The team's day (R3-R7, R17-R19): each sub-domain keeps its models in its own package; Django finds them
through this module."""

from salesops.daily.brief import models as brief_models  # noqa: F401
from salesops.daily.lag import models as lag_models  # noqa: F401
from salesops.daily.plans import models as plans_models  # noqa: F401
from salesops.daily.problems import models as problems_models  # noqa: F401
from salesops.daily.review import models as review_models  # noqa: F401
from salesops.daily.summaries import models as summaries_models  # noqa: F401
from salesops.daily.targets import models as targets_models  # noqa: F401
