"""paiban (排版): raw Chinese feature texts in, print-ready magazine PDFs out."""

__version__ = "0.1.0"
