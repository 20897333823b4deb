from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lsp.errors import DomainError
from schemes.models import Scheme
from schemes.services import scheme_file_parse, scheme_import

# The two seed schemes (seeds/000_… LSP TMI, seeds/002_… LSP Renbang), in the export format.
SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "schemes"
SEED_FILES = ["tmi.json", "renbang.json"]


class Command(BaseCommand):
    help = "Load the seed schemes from fixtures/schemes/. A scheme already present is left as it is."

    def handle(self, *args, **options):
        say = self.stdout.write if options["verbosity"] >= 1 else (lambda *a, **k: None)
        for filename in SEED_FILES:
            data = scheme_file_parse((SEED_DIR / filename).read_bytes())
            number = data.get("scheme", {}).get("document_number")
            # Idempotent: an installation may have edited its copy in the admin; never overwrite it.
            if Scheme.objects.filter(document_number=number).exists():
                say(f"{number}: already present, left unchanged.")
                continue
            try:
                scheme = scheme_import(data=data)
            except DomainError as error:
                raise CommandError(f"{filename}: {error}") from error
            say(self.style.SUCCESS(f"{scheme.document_number}: loaded ({scheme.name})."))
