"""The A4 printer: official documents (the gateway's signed PDFs) printed over IPP.

- :mod:`.ipp` — IPP/1.1 messages encoded and decoded (RFC 8010), our own few hundred lines
- :mod:`.client` — the operations the kiosk uses (RFC 8011) over HTTP: Print-Job,
  Get-Job-Attributes, Get-Printer-Attributes, Cancel-Job
- :mod:`.conditions` — ``printer-state-reasons`` as the kiosk's device conditions
- :mod:`.driver` — ``A4Printer``: a document counts only when the printer says the job completed

The kiosk passes the PDF's bytes through; it never loads a PDF library.
"""
