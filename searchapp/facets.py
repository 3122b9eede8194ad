"""The keyword facets: one row each, read by every place that filters by, counts or links a facet.

A facet is a stored keyword field a researcher narrows by (values ORed within a facet, facets ANDed):
``query_builder`` filters by it, ``search.plan`` counts it without its own selection, ``counting``
aggregates it, ``search_links`` and the search page link its values. Adding a facet is a row here, its
field in the mapping, its parameter in ``search_params`` and its label on the search page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Facet:
    name: str  # the key in the envelope's ``facets`` and in the query syntax (``source:``)
    field: str  # the stored keyword field it counts and filters
    selects: str  # the ``QueryFilters`` list of chosen values
    excludes: str  # the ``QueryFilters`` list of excluded values
    parameter: str  # the URL parameter that selects its values
    many_values: bool = False  # thousands of values (names): counted breadth first (``counting``)


FACETS = (
    Facet("source", "source", "sources", "exclude_sources", "source"),
    Facet("collection", "collection", "collections", "exclude_collections", "collection"),
    Facet("language", "language", "languages", "exclude_languages", "lang"),
    # people, organisations and places named in a document (the union of its passages', indexer.entities)
    Facet("person", "doc_entities.person", "persons", "exclude_persons", "person", many_values=True),
    Facet("org", "doc_entities.org", "orgs", "exclude_orgs", "org", many_values=True),
    Facet("place", "doc_entities.place", "places", "exclude_places", "place", many_values=True),
)
ENTITY_FACETS = FACETS[3:]
