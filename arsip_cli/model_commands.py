"""``arsip model``: build the embedding model and its fast encoders, or show which one is configured."""

from __future__ import annotations

import argparse

from arsip.settings import Settings
from arsip_cli.output import fail, print_json


def cmd_model(args: argparse.Namespace, settings: Settings) -> int:
    from arsip.model.errors import ModelBuildError, ModelNotInstalled

    if args.action == "install":
        from arsip.model.install import install_model
        from arsip.model.variants import encoders_to_build, install_encoders

        try:
            variants = encoders_to_build(settings, args.encoders)
        except ValueError as exc:
            return fail(exc, 2)
        if settings.model:
            print(f"ARSIP_MODEL is set ({settings.model}); building the default model anyway.")
        try:
            path = install_model(settings.model_dir, force=args.force)
        except ModelBuildError as exc:
            return fail(exc, 1)
        print(f"Model ready in {path}")
        for built in install_encoders(path, variants, force=args.force):
            print(f"Encoder ready in {built}")
        return 0
    from arsip.model.loader import load_encoder

    try:
        encoder = load_encoder(settings)
    except ModelNotInstalled as exc:
        return fail(exc, 1)
    print_json({"path": settings.model_path, **encoder.identity.as_dict(), "prompts": encoder.prompts})
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    model = sub.add_parser("model", help="build or inspect the embedding model")
    model.add_argument("action", choices=["install", "info"])
    model.add_argument("--force", action="store_true", help="rebuild even if it exists")
    model.add_argument(
        "--encoders", help="fast encoder variants to build, comma-separated (default: ARSIP_ENCODER's)"
    )
    model.set_defaults(func=cmd_model)
