from django.core.management.base import BaseCommand

from lsp.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_create


class Command(BaseCommand):
    help = "Create one demo account per role (local use only)."

    def handle(self, *args, **options):
        created = demo_accounts_create()
        self.stdout.write(f"Demo accounts ({len(created)} new), password '{DEMO_PASSWORD}':")
        for email, _name, roles in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:28} {', '.join(str(r.label) for r in roles)}")
