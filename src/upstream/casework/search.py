"""Find a person: fuzzy name (phonetic codes of every name seen in any agency's records),
date of birth, postcode and any agency identifier.

The index (`SearchKey`) is casework's own table, rebuilt from the published tables after each
publish, so the published tables stay as `upstream publish` wrote them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet

from upstream.casework.models import SearchKey
from upstream.errors import InputError
from upstream.people.models import Person, SourceRecord

MAX_RESULTS = 50
MAX_CANDIDATES = 500
_SOUNDEX = {
    c: d
    for d, letters in {
        "1": "bfpv",
        "2": "cgjkqsxz",
        "3": "dt",
        "4": "l",
        "5": "mn",
        "6": "r",
    }.items()
    for c in letters
}


def fold(text: str) -> str:
    """Lower case, accents removed, letters and digits only."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9 ]+", " ", ascii_text.lower()).strip()


def soundex(word: str) -> str:
    """American Soundex (US National Archives): first letter and three digits; names that
    sound alike share a code, so 'Smyth' finds 'Smith' and 'Jonh' finds 'John'."""
    letters = [c for c in fold(word) if c.isalpha()]
    if not letters:
        return ""
    code, previous = letters[0].upper(), _SOUNDEX.get(letters[0], "")
    for c in letters[1:]:
        digit = _SOUNDEX.get(c, "")
        if digit and digit != previous:
            code += digit
        if c not in "hw":
            previous = digit
    return (code + "000")[:4]


def name_codes(*names: str) -> set[str]:
    return {soundex(token) for name in names for token in fold(name).split() if len(token) > 1}


def normalise_identifier(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def normalise_postcode(text: str) -> str:
    return re.sub(r"\s+", "", text.upper())


def _keys_for(person: Person, records: list[SourceRecord]) -> Iterator[SearchKey]:
    names = [person.given_name, person.family_name, *person.other_names.split(";")]
    names += [n for r in records for n in (r.given_name, r.family_name)]
    for code in name_codes(*names):
        yield SearchKey(person_id=person.person_id, kind=SearchKey.Kind.NAME, key=code)
    postcodes = {person.current_postcode} | {r.postcode for r in records}
    for postcode in {normalise_postcode(p) for p in postcodes if p}:
        yield SearchKey(person_id=person.person_id, kind=SearchKey.Kind.POSTCODE, key=postcode[:80])
    identifiers = {person.person_id, person.nhs_number}
    identifiers |= {i for r in records for i in (r.source_record_id, r.nhs_number)}
    for identifier in {normalise_identifier(i) for i in identifiers if i}:
        yield SearchKey(
            person_id=person.person_id, kind=SearchKey.Kind.IDENTIFIER, key=identifier[:80]
        )


def rebuild_index(batch_size: int = 2000) -> int:
    """Rebuild the whole search index from the published tables; returns keys written."""
    written = 0
    with transaction.atomic():
        SearchKey.objects.all().delete()
        people = Person.objects.order_by("person_id").iterator(chunk_size=batch_size)
        batch: list[Person] = []
        for person in people:
            batch.append(person)
            if len(batch) >= batch_size:
                written += _index_batch(batch)
                batch = []
        written += _index_batch(batch)
    return written


def _index_batch(people: list[Person]) -> int:
    if not people:
        return 0
    records: dict[str, list[SourceRecord]] = {}
    for record in SourceRecord.objects.filter(person_id__in=[p.person_id for p in people]).only(
        "person_id", "given_name", "family_name", "source_record_id", "nhs_number", "postcode"
    ):
        records.setdefault(record.person_id, []).append(record)
    keys = [k for p in people for k in _keys_for(p, records.get(p.person_id, []))]
    SearchKey.objects.bulk_create(keys, batch_size=5000, ignore_conflicts=True)
    return len(keys)


def index_people(person_ids: list[str]) -> int:
    """Index (again) just these people: for tests and small updates."""
    SearchKey.objects.filter(person_id__in=person_ids).delete()
    return _index_batch(list(Person.objects.filter(person_id__in=person_ids)))


@dataclass(frozen=True)
class Query:
    name: str = ""
    date_of_birth: date | None = None
    postcode: str = ""
    identifier: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.name.strip()
            or self.date_of_birth
            or self.postcode.strip()
            or self.identifier.strip()
        )

    def check(self) -> None:
        """A name that yields no name code (`%`, `_`, one letter) would match everyone: say so
        rather than list 50 arbitrary people."""
        if self.name.strip() and not name_codes(self.name):
            raise InputError(
                "Enter a name of at least two letters, or search by date of birth, postcode "
                "or identifier",
                where="name",
            )

    def as_detail(self) -> dict[str, str]:
        return {
            "name": self.name,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "postcode": self.postcode,
            "identifier": self.identifier,
        }


def _by_keys(kind: str, keys: set[str]) -> Any:
    return (
        SearchKey.objects.filter(kind=kind, key__in=keys)
        .values("person_id")
        .annotate(matched=Count("key", distinct=True))
        .filter(matched__gte=len(keys))
        .values_list("person_id", flat=True)
    )


def _candidates(query: Query) -> QuerySet[Person]:
    people = Person.objects.all()
    codes = name_codes(query.name)
    if codes:
        people = people.filter(person_id__in=_by_keys(SearchKey.Kind.NAME, codes)[:MAX_CANDIDATES])
    identifier = normalise_identifier(query.identifier)
    if identifier:
        people = people.filter(person_id__in=_by_keys(SearchKey.Kind.IDENTIFIER, {identifier}))
    if query.date_of_birth:
        people = people.filter(date_of_birth=query.date_of_birth)
    postcode = normalise_postcode(query.postcode)
    if postcode:
        # Any postcode the person has been recorded at, so a previous address finds them too.
        people = people.filter(person_id__in=_by_keys(SearchKey.Kind.POSTCODE, {postcode}))
    return people


def similarity(query_name: str, person: Person) -> float:
    wanted = fold(query_name)
    if not wanted:
        return 0.0
    full = fold(f"{person.given_name} {person.family_name}")
    best = SequenceMatcher(None, wanted, full).ratio()
    for other in filter(None, (fold(n) for n in person.other_names.split(";"))):
        best = max(best, SequenceMatcher(None, wanted, other).ratio() * 0.95)
    return best


def find_people(query: Query) -> list[Person]:
    """People matching every filter given, best name match first (at most 50)."""
    if query.is_empty:
        return []
    people = list(_candidates(query)[:MAX_CANDIDATES])
    people.sort(
        key=lambda p: (-similarity(query.name, p), p.family_name, p.given_name, p.person_id)
    )
    return people[:MAX_RESULTS]
