"""What the kiosk keeps on disk: sheet numbers (`sheet_numbers`), the outbox of sheets
(`outbox`) and the session log (`sessions`). Import from the module you need: the package
loads none of them, so the kiosk's first screen does not wait for SQLite."""
