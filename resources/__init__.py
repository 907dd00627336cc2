"""Data files shipped with Taizhang (the built-in portfolio, icons); located through app.resources."""
