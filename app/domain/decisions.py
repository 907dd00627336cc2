"""Meeting decisions (议定事项): the traffic light and the two statuses, as plain rules."""

from __future__ import annotations

from datetime import date
from enum import Enum

STATUS_OPEN = "办理中"
STATUS_CLOSED = "已办结"
STATUSES = (STATUS_OPEN, STATUS_CLOSED)
DEFAULT_WARN_DAYS = 7


class Light(Enum):
    """A supervised item's light: green on track or done, yellow due within the warning days, red overdue."""

    GREEN = "绿"
    YELLOW = "黄"
    RED = "红"

    @property
    def label(self) -> str:
        """What the 督办 view writes beside the light."""
        return {Light.GREEN: "正常", Light.YELLOW: "临近到期", Light.RED: "已逾期"}[self]

    @property
    def colour(self) -> str:
        """The colour the views paint the light in."""
        return {Light.GREEN: "#12b76a", Light.YELLOW: "#f79009", Light.RED: "#d92d20"}[self]


def decision_light(due: date, closed: bool, today: date, warn_days: int = DEFAULT_WARN_DAYS) -> Light:
    """Red when open past its due date, yellow when open and due within ``warn_days``, else green."""
    if closed:
        return Light.GREEN
    days_left = (due - today).days
    if days_left < 0:
        return Light.RED
    if days_left <= warn_days:
        return Light.YELLOW
    return Light.GREEN


def due_text(due: date, closed: bool, today: date) -> str:
    """逾期 N 天 / 还剩 N 天 / 今日到期 / 已办结, for the views and the circular."""
    if closed:
        return "已办结"
    days = (due - today).days
    if days < 0:
        return f"逾期 {-days} 天"
    if days == 0:
        return "今日到期"
    return f"还剩 {days} 天"
