"""The round report for the district leaders (.docx), its pictures (PNG) and their PDFs."""
