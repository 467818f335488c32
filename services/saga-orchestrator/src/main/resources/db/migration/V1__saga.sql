-- PlaceOrder saga instances (one per order), owned by the orchestrator. The deadline scan of
-- every orchestrator instance takes due rows with FOR UPDATE SKIP LOCKED, so no step runs twice.
CREATE TABLE saga (
    order_id             UUID         PRIMARY KEY,
    saga_type            VARCHAR(32)  NOT NULL,
    customer_id          VARCHAR(128) NOT NULL,
    items                JSONB        NOT NULL, -- {"lines": [{"sku": ..., "quantity": ...}]}
    step                 VARCHAR(32)  NOT NULL,
    state                VARCHAR(16)  NOT NULL,
    compensating         BOOLEAN      NOT NULL,
    rejection_reason     VARCHAR(32),
    total_cents          BIGINT       NOT NULL,
    authorization_id     VARCHAR(128),
    stock_may_be_held    BOOLEAN      NOT NULL,
    payment_may_be_held  BOOLEAN      NOT NULL,
    attempts             INT          NOT NULL,
    deadline             TIMESTAMPTZ,
    started_at           TIMESTAMPTZ  NOT NULL,
    ended_at             TIMESTAMPTZ,
    history              JSONB        NOT NULL, -- {"entries": [{"at": ..., "step": ..., "event": ...}]}
    version              BIGINT       NOT NULL
);

CREATE INDEX saga_due ON saga (deadline) WHERE state IN ('RUNNING', 'COMPENSATING');
CREATE INDEX saga_by_state ON saga (state, started_at);
