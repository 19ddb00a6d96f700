"""Print and data exports: 公开栏 board sheets, 明白纸 leaflets, the quarterly board pack and the 登记簿.

Modules that only decide (paths, board, register rows) import nothing heavy; WeasyPrint is loaded by pdf.py
when a PDF is actually written, so a missing pango library is reported as an environment error, once.
"""
