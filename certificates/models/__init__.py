"""Decisions (9.4.1–9.4.5), certificates (9.4.6, 9.4.7), use agreements (9.8), their settings, and the life
after issue: surveillance (9.6), sanctions (9.5), appeals (9.9) and re-certification (9.7)."""

from .appeals import Appeal, AppealAttachment, AppealPanelMember
from .certificates import (
    Certificate,
    Handover,
    IssuanceRun,
    RecertificationOverride,
    UseAgreement,
    add_years,
    expiry_for,
)
from .config import DEFAULT_NUMBER_FORMAT, CertificateSeries, Signatory, validate_number_format
from .decisions import Decision, DecisionLetter, ImpartialityDeclaration, MeetingItem, TechnicalMeeting
from .sanctions import SanctionCase, SanctionPolicy, SanctionStep
from .surveillance import Surveillance, SurveillanceFile

__all__ = [
    "DEFAULT_NUMBER_FORMAT",
    "Appeal",
    "AppealAttachment",
    "AppealPanelMember",
    "Certificate",
    "CertificateSeries",
    "Decision",
    "DecisionLetter",
    "Handover",
    "ImpartialityDeclaration",
    "IssuanceRun",
    "MeetingItem",
    "RecertificationOverride",
    "SanctionCase",
    "SanctionPolicy",
    "SanctionStep",
    "Signatory",
    "Surveillance",
    "SurveillanceFile",
    "TechnicalMeeting",
    "UseAgreement",
    "add_years",
    "expiry_for",
    "validate_number_format",
]
