"""A pytest plugin (-p tests.plans.extra_category) loaded before Django: the plan schema gains
one category, as the one-line edit of dxday/plans/schema.py would give it."""

from dxday.plans import schema

schema.CATEGORY["hackathon"] = "Hackathon"
