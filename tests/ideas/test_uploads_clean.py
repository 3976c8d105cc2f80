"""`flask uploads clean`: pictures stored for ideas never published go after a day; used and young ones stay."""

import os
import time

from app.ideas import images
from app.ideas.services import ImageInput
from tests.ideas.factories import image_bytes, make_idea

DAY = 24 * 3600


def _age(path: str, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def _stored(colour, age: float) -> str:
    stored = images.store_image(image_bytes(colour=colour))
    _age(images.path_of(stored.filename), age)
    return stored.filename


def _temp_file(age: float) -> str:
    path = os.path.join(images.upload_dir(), "tmpab_c12x9.part")
    with open(path, "wb") as handle:
        handle.write(b"half a picture")
    _age(path, age)
    return path


def test_clean_removes_old_unattached_files_and_keeps_attached_and_young_ones(app, runner):
    attached = images.store_image(image_bytes(colour=(1, 1, 1)))
    make_idea(images=[ImageInput(image=attached, alt_text="Et kart", slot=1)])
    _age(images.path_of(attached.filename), 30 * DAY)
    old = [_stored((n * 60, 2, 2), age=2 * DAY) for n in range(3)]
    young = _stored((9, 9, 9), age=3600)
    temp = _temp_file(age=2 * DAY)
    stranger = os.path.join(images.upload_dir(), "README.txt")  # not written by us: left alone
    with open(stranger, "w") as handle:
        handle.write("notes")
    _age(stranger, 30 * DAY)
    freed = sum(os.path.getsize(images.path_of(name)) for name in old) + os.path.getsize(temp)

    result = runner.invoke(args=["uploads", "clean"])

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"4 removed ({freed} bytes)")
    assert "kept 1 in use and 1 younger than 24 hours" in result.output
    assert sorted(os.listdir(images.upload_dir())) == sorted([attached.filename, young, "README.txt"])

    again = runner.invoke(args=["uploads", "clean"])
    assert again.exit_code == 0
    assert again.output.startswith("0 removed (0 bytes)")


def test_dry_run_says_what_would_go_and_removes_nothing(app, runner):
    old = _stored((3, 3, 3), age=2 * DAY)
    size = os.path.getsize(images.path_of(old))
    result = runner.invoke(args=["uploads", "clean", "--dry-run"])
    assert result.output.startswith(f"1 would be removed ({size} bytes)")
    assert os.listdir(images.upload_dir()) == [old]


def test_older_than_sets_the_age_limit_in_hours(app, runner):
    two_hours = _stored((4, 4, 4), age=2 * 3600)
    half_hour = _stored((5, 5, 5), age=1800)
    result = runner.invoke(args=["uploads", "clean", "--older-than", "1"])
    assert result.output.startswith("1 removed")
    assert os.listdir(images.upload_dir()) == [half_hour]
    assert not os.path.exists(images.path_of(two_hours))


def test_an_image_of_a_hidden_idea_is_kept(app, runner):
    stored = images.store_image(image_bytes(colour=(6, 6, 6)))
    make_idea(hidden=True, images=[ImageInput(image=stored, alt_text="Et bilde", slot=1)])
    _age(images.path_of(stored.filename), 10 * DAY)
    assert runner.invoke(args=["uploads", "clean"]).output.startswith("0 removed")
    assert os.path.exists(images.path_of(stored.filename))


def test_clean_with_no_upload_folder_yet_removes_nothing(app, runner):
    result = runner.invoke(args=["uploads", "clean"])
    assert result.exit_code == 0
    assert result.output.startswith("0 removed (0 bytes)")
