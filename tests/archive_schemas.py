"""The published schemas the archive outputs are validated against (tests/fixtures/schemas/README.md)."""

import json
from functools import lru_cache
from pathlib import Path

SCHEMAS = Path(__file__).resolve().parent / "fixtures" / "schemas"
XLINK_URL = "http://www.loc.gov/standards/xlink/xlink.xsd"


@lru_cache(maxsize=1)
def iiif_validator():
    """A Draft 7 validator for IIIF Presentation 3.0, with URI formats checked."""
    from jsonschema import Draft7Validator

    schema = json.loads((SCHEMAS / "iiif_3_0.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def iiif_errors(document):
    """Every schema error of a IIIF Presentation 3 document, as readable lines (empty: valid)."""
    errors = sorted(iiif_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors]


@lru_cache(maxsize=1)
def alto_schema():
    from lxml import etree

    class Resolver(etree.Resolver):
        def resolve(self, url, pubid, context):
            if url == XLINK_URL:
                return self.resolve_filename(str(SCHEMAS / "xlink.xsd"), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Resolver())
    document = etree.parse(str(SCHEMAS / "alto-4-4.xsd"), parser)
    return etree.XMLSchema(document)


def alto_errors(data):
    """Every ALTO 4.4 schema error of the XML ``data`` (bytes), as readable lines (empty: valid)."""
    from lxml import etree

    schema = alto_schema()
    document = etree.fromstring(data, etree.XMLParser(no_network=True))
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
