"""Capture: what imported messages and meetings become (PRODUCT.md § 5, "Capture rules").

``records`` holds the typed records every capture source yields, ``rules``
the pure functions that decide direction, who counts, what is never a ping,
and how messages group into conversations. Nothing here touches the database.
"""
