-- The W3C traceparent of the span that started the saga (the OrderPlaced transaction): the
-- deadline scan continues the order's trace from it when it re-sends or compensates a step.
ALTER TABLE saga ADD COLUMN traceparent VARCHAR(64);
