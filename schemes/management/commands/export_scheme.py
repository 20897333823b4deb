from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schemes.selectors import scheme_get_by_reference
from schemes.services import scheme_export_json


class Command(BaseCommand):
    help = "Write a scheme as a JSON file that import_scheme (or the admin) can load elsewhere."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="The scheme's slug or document number.")
        parser.add_argument("-o", "--output", help="File to write; standard output when omitted.")

    def handle(self, *args, reference, output=None, **options):
        scheme = scheme_get_by_reference(reference=reference)
        if scheme is None:
            raise CommandError(f"No scheme with slug or document number {reference!r}.")
        text = scheme_export_json(scheme=scheme)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {scheme.document_number} to {output}.")
        else:
            self.stdout.write(text, ending="")
