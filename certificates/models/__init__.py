"""Decisions (9.4.1–9.4.5), certificates (9.4.6, 9.4.7), use agreements (9.8) and their settings."""

from .certificates import Certificate, Handover, IssuanceRun, UseAgreement, add_years, expiry_for
from .config import DEFAULT_NUMBER_FORMAT, CertificateSeries, Signatory, validate_number_format
from .decisions import Decision, DecisionLetter, ImpartialityDeclaration, MeetingItem, TechnicalMeeting

__all__ = [
    "DEFAULT_NUMBER_FORMAT",
    "Certificate",
    "CertificateSeries",
    "Decision",
    "DecisionLetter",
    "Handover",
    "ImpartialityDeclaration",
    "IssuanceRun",
    "MeetingItem",
    "Signatory",
    "TechnicalMeeting",
    "UseAgreement",
    "add_years",
    "expiry_for",
    "validate_number_format",
]
