from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the seed schemes (filled in by the schemes app)."

    def handle(self, *args, **options):
        self.stdout.write("No seed schemes yet.")
