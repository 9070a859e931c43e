"""`python -m nemo_docs_lint` is the console script."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="nemo-docs-lint")
