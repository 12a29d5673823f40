"""The command line's words in the reader's language: its own help, and argparse's.

argparse asks ``gettext`` for its few words ("usage: ", "options", "show this help message and
exit", its error messages); while the command line builds its parser and reads the command,
those words come from the catalogues instead (``cli.argparse.*``), so a Dutch or French reader
gets help and mistakes explained in their language. Nothing here imports pandas: ``--help``
stays fast.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from cpwb_stats.i18n import LANGUAGES, resolve_language, translate

# argparse's message ids (Python's own English) and their keys in the catalogues
ARGPARSE_WORDS = {
    "usage: ": "usage",
    "positional arguments": "positional",
    "options": "options",
    "show this help message and exit": "help",
    "%(prog)s: error: %(message)s\n": "error",
    "argument %(argument_name)s: %(message)s": "argument",
    "the following arguments are required: %s": "required",
    "unrecognized arguments: %s": "unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "expected one argument": "one_argument",
    "expected at most one argument": "at_most_one",
    "expected at least one argument": "at_least_one",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "not allowed with argument %s": "not_allowed_with",
    "one of the arguments %s is required": "one_of_required",
    "ignored explicit argument %r": "ignored_explicit",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "unknown_parser",
}


def command_language(argv: Sequence[str]) -> str:
    """The language a command asks for (``--lang``, before or after the command, the last one
    given), else the environment's (``CPWB_LANG``, then ``LANG``)."""
    chosen = None
    for position, argument in enumerate(argv):
        if argument == "--":
            break
        if argument == "--lang" and position + 1 < len(argv):
            value = argv[position + 1]
        elif argument.startswith("--lang="):
            value = argument.partition("=")[2]
        else:
            continue
        chosen = value if value in LANGUAGES else chosen
    return chosen or resolve_language(os.environ.get("CPWB_LANG") or os.environ.get("LANG"))


@contextmanager
def argparse_words(language: str) -> Iterator[None]:
    """argparse speaks ``language`` inside the block (its module-level ``_`` is gettext's)."""
    own = argparse._

    def words(message: str) -> str:
        key = ARGPARSE_WORDS.get(message)
        return translate(f"cli.argparse.{key}", language) if key else own(message)

    argparse._ = words
    try:
        yield
    finally:
        argparse._ = own


def help_text(key: str, language: str) -> str:
    """A help text, with ``%`` doubled: argparse fills ``%(default)s`` into help texts."""
    return translate(f"cli.help.{key}", language).replace("%", "%%")
