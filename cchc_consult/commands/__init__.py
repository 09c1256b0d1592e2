"""Sub-commands of `cchc`, one module each, discovered by `cli.build_parser`.

A module here defines `register(subparsers)` which adds its parser and sets
`handler=` to a function taking the parsed args and returning an exit code.
Keep imports at module level light: heavy libraries load inside handlers.
"""
