"""One module per `avatarlink` subcommand; see avatarlink.cli for the contract."""
