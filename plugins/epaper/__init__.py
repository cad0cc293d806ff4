from .epaper import register

__all__ = ["register"]
