from .keywords import register

__all__ = ["register"]
