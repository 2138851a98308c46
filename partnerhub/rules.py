"""The rules of e-mail addresses and of names, for every app and every entry path
(manual add, CSV, API, directory sync, provisioning, partner admins): one place, so a
value accepted on one path is accepted on all of them, with the same message when not.

E-mail addresses (the key of a user or an account):
* surrounding spaces and no-break spaces are trimmed, the address is lower-cased;
* an invisible or format character (Unicode categories Cf and Cc: U+200B zero width
  space, U+FEFF, a line break …) anywhere is refused, naming its code point — such
  an address looks like another one and would create a second user;
* a character that only looks like an ASCII one (U+2024 ONE DOT LEADER for ``.``,
  a fullwidth ``＠``: NFKC would change it) is refused, naming it;
* Django's address syntax, a user id (before the ``@``) of at most 64 characters and
  at most 254 characters in all.

Names (customers, users, locations, workspaces): no control characters (line
break, CR, tab, NUL …) and at most the field's length, checked the same way
everywhere (``name_problem``; the message the user CSV always gave). One exception,
decided for the real-world case ``quoted-newline-in-cell.csv``: a user's *display
name* may hold line breaks (a spreadsheet cell typed with Alt+Enter), stored as LF;
tabs, NUL and other control characters are refused there too.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, validate_email

from partnerhub.errors import InvalidCountry, InvalidEmail, InvalidName

MAX_EMAIL = 254
MAX_USER_ID = 64


def code_point(char: str) -> str:
    """``U+200B (ZERO WIDTH SPACE)``."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _visible(text: str) -> str:
    return "".join(
        f"<U+{ord(c):04X}>" if unicodedata.category(c) in ("Cf", "Cc") else c for c in text
    )


ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# Django's own patterns (``EmailValidator``), compiled once here: its validator reaches
# them through lazy objects, a third of the time an import spends on each address.
_USER_PART = re.compile(EmailValidator.user_regex.pattern, re.IGNORECASE)
_DOMAIN_PART = re.compile(EmailValidator.domain_regex.pattern, re.IGNORECASE)


def _valid_by_django_fast(email: str) -> bool:
    """True when Django's ``validate_email`` surely accepts the address (its accepting
    path: user part and domain part match its patterns); False means "ask it"."""
    if "@" not in email or len(email) > 320:
        return False
    user_part, domain_part = email.rsplit("@", 1)
    return bool(_USER_PART.match(user_part)) and (
        domain_part in validate_email.domain_allowlist or bool(_DOMAIN_PART.match(domain_part))
    )


def email_key(raw: str) -> str:
    """The key an address is looked up by: trimmed (spaces, no-break spaces), lower-cased.
    Whether it is a valid address is ``email_problem``'s to say."""
    return (raw or "").strip().lower()


def email_problem(raw: str) -> tuple[str, str | None]:
    """``(the address as the key, why it is refused or None)``."""
    email = email_key(raw)
    if email.isascii():  # the common case: only ASCII control characters to look for
        invisible = ASCII_CONTROL.search(email)
        invisible = invisible.group() if invisible else None
    else:
        invisible = next((c for c in email if unicodedata.category(c) in ("Cf", "Cc")), None)
    if invisible is not None:
        return email, (
            f"'{_visible(email)}' contains the invisible character {code_point(invisible)}: "
            "delete the address and type it again."
        )
    lookalike = (
        None
        if email.isascii()
        else next(
            (c for c in email if ord(c) > 127 and unicodedata.normalize("NFKC", c) != c), None
        )
    )
    if lookalike is not None:
        plain = unicodedata.normalize("NFKC", lookalike)
        return email, (
            f"'{email}' contains {code_point(lookalike)}, which looks like '{plain}' but is "
            f"not: type the address again with a plain '{plain}'."
        )
    if not _valid_by_django_fast(email):
        try:
            validate_email(email)
        except ValidationError:
            return email, f"'{(raw or '').strip()}' is not a valid e-mail address."
    if len(email.split("@", 1)[0]) > MAX_USER_ID:
        return email, f"The user id (before the @) is longer than {MAX_USER_ID} characters."
    if len(email) > MAX_EMAIL:
        return email, f"The e-mail is longer than {MAX_EMAIL} characters."
    return email, None


def normalised_email(raw: str, *, field: str = "email") -> str:
    """The address as the key (trimmed, lower-cased), or ``InvalidEmail`` on ``field``."""
    email, problem = email_problem(raw)
    if problem is not None:
        raise InvalidEmail(problem, field=field)
    return email


LINE_BREAK = re.compile(r"\r\n?")


def with_lf_line_breaks(value: str) -> str:
    """``value`` with CRLF and CR line breaks written as LF (how a display name is kept)."""
    return LINE_BREAK.sub("\n", value) if "\r" in value else value


def name_problem(value: str, *, max_length: int, line_breaks: bool = False) -> str | None:
    """Why a name is refused, or None: a control character, or more than
    ``max_length`` characters. Without the field's name (a CSV error names its column,
    a form shows it beside the field). ``line_breaks`` lets LF through (display names;
    give the value through ``with_lf_line_breaks`` first)."""
    checked = value.replace("\n", "") if line_breaks else value
    if checked.isascii():
        found = ASCII_CONTROL.search(checked)
        control = found.group() if found else None
    else:
        control = next((c for c in checked if unicodedata.category(c) == "Cc"), None)
    if control is not None:
        where = "on one line, " if not line_breaks else ""
        return (
            f"Contains a control character (U+{ord(control):04X}: a line break, tab or the "
            f"like): write it {where}without it."
        )
    if len(value) > max_length:
        return f"At most {max_length} characters ({len(value)} given): shorten it."
    return None


def validated_name(
    value: str, *, label: str, max_length: int, field: str, line_breaks: bool = False
) -> str:
    """``value`` stripped, or ``InvalidName`` on ``field`` whose message starts with
    ``label`` ("First name: At most 64 characters (72 given): shorten it.").
    ``line_breaks``: LF kept (CRLF and CR become LF), as for display names."""
    text = (value or "").strip()
    if line_breaks:
        text = with_lf_line_breaks(text)
    problem = name_problem(text, max_length=max_length, line_breaks=line_breaks)
    if problem is not None:
        raise InvalidName(f"{label}: {problem}", field=field)
    return text


def country_problem(raw: str) -> tuple[str, str | None]:
    """``(code, None)`` for an ISO 3166-1 alpha-2 country code in any case and spacing
    (``" no"`` → ``"NO"``), else ``(text, why not)``. The list is django-countries'
    (kept with the standard)."""
    from django_countries import countries

    text = (raw or "").strip()
    code = text.upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        return text, (
            f"Country '{text}' is not a two-letter code: write it as in ISO 3166, for example NO."
        )
    if code not in countries:
        return text, (
            f"Country '{text}' is not an ISO 3166 country code: choose it from the list, "
            "for example NO for Norway."
        )
    return code, None


def validated_country(raw: str, *, field: str = "country") -> str:
    """``raw`` as its upper-case country code; else ``InvalidCountry``."""
    code, problem = country_problem(raw)
    if problem is not None:
        raise InvalidCountry(problem, field=field)
    return code
