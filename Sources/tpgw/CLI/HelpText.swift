/// Usage text for `tpgw --help` and each subcommand.
enum HelpText {
    static func text(for topic: String?) -> String {
        switch topic {
        case "serve": """
            tpgw serve [--config FILE] [--no-migrate]
              Run the gateway: HTTP API, poller, alert engine and webhook dispatcher.
              Applies pending migrations first unless --no-migrate.
            """
        case "migrate": """
            tpgw migrate [--config FILE]
              Apply pending database migrations and exit.
            """
        case "keys": """
            tpgw keys create --name NAME --scope read,write|admin [--config FILE]
              Create an API key; the key is printed once, alone on its line. Only its hash is stored.
            tpgw keys list [--config FILE]
              List keys (name, scopes, created, last used, revoked) without the keys themselves.
            tpgw keys revoke NAME [--config FILE]
              Revoke the key with that name.
            """
        case "check-config": """
            tpgw check-config [--config FILE]
              Validate the configuration and list every problem at once. Exit 2 when invalid.
            """
        case "version": "tpgw version\n  Print the version."
        default: """
            tpgw — Traffic Package Gateway

            usage:
              tpgw serve [--config FILE] [--no-migrate]   run the gateway
              tpgw migrate [--config FILE]                apply migrations and exit
              tpgw keys create --name NAME --scope read,write|admin | list | revoke NAME
              tpgw check-config [--config FILE]           validate configuration, list every problem
              tpgw version

            Every subcommand takes --config (or TPGW_CONFIG) and --help.
            Environment overrides: TPGW_LISTEN, TPGW_DATABASE_URL, TPGW_LOG_LEVEL, TPGW_PUBLIC_URL,
            TPGW_MIGRATIONS_DIR, TPGW_POLL_INTERVAL_SECONDS, TPGW_ACCESS_LOG.
            Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.
            """
        }
    }
}
