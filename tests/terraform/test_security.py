"""Security properties of terraform/, asserted on the parsed HCL (no cloud access needed)."""

from __future__ import annotations

import re
from typing import Any

OPEN_CIDRS = {"0.0.0.0/0", "::/0"}


def _get(body: dict[str, Any], *keys: str) -> Any:
    """body["a"][0]["b"]... through nested blocks; None when absent."""
    value: Any = body
    for key in keys:
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _references(value: Any, address: str) -> bool:
    return isinstance(value, str) and re.search(rf"\b{re.escape(address)}\b", value) is not None


# ---------------------------------------------------------------- S3


def test_every_bucket_blocks_public_access(of_type) -> None:
    buckets = of_type("aws_s3_bucket")
    blocks = of_type("aws_s3_bucket_public_access_block")
    assert len(buckets) >= 3  # frontend, logs and the private_bucket module (raw, artifacts)
    for bucket in buckets:
        matching = [
            b
            for b in blocks
            if b.module_dir == bucket.module_dir
            and _references(b.body["bucket"], f"aws_s3_bucket.{bucket.name}")
        ]
        assert matching, f"{bucket.where()} has no public access block"
        for flag in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        ):
            assert matching[0].body.get(flag) is True, f"{matching[0].where()}: {flag} must be true"


def test_no_acls_and_bucket_owner_enforced(of_type) -> None:
    assert not of_type("aws_s3_bucket_acl"), "ACLs are disabled (BucketOwnerEnforced); grant access by policy"
    for bucket in of_type("aws_s3_bucket"):
        assert "acl" not in bucket.body, bucket.where()
        owners = [
            o
            for o in of_type("aws_s3_bucket_ownership_controls")
            if o.module_dir == bucket.module_dir
            and _references(o.body["bucket"], f"aws_s3_bucket.{bucket.name}")
        ]
        assert owners, f"{bucket.where()} has no ownership controls"
        assert _get(owners[0].body, "rule", "object_ownership") == "BucketOwnerEnforced"


def test_every_bucket_is_encrypted_and_versioned(of_type) -> None:
    for bucket in of_type("aws_s3_bucket"):
        address = f"aws_s3_bucket.{bucket.name}"
        for kind in ("aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning"):
            found = [
                r
                for r in of_type(kind)
                if r.module_dir == bucket.module_dir and _references(r.body["bucket"], address)
            ]
            assert found, f"{bucket.where()} has no {kind}"
        versioning = [
            r
            for r in of_type("aws_s3_bucket_versioning")
            if r.module_dir == bucket.module_dir and _references(r.body["bucket"], address)
        ]
        assert _get(versioning[0].body, "versioning_configuration", "status") == "Enabled"


def test_data_buckets_use_the_customer_key(of_type) -> None:
    kms = [
        r
        for r in of_type("aws_s3_bucket_server_side_encryption_configuration")
        if _get(r.body, "rule", "apply_server_side_encryption_by_default", "sse_algorithm") == "aws:kms"
    ]
    assert kms, "raw and artifacts buckets must use SSE-KMS"
    for r in kms:
        assert _get(r.body, "rule", "apply_server_side_encryption_by_default", "kms_master_key_id"), r.where()


def test_every_bucket_expires_old_versions(of_type) -> None:
    lifecycles = of_type("aws_s3_bucket_lifecycle_configuration")
    for bucket in of_type("aws_s3_bucket"):
        found = [
            r
            for r in lifecycles
            if r.module_dir == bucket.module_dir
            and _references(r.body["bucket"], f"aws_s3_bucket.{bucket.name}")
        ]
        assert found, f"{bucket.where()} has no lifecycle rules"
        rules = found[0].blocks("rule")
        assert any(rule.get("noncurrent_version_expiration") for rule in rules), found[0].where()


def test_policies_grant_nothing_to_everyone(of_type, blocks) -> None:
    """A '*' principal appears only in Deny statements; CloudFront's grant names the distribution."""
    documents = [b for b in blocks if b.kind == "data" and b.type == "aws_iam_policy_document"]
    assert documents
    for document in documents:
        for statement in document.blocks("statement"):
            effect = statement.get("effect", "Allow")
            for principal in statement.get("principals", []):
                if "*" in principal["identifiers"]:
                    assert effect == "Deny", f"{document.where()}: Allow to '*'"
                if principal["identifiers"] == ["cloudfront.amazonaws.com"]:
                    conditions = statement.get("condition", [])
                    assert any(c["variable"] == "AWS:SourceArn" for c in conditions), document.where()


def test_iam_allows_no_wildcard_actions(blocks, of_type) -> None:
    key_policies = {
        (
            key.module_dir,
            key.body["policy"].removeprefix("${data.aws_iam_policy_document.").removesuffix(".json}"),
        )
        for key in of_type("aws_kms_key")
    }
    assert key_policies
    for document in (b for b in blocks if b.kind == "data" and b.type == "aws_iam_policy_document"):
        is_key_policy = (document.module_dir, document.name) in key_policies
        for statement in document.blocks("statement"):
            if statement.get("effect", "Allow") != "Allow":
                continue
            actions = statement.get("actions", [])
            resources = statement.get("resources", [])
            assert "*" not in actions and "s3:*" not in actions, f"{document.where()}: wildcard action"
            if "kms:*" in actions:
                assert is_key_policy and statement["principals"][0]["identifiers"][0].endswith(":root")
            if resources == ["*"]:
                # Key policies ("*" is the key itself) and conditioned metric publishing only.
                assert is_key_policy or statement.get("condition"), f"{document.where()}: Resource '*'"


# ---------------------------------------------------------------- RDS


def test_database_is_private_encrypted_backed_up(of_type) -> None:
    (db,) = of_type("aws_db_instance")
    body = db.body
    assert body["publicly_accessible"] is False
    assert body["storage_encrypted"] is True and body.get("kms_key_id")
    assert body["manage_master_user_password"] is True, "RDS must manage the master password"
    assert "password" not in body, "no password in code or state"
    assert body["backup_retention_period"] == "${var.backup_retention_days}"
    assert body["deletion_protection"] == "${var.deletion_protection}"
    assert body["skip_final_snapshot"] is False
    assert body["iam_database_authentication_enabled"] is True


def test_database_backups_and_deletion_protection_are_validated_variables(blocks) -> None:
    variables = {b.name: b for b in blocks if b.kind == "variable" and b.module_dir.name == "database"}
    retention = variables["backup_retention_days"]
    assert retention.body["validation"], "backups cannot be turned off"
    assert retention.body["default"] >= 7
    assert variables["deletion_protection"].body["default"] is True


def test_database_enforces_tls(of_type) -> None:
    (group,) = of_type("aws_db_parameter_group")
    parameters = {p["name"]: p["value"] for p in group.blocks("parameter")}
    assert parameters["rds.force_ssl"] == "1"


# ---------------------------------------------------------------- compute


def test_imdsv2_required_everywhere(of_type) -> None:
    hosts = of_type("aws_launch_template", "aws_instance")
    assert len(hosts) >= 2
    for host in hosts:
        assert _get(host.body, "metadata_options", "http_tokens") == "required", host.where()
        assert _get(host.body, "metadata_options", "http_put_response_hop_limit") == 1, host.where()
    for notebook in of_type("aws_sagemaker_notebook_instance"):
        config = _get(
            notebook.body,
            "instance_metadata_service_configuration",
            "minimum_instance_metadata_service_version",
        )
        assert config == "2", notebook.where()


def test_volumes_are_encrypted_and_instances_private(of_type) -> None:
    for template in of_type("aws_launch_template"):
        for mapping in template.blocks("block_device_mappings"):
            assert _get(mapping, "ebs", "encrypted") is True, template.where()
        assert "network_interfaces" not in template.body, "no public IP association on API instances"
    for instance in of_type("aws_instance"):
        assert _get(instance.body, "root_block_device", "encrypted") is True, instance.where()
        assert instance.body["associate_public_ip_address"] is False, instance.where()
    for notebook in of_type("aws_sagemaker_notebook_instance"):
        assert notebook.body["direct_internet_access"] == "Disabled"
        assert notebook.body["root_access"] == "Disabled"
        assert notebook.body.get("kms_key_id")


def test_load_balancer_is_internal_and_checks_readyz(of_type) -> None:
    (alb,) = of_type("aws_lb")
    assert alb.body["internal"] is True
    assert alb.body["drop_invalid_header_fields"] is True
    (group,) = of_type("aws_lb_target_group")
    assert _get(group.body, "health_check", "path") == "/readyz"
    (asg,) = of_type("aws_autoscaling_group")
    assert asg.body["health_check_type"] == "ELB"


def test_logs_are_encrypted_and_retained(of_type) -> None:
    groups = of_type("aws_cloudwatch_log_group")
    assert groups
    for group in groups:
        assert group.body.get("kms_key_id"), group.where()
        assert group.body.get("retention_in_days"), group.where()


# ---------------------------------------------------------------- network


def _open_ingress(of_type) -> list[tuple[Any, int, int]]:
    """(resource, from_port, to_port) of every ingress rule open to the whole internet."""
    found = []
    for group in of_type("aws_security_group"):
        for rule in group.blocks("ingress"):
            if OPEN_CIDRS & set(rule.get("cidr_blocks", []) + rule.get("ipv6_cidr_blocks", [])):
                found.append((group, rule["from_port"], rule["to_port"]))
    for rule in of_type("aws_security_group_rule"):
        if rule.body["type"] == "ingress" and OPEN_CIDRS & set(
            rule.body.get("cidr_blocks", []) + rule.body.get("ipv6_cidr_blocks", [])
        ):
            found.append((rule, rule.body["from_port"], rule.body["to_port"]))
    for rule in of_type("aws_vpc_security_group_ingress_rule"):
        if rule.body.get("cidr_ipv4") in OPEN_CIDRS or rule.body.get("cidr_ipv6") in OPEN_CIDRS:
            found.append((rule, rule.body.get("from_port"), rule.body.get("to_port")))
    return found


def test_no_internet_ingress_except_http_on_the_load_balancer(of_type) -> None:
    for rule, from_port, to_port in _open_ingress(of_type):
        target = rule.body.get("security_group_id", f"aws_security_group.{rule.name}")
        assert "aws_security_group.alb" in str(target), f"{rule.where()}: open to the internet"
        assert from_port == to_port and from_port in (80, 443), f"{rule.where()}: only 80/443 may be open"


def test_load_balancer_accepts_only_cloudfront(of_type, blocks) -> None:
    """The ALB's one ingress rule admits the security group CloudFront creates for its VPC origins."""
    rules = [
        r for r in of_type("aws_vpc_security_group_ingress_rule") if "alb" in r.body["security_group_id"]
    ]
    assert len(rules) == 1
    (rule,) = rules
    assert rule.body["security_group_id"] == "${var.alb_security_group_id}"
    assert rule.body["referenced_security_group_id"] == "${data.aws_security_group.vpc_origin.id}"
    assert (rule.body["from_port"], rule.body["to_port"]) == (80, 80)
    (source,) = [
        b
        for b in blocks
        if b.kind == "data" and b.type == "aws_security_group" and b.module_dir == rule.module_dir
    ]
    assert source.body["name"] == "CloudFront-VPCOrigins-Service-SG"


def test_who_reaches_what(of_type) -> None:
    """The ALB alone reaches the API; the API and the job alone reach RDS; nothing reaches notebook or job."""
    ingress = of_type("aws_vpc_security_group_ingress_rule")

    def sources(group: str) -> set[str]:
        found = set()
        for rule in ingress:
            if f"aws_security_group.{group}.id" in rule.body["security_group_id"]:
                found.add(
                    str(rule.body.get("referenced_security_group_id") or rule.body.get("prefix_list_id"))
                )
            if rule.body.get("for_each") and f"aws_security_group.{group}.id" == rule.body[
                "security_group_id"
            ].strip("${}"):
                found.update(str(v) for v in rule.body["for_each"].values())
        return found

    assert sources("api") == {"${aws_security_group.alb.id}"}
    assert {s.strip("${}") for s in sources("database") if s != "${each.value}"} == {
        "aws_security_group.api.id",
        "aws_security_group.job.id",
    }
    assert sources("notebook") == set()
    assert sources("job") == set()
    for group in of_type("aws_security_group"):
        assert not group.blocks("ingress"), f"{group.where()}: use separate rule resources"


def test_default_security_group_denies_everything(of_type) -> None:
    (default,) = of_type("aws_default_security_group")
    assert not default.blocks("ingress") and not default.blocks("egress")


def test_subnets_assign_no_public_ips(of_type) -> None:
    for subnet in of_type("aws_subnet"):
        assert subnet.body["map_public_ip_on_launch"] is False, subnet.where()


# ---------------------------------------------------------------- CloudFront


def test_cloudfront_https_only_with_oac_and_api_route(of_type) -> None:
    (distribution,) = of_type("aws_cloudfront_distribution")
    origins = {o["origin_id"]: o for o in distribution.blocks("origin")}
    assert origins["frontend"].get("origin_access_control_id"), "S3 origin must use origin access control"
    assert origins["api"].get("vpc_origin_config"), "the API is reached through a VPC origin"
    behaviours = distribution.blocks("default_cache_behavior") + distribution.blocks("ordered_cache_behavior")
    for behaviour in behaviours:
        assert behaviour["viewer_protocol_policy"] in ("redirect-to-https", "https-only")
        assert behaviour.get("response_headers_policy_id")
    api = [b for b in distribution.blocks("ordered_cache_behavior") if b["path_pattern"] == "/api/*"]
    assert api and api[0]["target_origin_id"] == "api"
    assert distribution.blocks("default_cache_behavior")[0]["target_origin_id"] == "frontend"


def test_keys_rotate(of_type) -> None:
    keys = of_type("aws_kms_key")
    assert keys
    for key in keys:
        assert key.body["enable_key_rotation"] is True
