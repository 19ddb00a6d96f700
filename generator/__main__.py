import sys


def run() -> None:
    """`python -m generator` and the `gkgen` command (pyproject.toml [project.scripts])."""
    try:
        from .cli import main
    except KeyboardInterrupt:       # Ctrl+C while the program is still loading
        print("已中断：没有完成，原有网站目录未作改动。", file=sys.stderr)
        sys.exit(2)
    sys.exit(main())


if __name__ == "__main__":
    run()
