"""The follow-up tests' clock, customer maker and due customers serve the figures' tests too."""

from salesops.followups.tests.conftest import clock, due_customers, make_customer

__all__ = ["clock", "due_customers", "make_customer"]
