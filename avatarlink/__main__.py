from avatarlink.cli import main

raise SystemExit(main())
