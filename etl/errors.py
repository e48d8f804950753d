"""Errors a user can cause: printed as one line, never as a traceback."""

import click


class UserError(click.ClickException):
    """A problem with the input or the invocation, explained in one line."""
