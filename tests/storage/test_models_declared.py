"""The models are declared from real annotations: SQLAlchemy evaluates no annotation strings at start-up."""

from __future__ import annotations

from app.storage import models
from app.storage.db import Base


def test_column_annotations_are_types_not_strings() -> None:
    # A string annotation (``from __future__ import annotations`` in models.py) costs every start ≈ 20 ms of
    # SQLAlchemy evaluating it; only forward references to later models may be strings, inside Mapped[...].
    strings = [
        f"{mapper.class_.__name__}.{name}"
        for mapper in Base.registry.mappers
        for name, annotation in vars(mapper.class_).get("__annotations__", {}).items()
        if isinstance(annotation, str)
    ]
    assert strings == []
    assert models.Project.__annotations__["task"].__args__[0].__forward_arg__ == "Task | None"
