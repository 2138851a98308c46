"""The rules of phone numbers, extensions and calling names (SPEC §4, §6): one place,
used by the pages, the API, both CSVs and directory sync, so every path accepts the
same numbers and says the same thing about the ones it refuses.

* A number is E.164: ``+``, a country code and the number, nothing else
  (``+4722334455``); a number whose ``+`` a spreadsheet stripped, or that it turned
  into E-notation (``4.72299E+09``), is refused with a hint saying so.
* An extension is 2 to 10 digits.
* A calling user's first or last name has at most 30 characters, none of
  ``% # < > \\ / "``.
* A work phone from a directory (feeds, SCIM) is written by people: spaces, hyphens,
  dots, parentheses and a ``(0)`` trunk prefix are formatting and are dropped; an
  extension suffix (``x123``) or a number that is not international is refused with
  a hint (``work_phone_e164``).
"""

from __future__ import annotations

import functools
import re

import phonenumbers

from calling import errors

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
EXTENSION = re.compile(r"^[0-9]{2,10}$")
# What a spreadsheet shows for a long number in a General-formatted cell.
E_NOTATION = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)?[eE][+]?[0-9]+$")
CALLING_NAME_MAX = 30
CALLING_NAME_FORBIDDEN = re.compile(r'[%#<>\\/"]')
EXAMPLE = "+4722334455"

# Directory work phones: formatting people put in numbers, and extension suffixes.
_FORMATTING = re.compile(r"[\s\u00a0\-.()/]")
_TRUNK_ZERO = re.compile(r"^(\+[0-9]{1,3})\s*\(0\)")
_EXTENSION_SUFFIX = re.compile(r"(?i)\s*(?:x|ext\.?|extension|#)\s*[0-9]+\s*$")


@functools.lru_cache(maxsize=65_536)
def _is_e164(text: str) -> bool:
    """``+`` and digits that phonenumbers finds possible, written exactly as E.164.
    Cached: a CSV's numbers are checked by the row rules and again by the inventory
    pass (``calling.services.bulk``), and phonenumbers takes ~0.1 ms a number."""
    if not E164.match(text):
        return False
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(parsed) and (
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == text
    )


def spreadsheet_hint(value: str) -> str | None:
    """What a spreadsheet did to a number, when it did: turned it into E-notation
    (digits lost) or stripped its leading ``+``."""
    text = (value or "").strip()
    if E_NOTATION.match(text):
        return (
            f"The spreadsheet turned this number into {text}; its digits are lost — format "
            "the column as Text and type the number again."
        )
    if text.isdigit() and _is_e164("+" + text):
        return (
            f"'{text}' is missing its leading +; the spreadsheet probably stripped it. "
            f"Write +{text} and format the cell as text."
        )
    return None


def number_problem(value: str) -> str | None:
    """Why a CSV cell ``value`` is not an E.164 number (with the spreadsheet hint when
    there is one); None when it is one. The one acceptance rule of every path."""
    text = (value or "").strip()
    if _is_e164(text):
        return None
    return spreadsheet_hint(text) or f"'{text}' is not an E.164 number such as {EXAMPLE}."


def normalize_e164(number: str, *, field: str = "number") -> str:
    """``number`` (stripped) when it is E.164, else ``InvalidNumber`` saying why and
    how to fix it (pages, API, services; same acceptance as ``number_problem``)."""
    text = str(number or "").strip()
    if _is_e164(text):
        return text
    raise errors.InvalidNumber(
        spreadsheet_hint(text)
        or f"Phone number '{text}' is not E.164: write it as + country code and number, "
        f"for example {EXAMPLE}.",
        field=field,
    )


def extension_problem(value: str) -> str | None:
    """Why a CSV cell is not an extension (2 to 10 digits); None when it is one."""
    text = (value or "").strip()
    if EXTENSION.match(text):
        return None
    return f"'{text}' is not an extension: use 2 to 10 digits."


def validated_extension(extension: str, *, field: str = "extension") -> str:
    """``extension`` stripped (may be empty), or ``InvalidExtension``."""
    text = (extension or "").strip()
    if text and not EXTENSION.match(text):
        raise errors.InvalidExtension(
            f"Extension '{text}' is not valid: use 2 to 10 digits.", field=field
        )
    return text


def number_or_extension(value: str, *, field: str) -> tuple[str, str]:
    """One value that is a number or an extension (manual add's third column):
    ``(number, "")`` when it starts with ``+``, ``("", extension)`` otherwise — but a
    value a spreadsheet mangled (E-notation, a stripped ``+``: ``4722990098``) is a
    number, refused with its hint, never silently an extension."""
    text = (value or "").strip()
    if text.startswith("+"):
        return normalize_e164(text, field=field), ""
    hint = spreadsheet_hint(text)
    if hint is not None:
        raise errors.InvalidNumber(hint, field=field)
    return "", validated_extension(text, field=field)


def calling_name_problem(name: str) -> str | None:
    problems = []
    if len(name) > CALLING_NAME_MAX:
        problems.append(f"has {len(name)} characters")
    forbidden = sorted(set(CALLING_NAME_FORBIDDEN.findall(name)))
    if forbidden:
        problems.append(f"contains {' '.join(forbidden)}")
    if not problems:
        return None
    return (
        f"'{name}' {' and '.join(problems)}: a calling user's name has at most "
        f'{CALLING_NAME_MAX} characters and none of % # < > \\ / ". Shorten or change it.'
    )


def validated_calling_name(name: str, *, field: str) -> str:
    """A calling user's first or last name (SPEC §6), or ``InvalidCallingName`` shown
    on ``field``."""
    problem = calling_name_problem(name)
    if problem is not None:
        raise errors.InvalidCallingName(problem, field=field)
    return name


def work_phone_e164(raw: str) -> tuple[str | None, str]:
    """A directory's work phone as E.164, or ``(None, hint)`` saying why not.

    ``+359 (0)2 990 0011``, ``+359-2-990-0012``, ``+1 (212) 555.0100`` are
    formatting around an E.164 number and are accepted; ``+35929900013 x123`` (an
    extension suffix), ``00359 2 990 0014`` and national numbers are not. An empty
    work phone gives ``(None, "")``."""
    text = (raw or "").strip().replace("\u00a0", " ")
    if not text:
        return None, ""
    if _EXTENSION_SUFFIX.search(text) and not _EXTENSION_SUFFIX.fullmatch(text):
        number = _EXTENSION_SUFFIX.sub("", text)
        return None, (
            f"'{text}' ends with an extension; the work phone must be the number alone "
            f"({number.strip()}). Remove the extension in the directory."
        )
    cleaned = _FORMATTING.sub("", _TRUNK_ZERO.sub(r"\1", text))
    if cleaned.startswith("00") and cleaned[2:].isdigit():
        return None, (
            f"'{text}' starts with 00: write the country code with + instead "
            f"(+{cleaned[2:]}) in the directory."
        )
    if not cleaned.startswith("+"):
        return None, (
            f"'{text}' is not international: write it with + and the country code, "
            f"for example {EXAMPLE}, in the directory."
        )
    if not _is_e164(cleaned):
        return None, f"'{text}' is not a phone number that E.164 allows (for example {EXAMPLE})."
    return cleaned, ""
