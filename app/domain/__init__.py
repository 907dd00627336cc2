"""Plain-Python domain rules: periods, money, credit codes, text; no Qt, no SQLAlchemy."""
