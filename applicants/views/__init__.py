"""Views of the applicants app: parse a form, call one service, turn a domain error into a message."""
