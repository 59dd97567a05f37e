"""Importers: each module parses one format into records; restons.importers.save stores them."""
