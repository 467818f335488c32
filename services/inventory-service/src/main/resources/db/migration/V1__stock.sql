-- Stock per SKU. The CHECKs make "never negative" a property of the database too.
CREATE TABLE stock (
    sku          VARCHAR(64) PRIMARY KEY,
    available    INT         NOT NULL CHECK (available >= 0),
    reserved     INT         NOT NULL CHECK (reserved >= 0),
    price_cents  BIGINT      NOT NULL CHECK (price_cents >= 0),
    version      BIGINT      NOT NULL
);

-- One reservation per order (RESERVED, or RELEASED, kept as a tombstone).
CREATE TABLE reservation (
    order_id    UUID        PRIMARY KEY,
    status      VARCHAR(16) NOT NULL,
    lines       JSONB       NOT NULL, -- {"lines": [{"sku": ..., "quantity": ..., "unitPriceCents": ...}]}
    updated_at  TIMESTAMPTZ NOT NULL
);
