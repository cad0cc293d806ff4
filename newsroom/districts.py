"""Beijing's districts: normalisation and detection (STUB — filled in by the districts work)."""

CITYWIDE = "全市"


class UnknownDistrict(ValueError):
    def __init__(self, value, suggestions=()):
        self.value = value
        self.suggestions = list(suggestions)
        hint = f"; did you mean {'、'.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown district {value!r}{hint}")


def normalize_district(value):
    return value.strip()


def district_of(title, body):
    return None


def district_slug(name):
    return name
