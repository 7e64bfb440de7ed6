from growthdesk.cli import main

raise SystemExit(main())
