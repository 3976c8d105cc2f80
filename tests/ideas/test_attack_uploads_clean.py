"""Attack: `flask uploads clean` racing a person who sends or carries the same picture.

Pictures are stored by content hash, so a picture sent today can be a file that was staged
and abandoned days ago; sending it makes the file young again. The clean command decided on
the age it read before asking the database which files are in use, so a picture sent (or
carried by a form) in that moment was removed under the person's idea.
"""

import os

from sqlalchemy import event

from app.extensions import db
from app.ideas import images
from tests.ideas.factories import image_bytes
from tests.ideas.test_uploads_clean import DAY, _age


def _while_clean_asks_which_files_are_used(action):
    """Run `action` at the moment the clean command queries idea_images (a real interleaving)."""
    done = []

    def hook(conn, cursor, statement, parameters, context, executemany):
        if "idea_images" in statement and not done:
            done.append(True)
            action()

    event.listen(db.engine, "before_cursor_execute", hook)
    return lambda: event.remove(db.engine, "before_cursor_execute", hook)


def test_a_picture_sent_again_while_clean_runs_is_kept(app, runner):
    picture = image_bytes(colour=(200, 10, 10))
    abandoned = images.store_image(picture)
    _age(images.path_of(abandoned.filename), 3 * DAY)
    sent_again = []
    stop = _while_clean_asks_which_files_are_used(lambda: sent_again.append(images.store_image(picture)))
    try:
        result = runner.invoke(args=["uploads", "clean"])
    finally:
        stop()
    assert result.exit_code == 0, result.output
    assert sent_again and sent_again[0].filename == abandoned.filename
    assert os.path.exists(images.path_of(abandoned.filename)), "the picture just sent was removed"


def test_a_picture_carried_by_a_form_is_young_again(app):
    stored = images.store_image(image_bytes(colour=(10, 200, 10)))
    path = images.path_of(stored.filename)
    _age(path, 3 * DAY)
    token = images.image_token(stored, user_id=7)
    assert images.image_from_token(token, 7) == stored
    # The form is still carrying it: the clean command must not take it now.
    result = images.clean_unattached(older_than=images.timedelta(days=1))
    assert result.removed == 0
    assert os.path.exists(path)
