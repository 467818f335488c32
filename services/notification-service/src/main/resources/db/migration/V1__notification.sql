-- What each customer was told about each order outcome. The unique key makes "exactly one
-- notification per order outcome" a property of the database: a redelivered or repeated outcome
-- message (even under a new message id, which the inbox cannot recognize) finds the row and
-- sends nothing. Its leading order_id also serves GET /notifications?orderId=.
CREATE TABLE notification (
    id           UUID         PRIMARY KEY,
    order_id     UUID         NOT NULL,
    customer_id  VARCHAR(128) NOT NULL, -- as long as order-service accepts
    outcome      VARCHAR(16)  NOT NULL, -- APPROVED | REJECTED
    reason       VARCHAR(64),           -- the rejection reason; NULL for an approval
    channel      VARCHAR(16)  NOT NULL,
    recipient    VARCHAR(320) NOT NULL,
    subject      VARCHAR(512) NOT NULL,
    body         TEXT         NOT NULL,
    sent_at      TIMESTAMPTZ  NOT NULL,
    CONSTRAINT notification_once_per_outcome UNIQUE (order_id, outcome)
);
