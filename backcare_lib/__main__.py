"""Command line for clinicians who do not open a notebook.

    python -m backcare_lib handout --profile profile.yaml --out plan.pdf
    python -m backcare_lib handout --profile profile.yaml --out plan.ics
    python -m backcare_lib handout --profile profile.yaml --format html --out -   (to stdout)
    python -m backcare_lib handout --profile profile.yaml --out plan.pdf --lang es --region us

The profile file format is described in docs/profile-format.md (example: examples/profile.yaml).
Errors are reported in one line naming the field and what is allowed; the exit status is 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m backcare_lib",
        description="BackCare Kit: make a personal take-home back care plan.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    handout = commands.add_parser(
        "handout",
        help="write the take-home plan as PDF, HTML or a calendar file",
        description="Write the take-home plan for one patient profile.",
    )
    handout.add_argument("--profile", required=True, help="profile file (YAML or JSON)")
    handout.add_argument("--out", required=True, help="file to write, or - for standard output")
    handout.add_argument(
        "--format",
        choices=["pdf", "html", "ics"],
        help="output format (default: from the --out file's ending, else pdf)",
    )
    handout.add_argument(
        "--start-back",
        choices=["low", "medium", "high", "not-done"],
        help="the STarT Back category you scored (overrides start_back in the profile file)",
    )
    handout.add_argument(
        "--heat-only",
        action="store_true",
        help="moist heat from the start instead of ice first (overrides heat_only in the file)",
    )
    handout.add_argument(
        "--lang",
        choices=["en", "es"],
        help="language of the plan (default: the profile's lang:, else en)",
    )
    handout.add_argument(
        "--region",
        choices=["us", "uk", "intl"],
        help="region: emergency numbers, medicine names, paper (default: the profile's "
        "region:, else intl)",
    )
    return parser


def _format(out: str, fmt: str | None) -> str:
    if fmt:
        return fmt
    suffix = Path(out).suffix.lower().lstrip(".")
    return (
        {"htm": "html", "ical": "ics"}.get(suffix, suffix)
        if suffix in ("pdf", "html", "htm", "ics", "ical")
        else "pdf"
    )


def _load_profile(path: str, *, lang: str | None = None, region: str | None = None):
    import yaml

    from backcare_lib.plan import profile_from_mapping

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read the profile file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ValueError("the profile file is not UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"the profile file is not valid YAML: {exc}") from None
    if isinstance(data, dict):
        # The command line wins over the profile's own lang: and region:.
        data = {**data, **{k: v for k, v in (("lang", lang), ("region", region)) if v}}
    return profile_from_mapping(data)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from backcare_lib import handout, plan

    fmt = _format(args.out, args.format)
    try:
        profile = _load_profile(args.profile, lang=args.lang, region=args.region)
        changes = {}
        if args.start_back:
            changes["start_back"] = args.start_back
        if args.heat_only:
            changes["heat_only"] = True
        if changes:
            profile = dataclasses.replace(profile, **changes)
        care_plan = plan.build_plan(profile)
        data = handout.render(care_plan, fmt)
    except ValueError as exc:
        print(f"error: {args.profile}: {exc}", file=sys.stderr)
        return 2
    if args.out == "-":
        sys.stdout.buffer.write(data)
        return 0
    try:
        Path(args.out).write_bytes(data)
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 2
    level = care_plan.assessment.label
    print(f"wrote {args.out} ({fmt}, {len(data):,} bytes). Safety check: {level}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
