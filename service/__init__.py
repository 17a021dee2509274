"""The FastAPI service: accounts, user data, search, similar titles and the personal feed."""
