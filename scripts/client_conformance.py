#!/usr/bin/env python3
"""Validate the requests a Weavr client sent against Weavr's OpenAPI spec.

Reads the simulator's captured requests (GET <base-url>/_simulator/requests, secrets already redacted)
and checks every one against the operation its method + path matches in the spec:

  * the operation exists (path template + method);
  * security: `api-key` always present where required, `authorization: Bearer` where every security
    alternative needs `auth_token`;
  * header parameters: required ones present; `idempotency-ref` only on operations that declare it;
  * query parameters: declared by the operation, values of the declared type / enum;
  * body: present when the operation requires one, absent when it declares none, and valid JSON against
    the request-body schema (JSON Schema 2020-12, refs resolved inside the spec).

Exit status 0 when every request conforms, 1 otherwise (each problem printed), 2 on usage errors.
"""
import argparse
import json
import os
import re
import sys
import urllib.parse
import urllib.request

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SPEC = os.path.join(HERE, "..", "spec", "weavr-multi-openapi.yml")
SAFE_METHODS = {"get", "post", "put", "patch", "delete"}


def load_spec(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


def resolve(spec, node):
    """Follows local `$ref`s; returns (resolved node, JSON pointer of it or None)."""
    pointer = None
    while isinstance(node, dict) and "$ref" in node:
        pointer = node["$ref"]
        target = spec
        for part in pointer.lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node, pointer


def escape(part):
    return part.replace("~", "~0").replace("/", "~1")


def compile_paths(spec):
    routes = []
    for template in spec["paths"]:
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        literal = len(re.sub(r"\{[^}]+\}", "", template))
        routes.append((literal, re.compile(pattern), template))
    routes.sort(key=lambda item: -item[0])  # literal segments win over templates
    return routes


def find_operation(spec, routes, method, path):
    for _, regex, template in routes:
        if regex.match(path):
            item = spec["paths"][template]
            operation = item.get(method.lower())
            if operation is not None:
                return template, item, operation
    return None, None, None


def parameters(spec, item, operation):
    merged = {}
    for raw in list(item.get("parameters", [])) + list(operation.get("parameters", [])):
        parameter, _ = resolve(spec, raw)
        merged[(parameter["in"], parameter["name"].lower())] = parameter
    return merged


def value_fits(spec, schema, text):
    schema, _ = resolve(spec, schema or {})
    if schema.get("type") == "array":
        return all(value_fits(spec, schema.get("items", {}), part) for part in text.split(","))
    kind = schema.get("type")
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", text):
            return False
        number = int(text)
        return schema.get("minimum", number) <= number <= schema.get("maximum", number)
    if kind == "boolean":
        return text in ("true", "false")
    if "enum" in schema and text not in schema["enum"]:
        return False
    if "pattern" in schema and not re.search(schema["pattern"], text):
        return False
    return True


def check(spec, routes, request):
    problems = []
    method, path = request["method"], request["path"]
    where = f"{method} {path}"
    template, item, operation = find_operation(spec, routes, method, path)
    if operation is None:
        return [f"{where}: no such operation in the spec"]
    headers = {}
    for name, value in request.get("headers", []):
        headers.setdefault(name.lower(), value)

    security = operation.get("security", spec.get("security", []))
    if security and all("api-key" in alternative for alternative in security) and "api-key" not in headers:
        problems.append(f"{where}: api-key header missing")
    if security and all("auth_token" in alternative for alternative in security):
        if "authorization" not in headers:
            problems.append(f"{where}: authorization header missing")
    declared = parameters(spec, item, operation)
    for (location, name), parameter in declared.items():
        if location == "header" and parameter.get("required") and name not in headers:
            problems.append(f"{where}: required header {name} missing")
    if "idempotency-ref" in headers and ("header", "idempotency-ref") not in declared:
        problems.append(f"{where}: idempotency-ref sent but {template} {method} does not declare it")

    for name, values in urllib.parse.parse_qs(request.get("query") or "", keep_blank_values=True).items():
        parameter = declared.get(("query", name.lower()))
        if parameter is None:
            problems.append(f"{where}: query parameter {name} not declared")
            continue
        for value in values:
            if not value_fits(spec, parameter.get("schema"), value):
                problems.append(f"{where}: query {name}={value!r} does not fit its schema")

    body_text = request.get("body") or ""
    request_body, body_pointer = resolve(spec, operation.get("requestBody")) if "requestBody" in operation else (None, None)
    if request_body is None:
        if body_text.strip():
            problems.append(f"{where}: sends a body but the operation declares none")
        return problems
    if not body_text.strip():
        if request_body.get("required"):
            problems.append(f"{where}: required request body missing")
        return problems
    content = request_body.get("content", {})
    if "application/json" not in content:
        problems.append(f"{where}: operation takes no application/json body")
        return problems
    if headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        problems.append(f"{where}: content-type is not application/json")
    try:
        document = json.loads(body_text)
    except ValueError:
        return problems + [f"{where}: body is not JSON"]
    base = body_pointer or f"#/paths/{escape(template)}/{method.lower()}/requestBody"
    schema_pointer = f"{base}/content/application~1json/schema"
    root = {"$ref": schema_pointer, "paths": spec["paths"], "components": spec["components"]}
    validator = jsonschema.Draft202012Validator(root)
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        location = "/".join(str(part) for part in error.absolute_path) or "(root)"
        problems.append(f"{where}: body {location}: {error.message[:200]}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", help="simulator base URL; its /_simulator/requests are checked")
    parser.add_argument("--requests-file", help="a saved /_simulator/requests JSON instead of --base-url")
    parser.add_argument("--spec", default=DEFAULT_SPEC, help="Weavr OpenAPI file (default: spec/weavr-multi-openapi.yml)")
    arguments = parser.parse_args()
    if not arguments.base_url and not arguments.requests_file:
        parser.error("one of --base-url / --requests-file is required")
    if not os.path.exists(arguments.spec):
        print(f"spec not found: {arguments.spec}", file=sys.stderr)
        return 2
    spec = load_spec(arguments.spec)
    routes = compile_paths(spec)
    if arguments.requests_file:
        with open(arguments.requests_file) as handle:
            captured = json.load(handle)
    else:
        with urllib.request.urlopen(arguments.base_url.rstrip("/") + "/_simulator/requests", timeout=10) as response:
            captured = json.load(response)
    requests = captured["requests"] if isinstance(captured, dict) else captured
    problems = []
    operations = set()
    for request in requests:
        template, _, _ = find_operation(spec, routes, request["method"], request["path"])
        operations.add(f"{request['method']} {template or request['path']}")
        problems.extend(check(spec, routes, request))
    for problem in problems:
        print("FAIL", problem)
    print(f"client conformance: {len(requests)} requests, {len(operations)} operations, {len(problems)} problems")
    return 1 if problems or not requests else 0


if __name__ == "__main__":
    sys.exit(main())
