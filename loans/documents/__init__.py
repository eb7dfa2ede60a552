"""PDF documents for loans (WeasyPrint from HTML templates)."""
