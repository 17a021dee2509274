"""HTTP layer: dependencies, routers and error handlers."""
