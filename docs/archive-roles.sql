-- Least privilege for a Shearwater team archive on PostgreSQL (13 or newer); see the README, "Team archive".
-- The archive's owner (the database's owner) runs `shearwater archive migrate --to URL` first: it creates the
-- schema `shearwater` and the extension pg_trgm (trusted: the database's owner may create it). Then, as that owner,
-- with the database's name in place of team_archive:
--   psql -d team_archive -v writer_password='…' -v reader_password='…' -f docs/archive-roles.sql
-- Hosts push as shearwater_writer; people and tools read as shearwater_reader. Neither can change the schema, and the
-- writer cannot change or delete what is stored: records are only ever added.
CREATE ROLE shearwater_writer LOGIN PASSWORD :'writer_password';
CREATE ROLE shearwater_reader LOGIN PASSWORD :'reader_password';
GRANT CONNECT ON DATABASE team_archive TO shearwater_writer, shearwater_reader;
GRANT USAGE ON SCHEMA shearwater TO shearwater_writer, shearwater_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA shearwater TO shearwater_writer, shearwater_reader;
-- A source's host and folder, how far each session is stored: kept up to date by each push.
GRANT INSERT, UPDATE ON shearwater.sources, shearwater.sessions TO shearwater_writer;
GRANT INSERT ON shearwater.records, shearwater.terms, shearwater.checkpoints, shearwater.places, shearwater.rewinds TO shearwater_writer;
-- Tables a later migration (run by the owner) adds are readable by both.
ALTER DEFAULT PRIVILEGES IN SCHEMA shearwater GRANT SELECT ON TABLES TO shearwater_writer, shearwater_reader;
