"""The follow-up tests' clock and customer maker serve the figures' tests too."""

from salesops.followups.tests.conftest import clock, make_customer

__all__ = ["clock", "make_customer"]
