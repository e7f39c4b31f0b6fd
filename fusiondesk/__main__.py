"""`python -m fusiondesk` is the same as the `fusiondesk` command."""

from fusiondesk.cli import main

raise SystemExit(main())
