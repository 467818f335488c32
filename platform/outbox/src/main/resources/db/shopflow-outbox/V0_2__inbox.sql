-- Shopflow inbox: ids of messages a consumer has processed, inserted in the same
-- transaction as the state change, so a redelivered message has no second effect.
CREATE TABLE inbox (
    message_id    UUID         NOT NULL,
    consumer      VARCHAR(128) NOT NULL,
    message_type  VARCHAR(128) NOT NULL,
    processed_at  TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (message_id, consumer)
);
