-- Whether a staff user had an open connection when this was last written: 'online' or 'offline'. Live
-- presence is derived from connections; this column lets a restarted server set back to offline the users
-- that a crash left online.
ALTER TABLE users ADD COLUMN presence TEXT NOT NULL DEFAULT 'offline';
