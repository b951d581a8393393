-- name: ActiveSubscription :one
SELECT * FROM subscriptions
WHERE account_id = ? AND canceled_at IS NULL;

-- name: CancelSubscription :execrows
UPDATE subscriptions
SET canceled_at = CURRENT_TIMESTAMP, status = 'canceled'
WHERE id = ? AND canceled_at IS NULL;

-- name: UnpaidInvoices :many
SELECT i.id, i.number, i.amount_cents, s.account_id
FROM invoices AS i
JOIN subscriptions AS s ON s.id = i.subscription_id
WHERE i.paid_at IS NULL
ORDER BY i.issued_at;

-- name: RevenueByPlan :many
SELECT s.plan_code, count(*) AS invoices, sum(i.amount_cents) AS total_cents
FROM invoices AS i
JOIN subscriptions AS s ON s.id = i.subscription_id
WHERE i.paid_at IS NOT NULL
GROUP BY s.plan_code
ORDER BY s.plan_code;
