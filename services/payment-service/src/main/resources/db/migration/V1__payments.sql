-- Customer credit. CHECKs keep "never below zero, never above the limit" in the database too.
CREATE TABLE credit_account (
    customer_id         VARCHAR(128) PRIMARY KEY,
    credit_limit_cents  BIGINT       NOT NULL CHECK (credit_limit_cents >= 0),
    available_cents     BIGINT       NOT NULL CHECK (available_cents >= 0 AND available_cents <= credit_limit_cents),
    version             BIGINT       NOT NULL
);

-- At most one payment per order (the primary key): AUTHORIZED, DECLINED, UNAVAILABLE or VOIDED.
CREATE TABLE payment (
    order_id          UUID         PRIMARY KEY,
    customer_id       VARCHAR(128),             -- null for a void that found no payment (tombstone)
    amount_cents      BIGINT       NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    authorization_id  VARCHAR(128),
    detail            VARCHAR(512),
    updated_at        TIMESTAMPTZ  NOT NULL
);
