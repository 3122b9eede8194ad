"""The researchers' HTML pages: one module per page, each a blueprint that ``searchapp.app`` registers.

Pages are rendered on the server and work without JavaScript. ``search`` (``/``), ``documents``
(``/documents/<doc_id>``, ``/passages/<passage_id>/similar``), ``saved`` (``/saved``), ``batch``
(``/batch``), ``api_docs`` (``/api``) and ``syntax`` (``/syntax``) share ``rendering`` (the template
context, security headers and error pages), ``markup`` (highlights made safe to show) and ``links``
(URLs that carry the current search from page to page).
"""
