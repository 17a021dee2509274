"""Structure of terraform/: tags, described variables, module wiring, templates, backend, checkov skips.

Terraform's own `validate` needs the AWS provider from the Terraform registry, which is not reachable here, so
the wiring checks below (arguments, variables, outputs, template variables) stand in for it; argument names
are checked against the provider schema by terraform/tools/provider_schema.py (`make -C terraform check`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TERRAFORM = Path(__file__).resolve().parents[2] / "terraform"
ENVIRONMENTS = sorted(p for p in (TERRAFORM / "envs").iterdir() if p.is_dir())

# AWS provider resource types that accept no `tags` argument (everything else must be tagged explicitly).
UNTAGGABLE = {
    "aws_autoscaling_policy",
    "aws_cloudfront_cache_policy",
    "aws_cloudfront_function",
    "aws_cloudfront_origin_access_control",
    "aws_cloudfront_response_headers_policy",
    "aws_default_security_group_rule",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_kms_alias",
    "aws_lb_target_group_attachment",
    "aws_route",
    "aws_route_table_association",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_logging",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning",
    "aws_scheduler_schedule",
    "aws_sns_topic_subscription",
    "aws_wafv2_web_acl_logging_configuration",
}
REQUIRED_TAGS = {"Project", "Environment", "ManagedBy"}


def test_every_tf_file_parses(blocks) -> None:
    files = {b.path for b in blocks}
    assert files == set(p for p in TERRAFORM.rglob("*.tf") if ".terraform" not in p.parts)


def test_one_root_module_per_environment() -> None:
    assert {p.name for p in ENVIRONMENTS} >= {"prod", "staging"}
    for env in ENVIRONMENTS:
        for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf"):
            assert (env / name).is_file(), f"{env.name}/{name} missing"


def test_every_taggable_resource_is_tagged(resources) -> None:
    for resource in resources:
        if resource.type in UNTAGGABLE:
            assert "tags" not in resource.body, f"{resource.where()}: update UNTAGGABLE"
            continue
        if resource.type == "aws_autoscaling_group":
            assert resource.body.get("dynamic") or resource.body.get("tag"), f"{resource.where()}: no tags"
            continue
        assert "tags" in resource.body, f"{resource.where()}: no tags"
        assert "var.tags" in str(resource.body["tags"]) or "local.tags" in str(resource.body["tags"]), (
            resource.where()
        )


def test_providers_set_default_tags(blocks) -> None:
    for env in ENVIRONMENTS:
        providers = [b for b in blocks if b.kind == "provider" and b.module_dir == env and b.name == "aws"]
        assert providers, f"{env.name}: no aws provider"
        for provider in providers:
            assert provider.body["default_tags"][0]["tags"] == "${local.tags}"
            assert provider.body["allowed_account_ids"] == ["${var.account_id}"]
        source = (env / "main.tf").read_text()
        for tag in REQUIRED_TAGS:
            assert re.search(rf"^\s*{tag}\s*=", source, re.MULTILINE), f"{env.name}: local.tags lacks {tag}"


def test_every_variable_is_described_and_typed(blocks) -> None:
    variables = [b for b in blocks if b.kind == "variable"]
    assert len(variables) > 50
    for variable in variables:
        description = variable.body.get("description", "")
        assert isinstance(description, str) and len(description) >= 10, f"{variable.where()}: no description"
        assert variable.body.get("type"), f"{variable.where()}: no type"


def test_environment_variables_are_validated(blocks) -> None:
    """Every environment variable is validated, except booleans and the free-form extra tags."""
    free_form = {"extra_tags", "db_multi_az", "deletion_protection", "nat_gateway_per_az", "enable_waf"}
    for env in ENVIRONMENTS:
        for variable in (b for b in blocks if b.kind == "variable" and b.module_dir == env):
            if variable.name not in free_form:
                assert variable.body.get("validation"), f"{variable.where()}: add a validation block"


def test_every_output_is_described(blocks) -> None:
    for output in (b for b in blocks if b.kind == "output"):
        assert output.body.get("description"), f"{output.where()}: no description"


def _variables(blocks, directory: Path) -> dict[str, dict]:
    return {b.name: b.body for b in blocks if b.kind == "variable" and b.module_dir == directory}


def _outputs(blocks, directory: Path) -> set[str]:
    return {b.name for b in blocks if b.kind == "output" and b.module_dir == directory}


def test_module_calls_match_module_variables(blocks) -> None:
    calls = [b for b in blocks if b.kind == "module"]
    assert calls
    meta = {"source", "depends_on", "count", "for_each", "providers"}
    for call in calls:
        target = (call.module_dir / call.body["source"]).resolve()
        declared = _variables(blocks, target)
        assert declared, f"{call.where()}: no variables in {target}"
        passed = set(call.body) - meta
        assert not passed - set(declared), f"{call.where()}: unknown arguments {passed - set(declared)}"
        required = {name for name, body in declared.items() if "default" not in body}
        assert not required - passed, f"{call.where()}: missing arguments {required - passed}"


def test_references_resolve(blocks) -> None:
    """var.X is declared in the same module, module.M.O is an output of M, local.X is defined."""
    by_dir: dict[Path, list[str]] = {}
    for path in TERRAFORM.rglob("*.tf"):
        by_dir.setdefault(path.parent, []).append(path.read_text())
    calls = {
        (b.module_dir, b.name): (b.module_dir / b.body["source"]).resolve()
        for b in blocks
        if b.kind == "module"
    }
    for directory, sources in by_dir.items():
        text = "\n".join(sources)
        declared = set(_variables(blocks, directory))
        for name in set(re.findall(r"\bvar\.([a-z_][a-z0-9_]*)", text)):
            assert name in declared, f"{directory.relative_to(TERRAFORM)}: var.{name} is not declared"
        for module, output in set(re.findall(r"\bmodule\.([a-z_]+)\.([a-z_]+)", text)):
            assert (directory, module) in calls, f"{directory.relative_to(TERRAFORM)}: no module {module}"
            assert output in _outputs(blocks, calls[(directory, module)]), (
                f"module.{module}.{output} is not an output"
            )
        locals_defined = set()
        for block in (b for b in blocks if b.kind == "locals" and b.module_dir == directory):
            locals_defined |= set(block.body)
        for name in set(re.findall(r"\blocal\.([a-z_]+)", text)):
            assert name in locals_defined, f"{directory.relative_to(TERRAFORM)}: local.{name} is not defined"


TEMPLATE_CALL = re.compile(r'templatefile\("\$\{path\.module\}/([^"]+)",\s*\{(.*?)\n\s*\}\)', re.DOTALL)


def test_templates_get_every_variable_they_use() -> None:
    calls = 0
    for path in TERRAFORM.rglob("*.tf"):
        for template, arguments in TEMPLATE_CALL.findall(path.read_text()):
            calls += 1
            file = (path.parent / template).resolve()
            assert file.is_file(), f"{path}: template {template} missing"
            passed = set(re.findall(r"^\s*([a-z_]+)\s*=", arguments, re.MULTILINE))
            used = set(re.findall(r"(?<!\$)\$\{([a-z_]+)\}", file.read_text()))
            assert used <= passed, f"{file.name}: not passed {used - passed}"
            assert passed <= used, f"{file.name}: passed but unused {passed - used}"
    assert calls >= 6


def test_templates_use_the_cli_contract() -> None:
    text = "\n".join(p.read_text() for p in TERRAFORM.rglob("*.tftpl"))
    for command in ("wtw serve --host", "--port", "--workers", "wtw db upgrade", "wtw jobs nightly"):
        assert command in text, command
    assert "WTW_DATABASE_URL" in text and "WTW_SERVICE__SECRET_KEY" in text
    assert "http_tokens" not in text  # IMDS settings belong in Terraform, not in scripts


@pytest.mark.parametrize("env", ENVIRONMENTS, ids=lambda p: p.name)
def test_remote_state_is_s3_with_locking(blocks, env: Path) -> None:
    (terraform,) = [b for b in blocks if b.kind == "terraform" and b.module_dir == env]
    backend = terraform.body["backend"][0]["s3"]
    assert backend["encrypt"] is True and backend["use_lockfile"] is True
    assert backend["key"] == f"wtw/{env.name}/terraform.tfstate"
    assert "bucket" not in backend, "the state bucket is given at init time (-backend-config)"


def test_checkov_skips_have_reasons() -> None:
    skips = 0
    for path in TERRAFORM.rglob("*.tf"):
        for line in path.read_text().splitlines():
            if "checkov:skip" in line:
                skips += 1
                assert re.search(r"checkov:skip=CKV2?_AWS_\d+:\s*\S.{15,}", line), (
                    f"{path}: skip without reason: {line}"
                )
    assert skips > 0
