from .content_guard import register

__all__ = ["register"]
