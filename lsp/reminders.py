"""A registry of reminder rules. Apps add rules in their own ``reminders`` module.

A rule finds the objects that are due and not yet reminded — never "date equals today
plus N", which skips a day the worker was down — and calls ``remind`` with a key naming
(object, kind, due date). The unique key makes a second run, or a run after a missed day,
send nothing twice; a rule's query leaves out withdrawn and finished cases.
"""

from .models import Notification

RULES = []


def reminder_rule(func):
    RULES.append(func)
    return func


def remind(*, user, key, template, context):
    """Send one reminder unless ``key`` was already sent. True when it was sent now."""
    from .notifications import notify

    if Notification.objects.filter(key=key).exists():
        return False
    notify(user=user, template=template, context=context, key=key)
    return True


def run_all_rules():
    """Run every rule; each reads the clock itself (frozen in tests with time-machine)."""
    return {f"{rule.__module__}.{rule.__name__}": rule() for rule in RULES}
