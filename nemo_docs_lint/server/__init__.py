"""`nemo-docs-lint server`: the language server (LSP over stdio, on pygls).

Needs the `server` extra (`pip install 'nemo-docs-lint[server]'`): pygls and lsprotocol.
`session` holds the docs trees, `convert` maps our types to LSP's, `app` holds the handlers.
"""
