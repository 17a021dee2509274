"""What To Watch: a movie and TV recommender built on IMDb's datasets."""

__version__ = "0.1.0"
__all__ = ["__version__"]
