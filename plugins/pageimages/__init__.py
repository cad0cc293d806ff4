from .pageimages import register

__all__ = ["register"]
