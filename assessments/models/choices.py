"""Choices shared by the assessment models, forms and PDFs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    """Assessment methods named by clause 9.3.1 of both seed schemes."""

    OBSERVATION = "observasi", _("Direct observation / practical demonstration (observasi langsung / praktik demonstrasi)")
    WRITTEN = "tertulis", _("Written questions (pertanyaan tertulis)")
    ORAL = "lisan", _("Oral questions (pertanyaan lisan)")
    PORTFOLIO = "portofolio", _("Portfolio verification (verifikasi portofolio)")
    INTERVIEW = "wawancara", _("Interview (wawancara)")
    OTHER = "lainnya", _("Other method (metode lainnya)")


def method_labels(codes):
    labels = dict(Method.choices)
    return [labels.get(code, code) for code in codes]


class Verdict(models.TextChoices):
    """K / BK: per unit or element, and as the overall recommendation (9.3.4)."""

    K = "K", _("Kompeten (K)")
    BK = "BK", _("Belum Kompeten (BK)")


class ConflictKind(models.TextChoices):
    """Why an assessor may not assess a candidate (impartiality, 9.2.2)."""

    TRAINED = "trained", _("I trained or coached this candidate")
    SAME_EMPLOYER = "same_employer", _("We work for the same employer")
    FAMILY = "family", _("We are family")
    OTHER = "other", _("Another conflict of interest")


# FR.AK.03 (umpan balik dan catatan asesmen): the candidate answers each with yes or no.
FEEDBACK_QUESTIONS = [
    ("explained", _("I received a sufficient explanation of the assessment process.")),
    ("standard", _("I had the chance to study the competency standard and assess myself against it.")),
    ("negotiated", _("The assessor discussed the methods, instruments, sources and schedule of the assessment with me.")),
    ("evidence", _("The assessor looked for all the evidence that matches my training and experience.")),
    ("demonstrate", _("I was fully given the chance to demonstrate my competence.")),
    ("decision", _("I received an adequate explanation of the assessment decision.")),
    ("feedback", _("The assessor gave supportive feedback after the assessment and the follow-up.")),
    ("documents", _("The assessor went through all the assessment documents with me.")),
    ("confidential", _("I was assured that my results are confidential and told how the documents are handled.")),
    ("communication", _("The assessor communicated effectively during the assessment.")),
]
