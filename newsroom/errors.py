"""The one error an editor sees for bad input: it names the file, the line and the fix.

Every layer raises it (the text analysis for a topic id, the paper's model for a field,
the desk for a file it cannot import), so it lives at the root of the package.
"""


class ContentError(Exception):
    """Bad input that an editor must fix: names the file, the line and the fix."""

    def __init__(self, path, line, problem, fix=""):
        self.path = str(path)
        self.line = line
        self.problem = problem
        self.fix = fix
        super().__init__(str(self))

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.problem}" + (f" — {self.fix}" if self.fix else "")
