"""Bringing rubrics in from other formats: web-page text, Word (.docx), Excel (.xlsx)."""
