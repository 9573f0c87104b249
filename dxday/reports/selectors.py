"""Reads of report generations."""


def figures_delta(old: dict, new: dict) -> list[tuple[str, int, int, int]]:
    """Differences in the counts between two generations."""
    return [(key, old.get(key, 0), new.get(key, 0), new.get(key, 0) - old.get(key, 0))
            for key in new if new.get(key, 0) != old.get(key, 0)]
