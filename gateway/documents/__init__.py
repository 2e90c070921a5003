"""Official documents on A4: each lookup's certificate as a signed PDF, and checking one later.

- :mod:`.kinds` — the three certificates (参保缴费证明, 不动产登记信息查询结果, 户籍/人口信息)
- :mod:`.hall_key` — the hall's document key and certificate (and the demo's root that issues it)
- :mod:`.seal` — the seal image: the configured file, or the demo's drawn seal
- :mod:`.sheet` — the certificate as HTML/CSS laid out on A4
- :mod:`.render` — HTML to PDF/A with WeasyPrint (CJK fonts embedded), with the page count
- :mod:`.signing` — the PAdES signature with pyHanko
- :mod:`.register` — the record of issued documents (code, number, kind, digest)
- :mod:`.issuing` — one certificate for one looked-up citizen: render, sign, record
- :mod:`.checking` — authentic / altered / unknown for a PDF someone hands in
- :mod:`.router` / :mod:`.verify_pages` — the kiosk's API and the public check page
- :mod:`.cli` — ``kiosk-gateway document sample``, ``kiosk-gateway verify``, ``admin document-key``

The kiosk never imports this package: it receives the PDF's bytes and passes them to its printer.
"""
