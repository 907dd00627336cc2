"""Meeting reports and charts as plain data and renderers."""
