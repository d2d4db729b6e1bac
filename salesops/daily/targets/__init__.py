"""R4 daily targets: the team's target per metric for a day and its split per person."""
