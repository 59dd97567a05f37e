"""The web app: server-rendered pages with HTMX, a thin layer over restons.services."""
