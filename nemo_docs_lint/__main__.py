"""`python -m nemo_docs_lint` is the console script."""

from .cli import run

if __name__ == "__main__":
    run()
