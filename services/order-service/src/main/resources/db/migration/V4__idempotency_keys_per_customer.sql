-- Idempotency keys are scoped per customer: two customers may use the same key, and one customer's
-- key no longer tells another that it exists (a conflict answer) or blocks their request.
-- Existing keys take the customer of the order they answer (a key and its order commit together).
-- On a large table, take the steps below in a maintenance window: the new primary key is built
-- while the table is locked.
ALTER TABLE idempotency_keys ADD COLUMN customer_id VARCHAR(128);
UPDATE idempotency_keys k SET customer_id = o.customer_id FROM orders o WHERE o.id = k.order_id;
ALTER TABLE idempotency_keys ALTER COLUMN customer_id SET NOT NULL;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (customer_id, idempotency_key);
