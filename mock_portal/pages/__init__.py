"""The portal's request handlers, one module per workflow (and one for accounts and the menu,
one for the mock-only inspection endpoints)."""
