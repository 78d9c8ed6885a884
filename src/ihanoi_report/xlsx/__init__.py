"""The workbooks the tool writes. Every workbook made from scratch (forms, the findings list, the consolidated
workbook) is written with XlsxWriter, in the one style of xlsx/styles.py; openpyxl only marks a copy of a
clerk's own workbook (feedback.py)."""
