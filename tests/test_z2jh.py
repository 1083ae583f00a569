"""deploy/z2jh/*.yaml: values for the Zero to JupyterHub chart that parse, use only keys the
chart documents (its own values.schema.yaml, chart 4.4.0), and keep the choices `make hub`
makes (tmpauthenticator for visitors, the dashboard as default URL, the culler, limits)."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHART_VERSION = "4.4.0"
CHART = Path(__file__).resolve().parent / f"z2jh_chart_{CHART_VERSION}"
VALUES = sorted((ROOT / "deploy" / "z2jh").glob("values*.yaml"))


def helm_merge(defaults: dict, override: dict) -> dict:
    """Helm's coalescing of a values file over the chart's defaults: maps merge key by key,
    anything else (lists included) replaces, and null removes the default."""
    out = copy.deepcopy(defaults)
    for key, value in override.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = helm_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@pytest.fixture(scope="module")
def schema():
    return yaml.safe_load((CHART / "values.schema.yaml").read_text())


@pytest.fixture(scope="module")
def defaults():
    return yaml.safe_load((CHART / "values.yaml").read_text())


def test_both_releases_have_values_files():
    assert [p.name for p in VALUES] == ["values-learners.yaml", "values.yaml"]


@pytest.mark.parametrize("path", VALUES, ids=lambda p: p.name)
def test_values_validate_against_the_chart_schema(path, schema, defaults):
    values = yaml.safe_load(path.read_text())
    assert isinstance(values, dict) and values, f"{path.name} is empty"
    jsonschema.validate(helm_merge(defaults, values), schema)
    assert f"version {CHART_VERSION}" in path.read_text(), "the file names the chart version"


def test_the_schema_catches_an_undocumented_key(schema, defaults):
    """The check above has teeth: a misspelt key is refused."""
    values = yaml.safe_load((ROOT / "deploy" / "z2jh" / "values.yaml").read_text())
    values["singleuser"]["defaultURL"] = "/voila"
    with pytest.raises(jsonschema.ValidationError, match="defaultURL"):
        jsonschema.validate(helm_merge(defaults, values), schema)


def test_visitors_release_makes_the_same_choices_as_make_hub():
    values = yaml.safe_load((ROOT / "deploy" / "z2jh" / "values.yaml").read_text())
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] == "tmp"
    dashboard = re.fullmatch(r"/voila/render/(.+)", values["singleuser"]["defaultUrl"])
    assert dashboard and (ROOT / dashboard.group(1)).exists(), "default URL is the dashboard"
    assert values["singleuser"]["storage"]["type"] == "none", "visitors keep nothing"
    assert values["cull"]["enabled"] and values["cull"]["users"]
    assert values["singleuser"]["memory"]["limit"] and values["singleuser"]["cpu"]["limit"]
    assert values["hub"]["concurrentSpawnLimit"] and values["hub"]["activeServerLimit"]


def test_learners_release_keeps_the_diary_and_opens_the_lessons():
    values = yaml.safe_load((ROOT / "deploy" / "z2jh" / "values-learners.yaml").read_text())
    assert values["singleuser"]["storage"]["type"] == "dynamic"
    assert values["singleuser"]["defaultUrl"].startswith("/lab/tree/backcare-lessons/")
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] != "tmp"
