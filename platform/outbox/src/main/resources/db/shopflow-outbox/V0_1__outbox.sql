-- Shopflow outbox: written in the same transaction as the state change that causes the
-- message; read by the relay (CDC via the publication below, or polling).
CREATE TABLE outbox (
    position        BIGSERIAL    NOT NULL UNIQUE, -- commit order for the polling relay
    id              UUID         PRIMARY KEY,     -- = message id
    aggregate_type  VARCHAR(64)  NOT NULL,
    aggregate_id    VARCHAR(128) NOT NULL,        -- Kafka key: keeps per-aggregate order
    topic           VARCHAR(249) NOT NULL,
    message_type    VARCHAR(128) NOT NULL,
    payload         BYTEA        NOT NULL,        -- encoded by the service's serde mode
    correlation_id  VARCHAR(128) NOT NULL,
    causation_id    VARCHAR(128),
    traceparent     VARCHAR(64),
    tracestate      VARCHAR(512),
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp(),
    published_at    TIMESTAMPTZ                   -- polling relay, on-ack=mark
);

CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL;

-- The CDC relay streams inserts only: its own deletes of published rows must not loop back.
CREATE PUBLICATION shopflow_outbox FOR TABLE outbox WITH (publish = 'insert');
