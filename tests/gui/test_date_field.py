"""Typed dates are read whole (a first user typed '20 Jan 2027' into Qt's date edit and 5 Jan 2027 was saved)."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.views.date_field import DateField


@pytest.mark.parametrize(
    ("typed", "iso"),
    [("20 Jan 2027", "2027-01-20"), ("20 january 2027", "2027-01-20"), ("20/01/2027", "2027-01-20"),
     ("20/1/27", "2027-01-20"), ("2027-01-20", "2027-01-20"), ("", None)],
)  # fmt: skip
def test_a_typed_date_is_read_whole_and_shown_in_the_house_style(qtbot: Any, typed: str, iso: str | None) -> None:
    field = DateField("2026-12-05", "Review on")
    qtbot.addWidget(field)
    seen: list[bool] = []
    field.changed.connect(lambda: seen.append(True))
    field.line.setText(typed)
    field.line.editingFinished.emit()
    assert field.value() == iso
    assert field.line.text() == ("20 Jan 2027" if iso else "")
    assert seen == [True]


def test_what_is_not_a_date_is_said_not_saved(qtbot: Any) -> None:
    from desktop.store.priorities import Priority
    from desktop.views.priority_dialog import PriorityDialog

    dialog = PriorityDialog(Priority(id=None, ward_code="E05013808", title="Phone snatches"), [], "West End")
    qtbot.addWidget(dialog)
    dialog.review.enabled.setChecked(True)
    dialog.review.edit.line.setText("31/02/2027")
    with pytest.raises(ValueError, match="Review on: '31/02/2027' is not a date"):
        dialog.collect()
    dialog.review.edit.line.setText("")
    with pytest.raises(ValueError, match="ticked but has no date"):
        dialog.collect()
    dialog.review.edit.line.setText("14 Mar 2027")
    assert dialog.collect().review_date == "2027-03-14"


def test_a_panel_meeting_date_that_is_not_a_date_stops_generate(qtbot: Any, data_dir: Any) -> None:
    from tests.gui._pages import close_window, open_window, wait_idle

    window = open_window(qtbot)
    try:
        page = window.briefing_page
        page.meeting.line.setText("next Tuesday")
        page.meeting.line.editingFinished.emit()
        assert page.options().meeting_date is None  # never a wrong date on the cover
        assert not page._check_ready()
        assert "next Tuesday" in page.banner.message() and "14 Apr 2026" in page.banner.message()
        page.meeting.line.setText("14/04/2026")
        page.meeting.line.editingFinished.emit()
        assert page.options().meeting_date == "2026-04-14"
        wait_idle(qtbot, window)
    finally:
        close_window(qtbot, window)
