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
        case "packages", "summary", "sources", "alerts", "purchases", "silences": """
            tpgw packages  [--provider P] [--account A] [--region R] [--status S] [--policy P]
                           [--sort expiresAt|exhaustsAt|usedRatio|remainingBytes (prefix - to reverse)]
                           [--expiresBefore TIME] [--minUsedRatio 0..1] [--limit N]
            tpgw summary   [--group-by region|account|policy|status]
            tpgw sources
            tpgw alerts    [--state firing|resolved] [--budget ID] [--subject KEY] [--limit N]
            tpgw purchases [--state pending|succeeded|failed|unknown] [--requestedBy KEYNAME] [--limit N]
            tpgw silences [list] [--state active|all]
            tpgw silences add [--budget ID] [--kind K] [--provider P] [--account A] [--region R] [--package KEY]
                              (--duration 2h | --ends-at TIME) [--starts-at TIME] --comment TEXT     (write scope)
            tpgw silences expire ID                                                                   (write scope)
              Ask a running gateway (--url URL, or TPGW_URL; default http://127.0.0.1:8080) with an API key
              (--key-file FILE, or TPGW_API_KEY; read scope is enough). --output table (default) or json.
              Tables use human units and colours when printing to a terminal (NO_COLOR turns colours off).
              Exit codes: 0 ok, 1 gateway unreachable or failing, 2 request refused (bad filter, unknown
              resource), 3 missing, unknown or insufficient API key.
            """
        case "forecast": """
            tpgw forecast backtest [--days 14] [--horizon 24h] [--confidence 0.9] [--config FILE]
              Replays the stored history: at every past hour of the last DAYS days (1-28; the 7 days before
              warm the forecast up) each package is forecast from what was known then and compared with what
              happened. Prints, overall and per account, region and policy: MdAPE of time-to-exhaustion (runs
              out within 7 days), P10-P90 coverage, the share of exhaustions warned at least HORIZON ahead
              (1h-168h, or days: 2d) by an exhaustion rule at CONFIDENCE (0.5-0.99, default 0.9: fires on
              the P10 runway; higher warns earlier and more often falsely), and the share of false warnings
              (true runway above 1.5 x HORIZON). At most 2,000 packages (a fixed sample). Same as
              GET /v1/forecast/accuracy?days=&horizon=&confidence=.
            """
        default: """
            tpgw — Traffic Package Gateway

            usage:
              tpgw serve [--config FILE] [--no-migrate]   run the gateway
              tpgw migrate [--config FILE]                apply migrations and exit
              tpgw keys create --name NAME --scope read,write|admin | list | revoke NAME
              tpgw check-config [--config FILE]           validate configuration, list every problem
              tpgw forecast backtest [--days 14] [--horizon 24h] [--confidence 0.9] [--config FILE]
                                                          replay the stored history through the forecaster
              tpgw packages|summary|sources|alerts|purchases|silences [--url URL] [--output table|json] ...
                                                          ask a running gateway (see tpgw packages --help)
              tpgw version

            serve, migrate, keys, forecast and check-config take --config (or TPGW_CONFIG); every subcommand takes --help.
            Environment overrides: TPGW_LISTEN, TPGW_DATABASE_URL, TPGW_LOG_LEVEL, TPGW_PUBLIC_URL,
            TPGW_MIGRATIONS_DIR, TPGW_POLL_INTERVAL_SECONDS, TPGW_ACCESS_LOG.
            Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.
            """
        }
    }
}
