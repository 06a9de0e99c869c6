#!/usr/bin/env python3
"""Writes spec-shaped Weavr JSON documents into fuzz/corpus/weavr-json/: a ManagedCard (and a page of them)
built from spec/weavr-multi-openapi.yml's schema, every property present (each `oneOf`/`anyOf` branch and
each enum value in turn), in the prepaid, debit and physical shapes. The spec has no card examples of its
own, so these are the examples: `WeavrJSONTests` decodes every file with WeavrJSON and with JSONDecoder and
requires the same answer, and the weavr-json fuzz target starts from them.
Usage: python3 fuzz/spec_examples.py   (rewrites the spec-* files only)"""
import json, os, sys, yaml

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
spec = yaml.safe_load(open(os.path.join(root, "spec/weavr-multi-openapi.yml")))
schemas = spec["components"]["schemas"]
out_dir = os.path.join(root, "fuzz/corpus/weavr-json")


def resolve(schema):
    while "$ref" in schema:
        schema = {**schemas[schema["$ref"].split("/")[-1]], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def sample(schema, variant, name=""):
    schema = resolve(schema)
    if "allOf" in schema:
        merged = {"type": "object", "properties": {}}
        for part in schema["allOf"]:
            part = resolve(part)
            merged["properties"].update(part.get("properties", {}))
        return sample(merged, variant, name)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = schema[key]
            return sample(options[variant % len(options)], variant, name)
    if "enum" in schema:
        return schema["enum"][variant % len(schema["enum"])]
    if "example" in schema:
        return schema["example"]
    kind = schema.get("type", "object")
    if kind == "object":
        return {prop: sample(sub, variant, prop) for prop, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [sample(schema.get("items", {}), variant + i, name) for i in range(2)]
    if kind == "boolean":
        return variant % 2 == 0
    if kind == "integer":
        low = schema.get("minimum", 0)
        return int(low) + 1000 + variant if "Timestamp" in name else int(low) + 12 + variant
    if kind == "number":
        return 12
    pattern = schema.get("pattern", "")
    if "[0-9]{6}" in pattern: return "522093"
    if "[0-9]{4}" in pattern and "mmyy" not in name.lower(): return "1234"
    if "Mmyy" in name: return "0130"
    if pattern == "^[0-9]+$": return "110154985389785091"
    if name == "currency" or name == "userCurrency": return "EUR"
    if name == "country": return "MT"
    if name == "cardholderMobileNumber": return "+35699999999"
    text = f"{name or 'text'}-{variant} é ü “quoted” \\ slash / 😀"
    return text[: schema.get("maxLength", len(text))]


def write(name, document):
    with open(os.path.join(out_dir, name), "w") as handle:
        json.dump(document, handle, ensure_ascii=(name.endswith("-ascii.json")), indent=None if "compact" in name else 1)


os.makedirs(out_dir, exist_ok=True)
card = schemas["ManagedCard"]
for variant in range(3):
    document = sample(card, variant)
    write(f"spec-card-{variant}.json", document)
    write(f"spec-card-{variant}-compact-ascii.json", document)
write("spec-card-page.json", {"cards": [sample(card, v) for v in range(3)], "count": 3, "responseCount": 3})
print(f"wrote {len(os.listdir(out_dir))} files to {out_dir}", file=sys.stderr)
