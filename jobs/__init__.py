"""Jobs that close the loop: the nightly rebuild of user models and bulk user imports."""
