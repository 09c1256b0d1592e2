"""Rubrics as documents: the appendix table in Word, HTML and Markdown.

`appendix_rows` flattens a rubric into the rows of the table every format
shares; `docx_table.add_rubric_table` and `rubric_table.rubric_to_html` /
`rubric_to_markdown` lay those rows out. python-docx and Jinja2 are imported
inside the functions that use them.
"""
