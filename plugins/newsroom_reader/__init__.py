from .newsroom_reader import register

__all__ = ["register"]
