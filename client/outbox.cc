// client/outbox: being written.
