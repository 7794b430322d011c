"""The operator console: a server-rendered web app over the same store and runtime as the CLI.

    deskbot console [--host 127.0.0.1] [--port 8765]

See docs/console.md (roles, pages, the JSON API, running it behind a reverse proxy with TLS).
"""
