"""One error type for problems a user can fix; the CLI and app turn it into a message, never a traceback."""


class PolicyQAError(Exception):
    """A problem with the user's input or environment. The message names the problem and the fix."""


class UsageError(PolicyQAError):
    """Bad input the user typed (empty query, unknown document, bad option): CLI exit code 2."""
