"""What can go wrong with the model, in one place below everything that raises it."""


class ModelNotInstalled(RuntimeError):
    """The model folder (or a file in it) has not been built yet."""


class EncoderNotBuilt(ModelNotInstalled):
    """The configured encoder variant has not been built into the model folder."""


class ModelBuildError(RuntimeError):
    """The source packages are missing or not in the expected format."""


class TokenizerBuildError(RuntimeError):
    """tokenizer.json does not describe the pipeline ``arsip.model.tokenizer`` reproduces."""
