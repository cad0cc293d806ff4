"""The one error an editor sees for bad input: it names the file, the line and the fix.

Every layer raises it (the text analysis for a topic id, the paper's model for a field,
the desk for a file it cannot import), so it lives at the root of the package.
"""


class ContentError(Exception):
    """Bad input that an editor must fix: names the file, the line and the fix.

    Raise it with :meth:`of` and a message id of the table (:mod:`newsroom.messages`):
    the problem and the fix are then in the editor's language, and ``code`` says which
    message it is (``check`` keeps it with the problem)."""

    def __init__(self, path, line, problem, fix="", code=""):
        self.path = str(path)
        self.line = line
        self.problem = problem
        self.fix = fix
        self.code = code
        super().__init__(str(self))

    @classmethod
    def of(cls, path, line, message_id, /, **params):
        """The error for message ``message_id`` of the table, its placeholders from ``params``."""
        from newsroom import messages  # the table loads its files on first use only

        problem, fix = messages.problem(message_id, **params)
        return cls(path, line, problem, fix, code=message_id)

    def __str__(self):
        from newsroom import messages

        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.problem}" + (messages.text("common.with_fix", fix=self.fix) if self.fix else "")


class DataFileError(Exception):
    """A data file of the project itself (``newsroom/data/…``, written by a script, never by
    an editor) is missing or broken: not a problem of any article, so never reported as
    one. Names the file, what is wrong and the fix (regenerate it, or restore it from git),
    with the same ``path``, ``line``, ``problem`` and ``fix`` as :class:`ContentError`, so the
    build prints it as ``check`` prints a problem."""

    def __init__(self, path, problem, fix="", code=""):
        self.path = str(path)
        self.line = 0
        self.problem = problem
        self.fix = fix
        self.code = code
        super().__init__(str(self))

    @classmethod
    def of(cls, path, message_id, /, **params):
        """The error for message ``message_id`` of the table, its placeholders from ``params``."""
        from newsroom import messages

        problem, fix = messages.problem(message_id, **params)
        return cls(path, problem, fix, code=message_id)

    def __str__(self):
        from newsroom import messages

        return f"{self.path}: {self.problem}" + (messages.text("common.with_fix", fix=self.fix) if self.fix else "")
