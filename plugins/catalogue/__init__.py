from .catalogue import register

__all__ = ["register"]
