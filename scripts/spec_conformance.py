#!/usr/bin/env python3
"""Checks the Weavr simulator against Weavr's own OpenAPI 3.1 spec.

Exercises every simulator endpoint (happy paths and the main errors) on a running simulator and checks
that each response status is declared for the operation, that each JSON body validates against the
declared response schema (JSON Schema 2020-12, $refs resolved, `discriminator` mappings applied), that
`request-ref` is present, and that every request body the script sends validates against the spec.

Usage: spec_conformance.py --base-url http://127.0.0.1:PORT [--spec PATH] [--api-key KEY]
Prints one line per check and a final "N passed, M failed"; exit status 1 on any failure.

Reusable parts (for validating captured client requests, `GET /_simulator/requests`):
  SpecIndex(spec_path).match_operation(method, concrete_path) -> (template, operation) | None
  SpecIndex.validate_request_body(method, template, body) -> list of error strings
  SpecIndex.validate_response(method, template, status, body_bytes) -> list of error strings
"""
import argparse
import copy
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:weavr-multi-spec"
DEFAULT_SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec", "weavr-multi-openapi.yml")


def _rewrite_refs(node):
    """Makes every local "#/..." $ref absolute so subschemas resolve against the whole spec."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#"):
                out[key] = SPEC_URI + value
            else:
                out[key] = _rewrite_refs(value)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


class SpecIndex:
    """Operations of an OpenAPI 3.1 document, with request/response validation."""

    def __init__(self, spec_path):
        with open(spec_path, encoding="utf-8") as handle:
            self.raw = yaml.safe_load(handle)
        self.spec = _rewrite_refs(self.raw)
        self.registry = Registry().with_resource(SPEC_URI, Resource(contents=self.spec, specification=DRAFT202012))
        self.templates = []
        for template in self.raw.get("paths", {}):
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            literal_segments = sum(1 for part in template.split("/") if part and not part.startswith("{"))
            self.templates.append((literal_segments, template, re.compile(pattern)))
        self.templates.sort(key=lambda item: -item[0])  # literal segments win over parameters

    def resolve(self, node):
        """Follows OpenAPI-level $refs (responses, requestBodies, parameters)."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            pointer = node["$ref"].split("#", 1)[1]
            node = self.spec
            for part in pointer.strip("/").split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            seen += 1
        return node

    def operation(self, method, template):
        return self.spec["paths"].get(template, {}).get(method.lower())

    def match_operation(self, method, concrete_path):
        path = concrete_path.split("?", 1)[0]
        for _, template, pattern in self.templates:
            if pattern.match(path) and self.operation(method, template) is not None:
                return template, self.operation(method, template)
        return None

    def _validate_schema(self, schema, instance, where):
        validator = Draft202012Validator(schema, registry=self.registry)
        errors = [f"{where}: {error.message[:200]} at /{'/'.join(str(p) for p in error.absolute_path)}" for error in validator.iter_errors(instance)]
        errors += self._discriminator_errors(schema, instance, where, 0)
        return errors

    def _discriminator_errors(self, schema, instance, where, depth):
        """jsonschema ignores OpenAPI `discriminator`: validate the mapped schema too, recursively by data."""
        if depth > 8 or not isinstance(schema, dict):
            return []
        schema = self.resolve(schema)
        errors = []
        discriminator = schema.get("discriminator")
        if discriminator and isinstance(instance, dict) and discriminator.get("mapping"):
            value = instance.get(discriminator["propertyName"])
            target = discriminator["mapping"].get(value)
            if target is None:
                errors.append(f"{where}: discriminator {discriminator['propertyName']}={value!r} not in mapping")
            else:
                mapped = {"$ref": target if target.startswith(SPEC_URI) else SPEC_URI + target}
                validator = Draft202012Validator(mapped, registry=self.registry)
                errors += [f"{where} (as {target.rsplit('/', 1)[-1]}): {e.message[:200]}" for e in validator.iter_errors(instance)]
        if isinstance(instance, list) and isinstance(schema.get("items"), dict):
            for index, item in enumerate(instance[:50]):
                errors += self._discriminator_errors(schema["items"], item, f"{where}[{index}]", depth + 1)
        if isinstance(instance, dict):
            for key, sub in (schema.get("properties") or {}).items():
                if key in instance:
                    errors += self._discriminator_errors(sub, instance[key], f"{where}.{key}", depth + 1)
            for part in schema.get("allOf", []):
                errors += self._discriminator_errors(part, instance, where, depth + 1)
            for part in schema.get("oneOf", []):  # the branch the instance matches (the plain validation checks "one")
                if Draft202012Validator(part, registry=self.registry).is_valid(instance):
                    errors += self._discriminator_errors(part, instance, where, depth + 1)
        return errors

    def validate_request_body(self, method, template, body):
        """Errors of a request body (already decoded JSON, or None) against the operation's requestBody."""
        operation = self.operation(method, template)
        if operation is None:
            return [f"{method} {template} is not in the spec"]
        request_body = self.resolve(operation.get("requestBody")) if operation.get("requestBody") else None
        if request_body is None:
            return [] if body in (None, "", {}) else [f"{method} {template} declares no request body"]
        if body is None:
            return [f"{method} {template} requires a body"] if request_body.get("required") else []
        schema = (request_body.get("content", {}).get("application/json") or {}).get("schema")
        return self._validate_schema(schema, body, "request") if schema else []

    def validate_response(self, method, template, status, body_bytes, headers=None):
        """Errors of a response: status declared, body matches the declared schema, request-ref present."""
        operation = self.operation(method, template)
        if operation is None:
            return [f"{method} {template} is not in the spec"]
        responses = operation.get("responses", {})
        declared = responses.get(str(status))
        if declared is None:
            return [f"status {status} not declared (declared: {', '.join(sorted(responses))})"]
        declared = self.resolve(declared)
        errors = []
        if headers is not None and status != 429 and "request-ref" not in {k.lower() for k in headers}:
            errors.append("request-ref header missing")
        if status == 429 and headers is not None:
            lower = {k.lower() for k in headers}
            for name in ("x-ratelimit-limit", "x-ratelimit-reset"):
                if name not in lower:
                    errors.append(f"{name} header missing on 429")
        content = declared.get("content") or {}
        schema = (content.get("application/json") or {}).get("schema")
        if not body_bytes:
            if schema is not None and status != 204:
                errors.append("declared a JSON body but got none")
            return errors
        if schema is None:
            return errors + [f"no body declared for {status}, got {len(body_bytes)} bytes"]
        try:
            body = json.loads(body_bytes)
        except ValueError:
            return errors + ["body is not JSON"]
        return errors + self._validate_schema(schema, body, "response")


class Checker:
    """Sends requests to the simulator and records one pass/fail line per check."""

    def __init__(self, base_url, spec, api_key):
        self.base_url = base_url.rstrip("/")
        self.spec = spec
        self.api_key = api_key
        self.passed = 0
        self.failed = 0

    def http(self, method, path, token=None, body=None, api_key=True, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        if api_key:
            request.add_header("api-key", self.api_key)
        if token:
            request.add_header("Authorization", "Bearer " + token)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def check(self, label, method, path, expect, token=None, body=None, api_key=True, headers=None):
        """Sends the request, checks the expected status, spec conformance of request and response."""
        match = self.spec.match_operation(method, path)
        status, response_headers, payload = self.http(method, path, token, body, api_key, headers)
        problems = []
        if match is None:
            problems.append(f"{method} {path} matches no spec operation")
        else:
            template, _ = match
            problems += self.spec.validate_request_body(method, template, body) if expect < 400 else []
            problems += self.spec.validate_response(method, template, status, payload, response_headers)
        if status != expect:
            problems.insert(0, f"expected {expect}, got {status}: {payload[:200]!r}")
        self.record(f"{label}: {method} {path} -> {status}", problems)
        try:
            return status, json.loads(payload) if payload else None
        except ValueError:
            return status, None

    def record(self, line, problems):
        if problems:
            self.failed += 1
            print(f"FAIL {line}")
            for problem in problems:
                print(f"     {problem}")
        else:
            self.passed += 1
            print(f"ok   {line}")

    def admin(self, method, path, body=None):
        return self.http(method, path, body=body, api_key=False)


def card_request(name="Conformance card", profile="101", currency="EUR"):
    return {
        "profileId": profile, "friendlyName": name, "nameOnCard": "Alice Admin", "mode": "PREPAID_MODE", "currency": currency,
        "billingAddress": {"addressLine1": "1 Main St", "city": "London", "postCode": "N1 1AA", "country": "GB"},
        "tag": "conformance",
    }


def run(c):
    alice = {"email": "alice@example.com", "password": {"value": "Password1!"}}
    c.check("no api-key", "POST", "/login_with_password", 401, body=alice, api_key=False)
    c.check("wrong password", "POST", "/login_with_password", 403, body={"email": "alice@example.com", "password": {"value": "bad"}})
    c.check("invalid login body", "POST", "/login_with_password", 400, body={"email": "alice@example.com"})
    _, login = c.check("login", "POST", "/login_with_password", 200, body=alice)
    token = (login or {}).get("token")
    _, bob_login = c.check("login bob", "POST", "/login_with_password", 200, body={"email": "bob@example.com", "password": {"value": "Password2!"}})
    bob = (bob_login or {}).get("token")

    c.check("identities", "GET", "/identities", 200, token=token)
    c.check("identities no token", "GET", "/identities", 401)
    c.check("access token", "POST", "/access_token", 200, token=token, body={"identity": {"type": "CORPORATE", "id": "100000000000000001"}})
    c.check("access token foreign identity", "POST", "/access_token", 403, token=token, body={"identity": {"type": "CONSUMER", "id": "100000000000000002"}})

    c.check("user create without step-up", "POST", "/users", 403, token=token, body={"name": "Dan", "surname": "D", "email": "dan@example.com"})
    c.check("step-up challenge", "POST", "/stepup/challenges/otp/SMS", 204, token=token)
    c.check("step-up wrong code", "POST", "/stepup/challenges/otp/SMS/verify", 409, token=token, body={"verificationCode": "000000"})
    c.check("step-up bad code format", "POST", "/stepup/challenges/otp/SMS/verify", 400, token=token, body={"verificationCode": "12"})
    c.check("step-up verify", "POST", "/stepup/challenges/otp/SMS/verify", 204, token=token, body={"verificationCode": "123456"})
    c.check("step-up unknown channel", "POST", "/stepup/challenges/otp/EMAIL", 409, token=token)

    c.check("cards list", "GET", "/managed_cards", 200, token=token)
    c.check("cards list filtered", "GET", "/managed_cards?state=BLOCKED&currency=EUR&offset=0&limit=2", 200, token=token)
    c.check("cards list bad limit", "GET", "/managed_cards?limit=0", 400, token=token)
    c.check("cards list no token", "GET", "/managed_cards", 401)
    _, card = c.check("card create", "POST", "/managed_cards", 200, token=token, body=card_request())
    card_id = (card or {}).get("id", "0")
    c.check("card create replay", "POST", "/managed_cards", 200, token=token, body=card_request("Idem"), headers={"idempotency-ref": "conf-1"})
    c.check("card create replayed", "POST", "/managed_cards", 200, token=token, body=card_request("Idem"), headers={"idempotency-ref": "conf-1"})
    bad = card_request()
    del bad["friendlyName"]
    c.check("card create invalid", "POST", "/managed_cards", 400, token=token, body=bad)
    c.check("card create unknown profile", "POST", "/managed_cards", 409, token=token, body=card_request(profile="999"))
    c.check("card get", "GET", f"/managed_cards/{card_id}", 200, token=token)
    c.check("card get debit", "GET", "/managed_cards/100000000000000305", 200, token=token)
    c.check("card get other identity", "GET", "/managed_cards/100000000000000311", 404, token=token)
    c.check("card patch", "PATCH", f"/managed_cards/{card_id}", 200, token=token, body={"friendlyName": "Renamed", "tag": "conformance-2"})
    c.check("card patch invalid", "PATCH", f"/managed_cards/{card_id}", 400, token=token, body={"friendlyName": ""})
    c.check("card unblock active", "POST", f"/managed_cards/{card_id}/unblock", 409, token=token)
    c.check("card block", "POST", f"/managed_cards/{card_id}/block", 204, token=token)
    c.check("card block blocked", "POST", f"/managed_cards/{card_id}/block", 409, token=token)
    c.check("card unblock", "POST", f"/managed_cards/{card_id}/unblock", 204, token=token)
    c.check("card unblock system-blocked", "POST", "/managed_cards/100000000000000303/unblock", 403, token=token)
    c.check("card block other identity", "POST", "/managed_cards/100000000000000311/block", 404, token=token)
    c.check("card remove funded", "POST", "/managed_cards/100000000000000301/remove", 409, token=token)
    c.check("card remove", "POST", f"/managed_cards/{card_id}/remove", 204, token=token)
    c.check("card remove removed", "POST", f"/managed_cards/{card_id}/remove", 409, token=token)
    c.check("card block destroyed", "POST", f"/managed_cards/{card_id}/block", 409, token=token)
    c.check("card patch destroyed", "PATCH", f"/managed_cards/{card_id}", 409, token=token, body={"tag": "x"})

    c.check("accounts list", "GET", "/managed_accounts?currency=EUR", 200, token=token)
    c.check("account get", "GET", "/managed_accounts/100000000000000201", 200, token=token)
    c.check("account get unknown", "GET", "/managed_accounts/1", 404, token=token)
    run_account_iban(c, token)

    run_transfers(c, token)
    run_purchases(c, token)
    run_spend_rules(c, token)
    run_physical_cards(c, token)

    c.check("users list", "GET", "/users?limit=10", 200, token=token)
    c.check("user get", "GET", "/users/100000000000000102", 200, token=token)
    c.check("user get other identity", "GET", "/users/100000000000000103", 404, token=token)
    _, user = c.check("user create", "POST", "/users", 200, token=token,
                      body={"name": "Dan", "surname": "D", "email": "dan@example.com", "mobile": {"countryCode": "+44", "number": "7700900009"}, "roles": ["CARD_ASSIGNEE"]})
    c.check("user create duplicate", "POST", "/users", 409, token=token, body={"name": "Dan", "surname": "D", "email": "dan@example.com"})
    c.check("user create invalid", "POST", "/users", 400, token=token, body={"name": "Dan"})
    c.check("user create not stepped up", "POST", "/users", 403, token=bob, body={"name": "Eve", "surname": "E", "email": "eve@example.com"})
    c.check("user invite", "POST", f"/users/{(user or {}).get('id', '0')}/invite", 204, token=token)
    c.check("user invite consumed", "POST", "/users/100000000000000102/invite", 409, token=token)
    user_path = f"/users/{(user or {}).get('id', '0')}"
    c.check("user update", "PATCH", user_path, 200, token=token,
            body={"surname": "Dee", "mobile": {"countryCode": "+356", "number": "79000009"}, "dateOfBirth": {"year": 1990, "month": 2, "day": 28}})
    c.check("user update replayed", "PATCH", user_path, 200, token=token, body={"name": "Danny"}, headers={"idempotency-ref": "conf-user-patch"})
    c.check("user update replay", "PATCH", user_path, 200, token=token, body={"name": "Danny"}, headers={"idempotency-ref": "conf-user-patch"})
    c.check("user update email taken", "PATCH", user_path, 409, token=token, body={"email": "alice@example.com"})
    c.check("user update invalid", "PATCH", user_path, 400, token=token, body={"name": ""})
    c.check("user deactivate", "POST", f"{user_path}/deactivate", 204, token=token)
    c.check("user activate", "POST", f"{user_path}/activate", 204, token=token)
    c.check("user deactivate self", "POST", "/users/100000000000000101/deactivate", 403, token=token)
    c.check("user activate other identity", "POST", "/users/100000000000000103/activate", 404, token=token)
    run_credentials(c, token)
    c.check("user update other identity", "PATCH", "/users/100000000000000103", 404, token=token, body={"name": "X"})

    ids = []
    for index in range(3):
        _, created = c.check(f"bulk card {index}", "POST", "/managed_cards", 200, token=token, body=card_request(f"Bulk {index}"))
        ids.append((created or {}).get("id", "0"))
    items = [{"pathParams": {"_id_": i}} for i in ids + ["100000000000000303"]]
    _, submitted = c.check("bulk block submit", "POST", "/bulks/managed_cards/_id_/block", 201, token=token, body=items)
    bulk = (submitted or {}).get("bulkId", "0")
    c.check("bulks list", "GET", "/bulks", 200, token=token)
    c.check("bulk get submitted", "GET", f"/bulks/{bulk}", 200, token=token)
    c.check("bulk pause submitted", "POST", f"/bulks/{bulk}/pause", 409, token=token)
    c.check("bulk execute", "POST", f"/bulks/{bulk}/execute", 204, token=token, body={"mode": "ON_FAILURE_CONTINUE"})
    status = None
    for _ in range(200):
        _, _, raw = c.http("GET", f"/bulks/{bulk}", token=token)
        status = json.loads(raw).get("status")
        if status not in ("SUBMITTED", "RUNNING"):
            break
        time.sleep(0.02)
    c.record(f"bulk reaches PARTIALLY_COMPLETED (got {status})", [] if status == "PARTIALLY_COMPLETED" else ["unexpected final status"])
    c.check("bulk get final", "GET", f"/bulks/{bulk}", 200, token=token)
    c.check("bulk operations", "GET", f"/bulks/{bulk}/operations?status=FAILED", 200, token=token)
    c.check("bulk execute again", "POST", f"/bulks/{bulk}/execute", 409, token=token, body={})
    c.check("bulk resume final", "POST", f"/bulks/{bulk}/resume", 409, token=token)
    c.check("bulk get unknown", "GET", "/bulks/1", 404, token=token)
    _, users_bulk = c.check("bulk users submit", "POST", "/bulks/users", 201, token=token,
                            body=[{"pathParams": {}, "requestBody": {"name": "Fay", "surname": "F", "email": "fay@example.com"}}])
    second = (users_bulk or {}).get("bulkId", "0")
    c.check("bulk cancel submitted", "POST", f"/bulks/{second}/cancel", 204, token=token)
    c.check("bulk cancel cancelled", "POST", f"/bulks/{second}/cancel", 409, token=token)
    c.check("bulk invites submit", "POST", "/bulks/users/_user_id_/invite", 201, token=token, body=[{"pathParams": {"_user_id_": "100000000000000102"}}])
    c.check("bulk unblock submit", "POST", "/bulks/managed_cards/_id_/unblock", 201, token=token, body=[{"pathParams": {"_id_": ids[0]}}])
    c.check("bulk remove submit", "POST", "/bulks/managed_cards/_id_/remove", 201, token=token, body=[{"pathParams": {"_id_": ids[0]}}])

    c.admin("POST", "/_simulator/faults", {"method": "GET", "path": "/managed_accounts", "kind": "tooManyRequests"})
    c.check("injected 429", "GET", "/managed_accounts", 429, token=token)
    c.admin("POST", "/_simulator/faults", {"method": "GET", "path": "/managed_accounts", "kind": "status", "status": 503})
    c.check("injected 503", "GET", "/managed_accounts", 503, token=token)
    c.admin("POST", "/_simulator/faults", {"method": "GET", "path": "/managed_accounts", "kind": "status", "status": 500})
    c.check("injected 500", "GET", "/managed_accounts", 500, token=token)
    c.admin("DELETE", "/_simulator/faults")

    c.check("logout", "POST", "/logout", 204, token=token)
    c.check("after logout", "GET", "/managed_cards", 401, token=token)

    validate_captured(c)


def instrument(kind, id):
    return {"id": id, "type": kind}


def transfer_request(source, destination, amount, currency="EUR", profile="401"):
    return {"profileId": profile, "source": source, "destination": destination,
            "destinationAmount": {"currency": currency, "amount": amount}, "tag": "conformance", "description": "Conformance top-up"}


def run_account_iban(c, token):
    """POST/GET /managed_accounts/{id}/iban: unallocated, upgraded (SEPA and Faster Payments details), replayed, 409, 404."""
    c.check("account iban unallocated", "GET", "/managed_accounts/100000000000000202/iban", 200, token=token)
    c.check("account iban upgrade gbp", "POST", "/managed_accounts/100000000000000202/iban", 200, token=token,
            headers={"idempotency-ref": "conf-iban"})
    c.check("account iban upgrade replayed", "POST", "/managed_accounts/100000000000000202/iban", 200, token=token,
            headers={"idempotency-ref": "conf-iban"})
    c.check("account iban upgrade again", "POST", "/managed_accounts/100000000000000202/iban", 409, token=token)
    c.check("account iban upgrade eur", "POST", "/managed_accounts/100000000000000201/iban", 200, token=token)
    c.check("account iban allocated", "GET", "/managed_accounts/100000000000000201/iban", 200, token=token)
    c.check("account iban unknown", "GET", "/managed_accounts/1/iban", 404, token=token)
    c.check("account iban upgrade unknown", "POST", "/managed_accounts/1/iban", 404, token=token)


def run_credentials(c, token):
    """Invite consume, lost password start/resume, password update, SMS OTP enrolment and its effect on step-up."""
    _, fresh = c.check("credentials user create", "POST", "/users", 200, token=token,
                       body={"name": "Fay", "surname": "F", "email": "fay@example.com", "mobile": {"countryCode": "+44", "number": "7700900077"}})
    fid = (fresh or {}).get("id", "0")
    consume = {"inviteCode": "123456", "password": {"value": "Fay#Passw0rd"}}
    c.check("invite consume before invite", "POST", f"/users/{fid}/invite/consume", 409, body=consume)
    c.check("invite send", "POST", f"/users/{fid}/invite", 204, token=token)
    c.check("invite consume wrong code", "POST", f"/users/{fid}/invite/consume", 409, body={**consume, "inviteCode": "000000"})
    c.check("invite consume simple password", "POST", f"/users/{fid}/invite/consume", 409, body={**consume, "password": {"value": "password"}})
    c.check("invite consume invalid", "POST", f"/users/{fid}/invite/consume", 400, body={"inviteCode": "12"})
    c.check("invite consume unknown user", "POST", "/users/1/invite/consume", 404, body=consume)
    _, consumed = c.check("invite consume", "POST", f"/users/{fid}/invite/consume", 200, body=consume, headers={"idempotency-ref": "conf-consume"})
    c.check("invite consume replayed", "POST", f"/users/{fid}/invite/consume", 200, body=consume, headers={"idempotency-ref": "conf-consume"})
    c.check("invite consume again", "POST", f"/users/{fid}/invite/consume", 409, body=consume)
    fay = (consumed or {}).get("token")
    c.check("step-up before enrolment", "POST", "/stepup/challenges/otp/SMS", 409, token=fay)
    c.check("enrol other channel", "POST", "/authentication_factors/otp/EMAIL", 409, token=fay)
    c.check("enrol verify before start", "POST", "/authentication_factors/otp/SMS/verify", 409, token=fay, body={"verificationCode": "123456"})
    c.check("enrol start", "POST", "/authentication_factors/otp/SMS", 204, token=fay)
    c.check("enrol verify wrong", "POST", "/authentication_factors/otp/SMS/verify", 409, token=fay, body={"verificationCode": "000000"})
    c.check("enrol verify invalid", "POST", "/authentication_factors/otp/SMS/verify", 400, token=fay, body={"verificationCode": "1"})
    c.check("enrol verify", "POST", "/authentication_factors/otp/SMS/verify", 204, token=fay, body={"verificationCode": "123456"})
    c.check("enrol again", "POST", "/authentication_factors/otp/SMS", 409, token=fay)
    c.check("step-up after enrolment", "POST", "/stepup/challenges/otp/SMS", 204, token=fay)
    update = {"oldPassword": {"value": "Fay#Passw0rd"}, "newPassword": {"value": "Fay#Passw0rd2"}}
    c.check("password update wrong old", "POST", "/passwords/update", 409, token=fay, body={**update, "oldPassword": {"value": "nope"}})
    c.check("password update invalid", "POST", "/passwords/update", 400, token=fay, body={"oldPassword": {"value": "x"}})
    c.check("password update", "POST", "/passwords/update", 200, token=fay, body=update)
    c.check("lost password unknown email", "POST", "/passwords/lost_password/start", 409, body={"email": "nobody@example.com"})
    c.check("lost password invalid", "POST", "/passwords/lost_password/start", 400, body={"email": "x"})
    resume = {"email": "fay@example.com", "nonce": "123456", "newPassword": {"value": "Fay#Passw0rd3"}}
    c.check("lost password resume before start", "POST", "/passwords/lost_password/resume", 409, body=resume)
    c.check("lost password start", "POST", "/passwords/lost_password/start", 204, body={"email": "fay@example.com"})
    c.check("lost password resume wrong nonce", "POST", "/passwords/lost_password/resume", 409, body={**resume, "nonce": "000000"})
    c.check("lost password resume same password", "POST", "/passwords/lost_password/resume", 409,
            body={**resume, "newPassword": {"value": "Fay#Passw0rd2"}})
    c.check("lost password resume invalid", "POST", "/passwords/lost_password/resume", 400, body={"email": "fay@example.com"})
    c.check("lost password resume", "POST", "/passwords/lost_password/resume", 200, body=resume)


def run_transfers(c, token):
    """POST/GET /transfers, GET /transfers/{id}, and both per-instrument transactions endpoints."""
    account = instrument("managed_accounts", "100000000000000201")
    card = instrument("managed_cards", "100000000000000301")
    _, transfer = c.check("transfer account to card", "POST", "/transfers", 200, token=token, body=transfer_request(account, card, 1000))
    transfer_id = (transfer or {}).get("id", "0")
    c.check("transfer card to account", "POST", "/transfers", 200, token=token, body=transfer_request(card, account, 250),
            headers={"idempotency-ref": "conf-transfer"})
    c.check("transfer replayed", "POST", "/transfers", 200, token=token, body=transfer_request(card, account, 250),
            headers={"idempotency-ref": "conf-transfer"})
    c.check("transfer invalid body", "POST", "/transfers", 400, token=token, body={"profileId": "401", "source": account})
    refusals = [
        ("funds insufficient", transfer_request(card, account, 10_000_000)),
        ("currency mismatch", transfer_request(account, instrument("managed_cards", "100000000000000302"), 100)),
        ("source not found", transfer_request(instrument("managed_cards", "100000000000000311"), account, 100)),
        ("destination blocked", transfer_request(account, instrument("managed_cards", "100000000000000303"), 100)),
        ("destination debit mode", transfer_request(account, instrument("managed_cards", "100000000000000305"), 100)),
        ("same instrument", transfer_request(account, account, 100)),
        ("amount invalid", transfer_request(account, card, 0)),
        ("profile inactive", transfer_request(account, card, 100, profile="999")),
    ]
    for label, body in refusals:
        c.check(f"transfer {label}", "POST", "/transfers", 409, token=token, body=body)
    c.check("transfers list", "GET", "/transfers", 200, token=token)
    c.check("transfers list filtered", "GET", "/transfers?state=COMPLETED&profileId=401&tag=conformance&offset=0&limit=1", 200, token=token)
    c.check("transfers list bad state", "GET", "/transfers?state=DONE", 400, token=token)
    c.check("transfer get", "GET", f"/transfers/{transfer_id}", 200, token=token)
    c.check("transfer get unknown", "GET", "/transfers/1", 404, token=token)

    c.check("card transactions", "GET", "/managed_cards/100000000000000301/transactions", 200, token=token)
    c.check("card transactions filtered", "GET",
            "/managed_cards/100000000000000301/transactions?type=transfers&status=COMPLETED&direction=CREDIT&sortOrder=ASC&offset=0&limit=5",
            200, token=token)
    c.check("card transactions bad filter", "GET", "/managed_cards/100000000000000301/transactions?direction=UP", 400, token=token)
    c.check("card transactions other identity", "GET", "/managed_cards/100000000000000311/transactions", 404, token=token)
    c.check("account transactions", "GET", "/managed_accounts/100000000000000201/transactions?creationTimestampFrom=0&sortBy=lastUpdatedTimestamp",
            200, token=token)
    c.check("account transactions unknown", "GET", "/managed_accounts/1/transactions", 404, token=token)


def run_purchases(c, token):
    """Simulated purchases (admin routes) and the card payments they leave in the card's transactions."""
    purchase = {"cardId": "100000000000000301", "amount": 300, "currency": "EUR", "merchantName": "Coffee Shop", "merchantCategoryCode": "5814"}
    status, _, raw = c.admin("POST", "/_simulator/purchases", purchase)
    authorised = json.loads(raw) if status == 201 else {}
    c.record(f"purchase authorised (got {status} {authorised.get('status')})",
             [] if authorised.get("status") == "SETTLEMENT_IN_PROGRESS" else ["expected 201 SETTLEMENT_IN_PROGRESS"])
    _, held = c.check("card transactions with a hold", "GET", "/managed_cards/100000000000000301/transactions?type=card_payments", 200, token=token)
    statuses = [entry.get("status") for entry in (held or {}).get("transactions", [])]
    c.record(f"hold listed as PROCESSING (got {statuses})", [] if statuses == ["PROCESSING"] else ["unexpected entries"])
    status, _, _ = c.admin("POST", f"/_simulator/purchases/{authorised.get('id', '0')}/settle")
    c.record(f"purchase settled (got {status})", [] if status == 200 else ["expected 200"])
    status, _, raw = c.admin("POST", "/_simulator/purchases", dict(purchase, cardId="100000000000000303"))
    c.record(f"purchase on a blocked card declined (got {status})",
             [] if status == 201 and json.loads(raw).get("status") == "DECLINED" else ["expected 201 DECLINED"])
    c.check("card transactions settled", "GET", "/managed_cards/100000000000000301/transactions?status=COMPLETED", 200, token=token)
    _, declined = c.check("card transactions declined", "GET", "/managed_cards/100000000000000303/transactions", 200, token=token)
    statuses = [entry.get("status") for entry in (declined or {}).get("transactions", [])]
    c.record(f"declined purchase listed as CANCELLED (got {statuses})", [] if statuses == ["CANCELLED"] else ["unexpected entries"])


def spend_limit(amount, interval, currency="EUR"):
    return {"value": {"currency": currency, "amount": amount}, "interval": interval}


def run_spend_rules(c, token):
    """GET/POST/PATCH/DELETE /managed_cards/{id}/spend_rules, and a purchase the rules decline."""
    card = "100000000000000301"
    path = f"/managed_cards/{card}/spend_rules"
    c.check("spend rules none", "GET", path, 200, token=token)
    rules = {"blockedMerchantCategories": ["7995"], "allowedMerchantCountries": ["MT"], "allowAtm": False, "minTransactionAmount": 1,
             "maxTransactionAmount": 100000, "rolloverPolicy": {"rolloverNegative": False}, "spendLimit": [spend_limit(100000, "MONTHLY")]}
    c.check("spend rules create invalid", "POST", path, 400, token=token, body={"allowedMerchantCountries": ["malta"]})
    c.check("spend rules create currency", "POST", path, 409, token=token, body={"spendLimit": [spend_limit(1, "DAILY", "GBP")]})
    c.check("spend rules create duplicate interval", "POST", path, 409, token=token,
            body={"spendLimit": [spend_limit(1, "DAILY"), spend_limit(2, "DAILY")]})
    c.check("spend rules create negative", "POST", path, 409, token=token, body={"spendLimit": [spend_limit(-1, "DAILY")]})
    c.check("spend rules create", "POST", path, 204, token=token, body=rules, headers={"idempotency-ref": "conf-rules"})
    c.check("spend rules create replayed", "POST", path, 204, token=token, body=rules, headers={"idempotency-ref": "conf-rules"})
    c.check("spend rules create again", "POST", path, 409, token=token, body=rules)
    c.check("spend rules get", "GET", path, 200, token=token)
    c.check("spend rules update", "PATCH", path, 204, token=token,
            body={"allowAtm": True, "updateSpendLimitMethod": "INCREMENT", "spendLimit": [spend_limit(500, "MONTHLY")]},
            headers={"idempotency-ref": "conf-rules-patch"})
    c.check("spend rules update invalid", "PATCH", path, 400, token=token, body={"updateSpendLimitMethod": "ADD"})
    c.check("spend rules update currency", "PATCH", path, 409, token=token, body={"spendLimit": [spend_limit(1, "DAILY", "USD")]})
    c.check("spend rules other identity", "GET", "/managed_cards/100000000000000311/spend_rules", 404, token=token)
    purchase = {"cardId": card, "amount": 100, "currency": "EUR", "merchantName": "Casino", "merchantCategoryCode": "7995", "merchantCountry": "MT"}
    status, _, raw = c.admin("POST", "/_simulator/purchases", purchase)
    reason = json.loads(raw).get("declineReason") if status == 201 else None
    c.record(f"purchase declined by a spend rule (got {status} {reason})", [] if reason == "SPEND_RULE_MCC_BLOCKED" else ["expected SPEND_RULE_MCC_BLOCKED"])
    c.check("card transactions with a rule decline", "GET", f"/managed_cards/{card}/transactions?type=card_payments&status=CANCELLED", 200, token=token)
    c.check("spend rules delete", "DELETE", path, 204, token=token)
    c.check("spend rules delete other identity", "DELETE", "/managed_cards/100000000000000311/spend_rules", 404, token=token)


def run_physical_cards(c, token):
    """Upgrade to physical, activate, PIN, PIN unblock, report lost/stolen, replace damaged and lost/stolen."""
    _, created = c.check("card for physical", "POST", "/managed_cards", 200, token=token, body=card_request("Physical"))
    card = (created or {}).get("id", "0")
    base = f"/managed_cards/{card}/physical"
    address = {"name": "Alice", "surname": "Admin", "addressLine1": "1 Main St", "city": "London", "postCode": "N1 1AA", "country": "GB"}
    c.check("physical pin of a virtual card", "GET", base + "/pin", 409, token=token)
    c.check("physical upgrade invalid", "POST", base, 400, token=token, body={"activationCode": "12ab"})
    upgrade = {"deliveryAddress": address, "deliveryMethod": "COURIER", "activationCode": "2468"}
    c.check("physical upgrade", "POST", base, 200, token=token, body=upgrade, headers={"idempotency-ref": "conf-physical"})
    c.check("physical upgrade replayed", "POST", base, 200, token=token, body=upgrade, headers={"idempotency-ref": "conf-physical"})
    c.check("physical upgrade again", "POST", base, 409, token=token, body=upgrade)
    c.check("physical upgrade other identity", "POST", "/managed_cards/100000000000000311/physical", 404, token=token, body=upgrade)
    c.check("physical pin before activation", "GET", base + "/pin", 409, token=token)
    c.check("physical unblock pin before activation", "PATCH", base + "/pin/unblock", 409, token=token)
    c.check("physical replace damaged before activation", "POST", base + "/replace_damaged", 409, token=token, body={"activationCode": "1"})
    c.check("physical report stolen before activation", "POST", base + "/report_stolen", 409, token=token)
    c.check("physical activate wrong code", "POST", base + "/activate", 409, token=token, body={"activationCode": "1111"})
    c.check("physical activate", "POST", base + "/activate", 200, token=token, body={"activationCode": "2468"},
            headers={"idempotency-ref": "conf-activate"})
    c.check("physical activate again", "POST", base + "/activate", 409, token=token, body={"activationCode": "2468"})
    _, pin = c.check("physical pin", "GET", base + "/pin", 200, token=token)
    value = ((pin or {}).get("pin") or {}).get("value", "")
    c.record("physical pin is a token, not digits", [] if value and not any(ch.isdigit() for ch in value) else [f"got {value!r}"])
    status, _, _ = c.admin("POST", f"/_simulator/cards/{card}/pin_block")
    c.record(f"pin blocked by the admin route (got {status})", [] if status == 204 else ["expected 204"])
    c.check("physical pin blocked", "GET", base + "/pin", 409, token=token)
    c.check("physical unblock pin", "PATCH", base + "/pin/unblock", 204, token=token)
    c.check("physical replace damaged", "POST", base + "/replace_damaged", 204, token=token, body={"activationCode": "1357"},
            headers={"idempotency-ref": "conf-damaged"})
    c.check("physical replace damaged again", "POST", base + "/replace_damaged", 409, token=token, body={"activationCode": "1357"})
    c.check("physical replace lost not lost", "POST", base + "/replace_lost_stolen", 409, token=token, body={"activationCode": "1"})
    c.check("physical report lost", "POST", base + "/report_lost", 204, token=token, headers={"idempotency-ref": "conf-lost"})
    c.check("physical report lost again", "POST", base + "/report_lost", 409, token=token)
    c.check("physical report stolen when lost", "POST", base + "/report_stolen", 409, token=token)
    c.check("physical replace lost invalid", "POST", base + "/replace_lost_stolen", 400, token=token, body={})
    _, replacement = c.check("physical replace lost", "POST", base + "/replace_lost_stolen", 200, token=token, body={"activationCode": "9753"},
                             headers={"idempotency-ref": "conf-replace"})
    c.check("physical replace lost again", "POST", base + "/replace_lost_stolen", 409, token=token, body={"activationCode": "9753"})
    new_base = f"/managed_cards/{(replacement or {}).get('id', '0')}/physical"
    c.check("physical activate replacement", "POST", new_base + "/activate", 200, token=token, body={})
    c.check("physical report stolen", "POST", new_base + "/report_stolen", 204, token=token, headers={"idempotency-ref": "conf-stolen"})
    c.check("physical report lost when stolen", "POST", new_base + "/report_lost", 409, token=token)
    c.check("card get stolen", "GET", f"/managed_cards/{(replacement or {}).get('id', '0')}", 200, token=token)


def validate_captured(c):
    """Validates the request bodies the simulator captured (this run's own requests) against the spec."""
    status, _, raw = c.admin("GET", "/_simulator/requests")
    if status != 200:
        c.record("captured requests readable", [f"GET /_simulator/requests -> {status}"])
        return
    problems = []
    requests = json.loads(raw).get("requests", [])
    for captured in requests:
        if c.spec.match_operation(captured["method"], captured["path"]) is None:
            problems.append(f"{captured['method']} {captured['path']}: no spec operation")
        for name, value in captured["headers"]:
            if name.lower() in ("api-key", "authorization") and value != "<redacted>":
                problems.append(f"#{captured['sequence']}: {name} not redacted")
        if "Password1!" in captured["body"] or "Password2!" in captured["body"]:
            problems.append(f"#{captured['sequence']}: password not redacted")
    c.record(f"captured {len(requests)} requests, secrets redacted", problems)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--spec", default=DEFAULT_SPEC)
    parser.add_argument("--api-key", default="sim-demo-api-key")
    args = parser.parse_args()
    checker = Checker(args.base_url, SpecIndex(args.spec), args.api_key)
    try:
        run(checker)
    except Exception as error:  # a crash is a failure, not a traceback-only exit
        checker.record("script crashed", [repr(error)])
    print(f"{checker.passed} passed, {checker.failed} failed")
    sys.exit(1 if checker.failed else 0)


if __name__ == "__main__":
    main()
