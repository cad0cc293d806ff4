from .corrections import register

__all__ = ["register"]
