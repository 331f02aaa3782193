"""citkit: software for a community's Crisis Intervention Team (CIT) program."""
