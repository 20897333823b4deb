from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lsp.errors import DomainError
from schemes.services import scheme_file_parse, scheme_import


class Command(BaseCommand):
    help = "Create a scheme from a JSON file made by export_scheme. Refused, with the reasons, if anything is wrong."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the scheme JSON file.")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            scheme = scheme_import(data=scheme_file_parse(path.read_bytes()))
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Imported {scheme.document_number} ({scheme.name}), status {scheme.status}.")
        )
