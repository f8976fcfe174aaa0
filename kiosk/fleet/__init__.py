"""The fleet database of SPEC §18: every kiosk's records in the bank's PostgreSQL
(psycopg 3). kiosk.fleet.schema creates and migrates the server's tables,
kiosk.fleet.push sends the session log's queue, kiosk.fleet.pusher does it in the
background, kiosk.fleet.report counts it all per branch and kiosk."""
