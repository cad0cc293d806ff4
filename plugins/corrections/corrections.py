"""corrections plugin (not built yet)."""


def register():
    pass
