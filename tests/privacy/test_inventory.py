"""Every column that refers to a person is exported or excluded with a reason (from the metadata)."""

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

from app.extensions import db
from app.privacy import export, inventory


def test_every_reference_to_users_is_exported_or_excluded_with_a_reason(app):
    assert inventory.problems(db.metadata) == []


def test_the_walk_finds_the_references_from_the_metadata_itself(app):
    found = inventory.user_references(db.metadata)
    # Not a hand-kept list: what the models declare, e.g. the tables other issues added.
    for name in ("votes.user_id", "comments.author_id", "sign_ins.user_id", "follows.user_id",
                 "notice_preferences.user_id", "data_exports.requested_by_id"):
        assert name in found
    assert len(found) == len(set(found)) >= 30


def _copy_of_the_schema() -> MetaData:
    copy = MetaData()
    for table in db.metadata.sorted_tables:
        table.to_metadata(copy)
    return copy


def test_a_new_table_with_a_person_in_it_fails_the_check(app):
    metadata = _copy_of_the_schema()
    Table("pets", metadata, Column("id", Integer, primary_key=True),
          Column("owner_id", ForeignKey("users.id")), Column("name", String(40)))
    assert inventory.problems(metadata) == [
        "pets.owner_id: refers to users but is neither exported nor excluded"
    ]


def test_a_new_reference_on_an_existing_table_fails_the_check(app):
    metadata = _copy_of_the_schema()
    metadata.tables["ideas"].append_column(Column("reviewed_by_id", ForeignKey("users.id")))
    assert inventory.problems(metadata) == [
        "ideas.reviewed_by_id: refers to users but is neither exported nor excluded"
    ]


def test_a_new_column_on_users_fails_the_check(app):
    metadata = _copy_of_the_schema()
    metadata.tables["users"].append_column(Column("phone", String(20)))
    assert inventory.problems(metadata) == ["users.phone: a column of users neither exported nor excluded"]


def test_a_declared_column_that_is_gone_fails_the_check(app):
    metadata = _copy_of_the_schema()
    metadata.remove(metadata.tables["follows"])
    assert "follows.user_id: declared, but no such reference to users exists" in inventory.problems(metadata)


def test_every_kind_has_a_section_and_every_exported_column_a_known_kind(app):
    assert {section.kind for section in export.SECTIONS} == set(inventory.KINDS)
    assert set(export.KIND_LABELS) == set(inventory.KINDS)
    exported = {e.kind for e in {**inventory.USER_REFERENCES, **inventory.OTHER_PERSONAL_DATA}.values()
                if isinstance(e, inventory.Exported)}
    assert exported <= set(inventory.KINDS)


def test_exclusions_say_why(app):
    entries = {**inventory.USER_REFERENCES, **inventory.OTHER_PERSONAL_DATA, **inventory.USER_COLUMNS}
    for name, entry in entries.items():
        if isinstance(entry, inventory.Excluded):
            assert len(entry.reason) >= 30, name


def test_the_account_file_holds_exactly_the_users_columns_declared_exported(app):
    from tests.factories import make_user

    [row] = export.recent(make_user(), "account", 1)
    declared = {c for c, e in inventory.USER_COLUMNS.items() if isinstance(e, inventory.Exported)}
    assert set(row) == declared
