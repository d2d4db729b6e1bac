"""R17 daily summaries: done, not done with reasons, tomorrow's plan."""
