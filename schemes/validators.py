"""Validators shared by the models, the admin and the importer (one rule, one place)."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Unit codes as BNSP writes them: sector letter, 6–8 character field code (digits, or
# letters for newer SKKNI such as "290MM01" and "84PPB01"), a 3-digit serial and a
# 1–2 digit version. Accepts every code in both seed schemes (section 5), e.g.
# C.281930.002.01, M.702092.009.01, C.290MM01.014.1, O.84PPB01.007.1.
UNIT_CODE_PATTERN = r"^[A-Z]\.[0-9A-Z]{6,8}\.[0-9]{3}\.[0-9]{1,2}$"

validate_unit_code = RegexValidator(
    regex=UNIT_CODE_PATTERN,
    message=_(
        "Enter a unit code as written in the standard, e.g. C.281930.002.01 or O.84PPB01.007.1: "
        "a capital letter, a dot, 6 to 8 digits or capital letters, a dot, 3 digits, a dot, and 1 or 2 digits."
    ),
    code="invalid_unit_code",
)
