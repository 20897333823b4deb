"""A registry of reminder rules. Apps add rules in their own ``reminders`` module.

A rule is a function that finds the objects that are due and not yet reminded and calls
``notify(..., key=...)`` with a key naming (object, kind, due date); the unique key makes
a second run, or a run after a missed day, send nothing twice.
"""

RULES = []


def reminder_rule(func):
    RULES.append(func)
    return func


def run_all_rules():
    return {rule.__module__ + "." + rule.__name__: rule() for rule in RULES}
