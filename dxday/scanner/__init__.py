"""The identity-kit display check: kit files, scan targets, results and the scanner itself."""
