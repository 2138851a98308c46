"""Partner side: what the partner sold a customer (subscriptions, enabled packages)."""
