"""epaper plugin (not built yet)."""


def register():
    pass
