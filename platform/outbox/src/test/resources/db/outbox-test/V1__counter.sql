-- A stand-in for a service's own state, changed in the same transaction as outbox and inbox.
CREATE TABLE counter (
    name  VARCHAR(64) PRIMARY KEY,
    value INT         NOT NULL
);
