"""Views of the assessment stage, by who uses them: staff, the assessor, the candidate, files."""
