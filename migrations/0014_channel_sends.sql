-- Sends per channel, shared by every replica, so that a channel's rate limit holds for the whole deployment
-- (not per replica). Written in the transaction that plans a channel's sends, under a lock on its channels row.
-- Rows older than the longest limit window are deleted as they stop mattering.
CREATE TABLE channel_sends (
    channel_id text        NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    sent_at    timestamptz NOT NULL
);
CREATE INDEX channel_sends_channel_idx ON channel_sends (channel_id, sent_at);
