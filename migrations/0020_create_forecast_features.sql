-- Compact forecast state per package (issue 14): what the probabilistic forecaster keeps per active package
-- (ForecastFeatures, about 1.1 KB, encoded by ForecastFeatures.Codec), so a start loads it instead of refolding
-- 28 days of hourly rows for every package.
-- format:      the codec's format version when written; rows of another version are rebuilt from history.
-- observed_at: the last observation folded in (a start folds on from it, or reads the rows since when it lags).
-- data:        the encoded features (magic, version, model fingerprint, fields, checksum).
-- Written by the poller in the poll's transaction, when a package's features closed an hour (at most once an hour per
-- package) or were not written yet; a row never goes back in time. Dropped with the package, or when it is released.
CREATE TABLE forecast_features (
    package_pk  bigint      PRIMARY KEY REFERENCES packages (id) ON DELETE CASCADE,
    format      integer     NOT NULL,
    observed_at timestamptz NOT NULL,
    data        bytea       NOT NULL
);
