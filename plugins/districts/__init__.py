from .districts import register

__all__ = ["register"]
