"""A search as stages that hand their values forward (the shape of Aleph's ``aleph/search/``).

request (``searchapp.search_request``) → ``plan`` (``SearchPlan``) → ``retrieve`` (round one:
``Candidates``) → ``rank`` (``RankedPage``) → ``page`` (round two: ``Page``) → ``envelope`` (the dict the
API, the UI and the CLI show). ``SearchService.search`` plans the request, hands the plan to
``retrieve.retrieve_page`` and gets the envelope back: each stage calls the next one with its value
(``values``), so a request passes each stage once and returns to the façade twice.

Each stage's own step can be run alone: the export is plan → ``retrieve`` → ``order`` without a page,
the batch and alert counts are plan → ``candidate_query``, the tuning scripts read candidates. Shared
by the stages: ``engine`` (every request to Elasticsearch), ``candidates`` (the bodies and hits of
round one), ``result_rows`` (one result, one export row). Beside them: ``documents`` (a document, similar
passages), ``export``, ``counts`` and ``readiness`` (the model and its check, ``/readyz``).
"""
