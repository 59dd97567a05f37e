"""Topics (interests, event and content topics) compare by a normalised key."""

from restons.identities import name_key


def normalise_topic(topic: str) -> str:
    """``"  Gopher  Football "`` and ``"gopher football"`` are the same topic."""
    return name_key(topic)
