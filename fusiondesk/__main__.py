"""`python -m fusiondesk` is the same as the `fusiondesk` command."""

from fusiondesk.cli import main

if __name__ == "__main__":  # a spawned worker imports this module too: it must not start the app
    import multiprocessing  # here, not above: `--help` needs none of it

    multiprocessing.freeze_support()  # a packaged FusionDesk starts its worker through here
    raise SystemExit(main())
