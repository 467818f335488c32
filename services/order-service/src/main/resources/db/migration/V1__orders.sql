-- The Order aggregate. Lines are a value of the order, stored with it.
CREATE TABLE orders (
    id                UUID         PRIMARY KEY,
    customer_id       VARCHAR(128) NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    rejection_reason  VARCHAR(32),
    total_cents       BIGINT,
    lines             JSONB        NOT NULL, -- {"lines": [{"sku": ..., "quantity": ...}]}
    placed_at         TIMESTAMPTZ  NOT NULL,
    updated_at        TIMESTAMPTZ  NOT NULL,
    version           BIGINT       NOT NULL
);

CREATE INDEX orders_by_customer ON orders (customer_id, placed_at DESC);

-- Idempotency-Key of POST /orders: the same key with the same request answers the same order.
-- The key is claimed first in the placing transaction, so the order it points to is inserted
-- later in that transaction: the foreign key is checked at commit.
CREATE TABLE idempotency_keys (
    idempotency_key  VARCHAR(128) PRIMARY KEY,
    request_hash     CHAR(64)     NOT NULL,
    order_id         UUID         NOT NULL REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp()
);
