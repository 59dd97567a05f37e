"""Exports for other programs: vCard 4.0 for address books, CSV for spreadsheets.

The full backup, which restores, is :mod:`restons.backup`.
"""
