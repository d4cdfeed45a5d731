-- drillapp: the shared PostgreSQL database and its two roles (README: "Setting up the shared PostgreSQL
-- database").
--
-- Run it once with psql as a PostgreSQL superuser (or a role with CREATEROLE and CREATEDB):
--
--   psql -h HOST -U postgres -d postgres -f docs/postgresql-setup.sql \
--        -v owner=drillapp_owner -v app=drillapp_app -v database=drillapp \
--        -v owner_password='...' -v app_password='...'
--
-- (every -v is optional: these names are the defaults; without a password variable, set it afterwards
-- with psql's \password ROLE). Then create the tables as the owner, which also grants the app role its
-- rights:
--
--   drillapp --db postgresql://drillapp_app@HOST/drillapp db upgrade \
--            --owner-url postgresql://drillapp_owner@HOST/drillapp
--
-- The workstations connect as the app role (Settings -> Shared database, user drillapp_app). The owner's
-- password stays with the administrator: it is needed only for `drillapp db upgrade --owner-url`.
--
-- The owner owns the database, its schema and every table, and runs the migrations. The app role may
-- read and write rows, and only add to the audit trail; it owns nothing, creates nothing, and cannot drop
-- or disable a trigger. `drillapp db upgrade` (re)grants exactly that after every upgrade
-- (drillapp/db_roles.py), and refuses a role with more.

\set ON_ERROR_STOP on
\if :{?owner}
\else
  \set owner drillapp_owner
\endif
\if :{?app}
\else
  \set app drillapp_app
\endif
\if :{?database}
\else
  \set database drillapp
\endif

-- The owner: the tables' owner. Logs in only to upgrade the schema.
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
-- The app's role: every workstation. Inherits nothing, so it has only what is granted to it by name.
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
\if :{?owner_password}
ALTER ROLE :"owner" PASSWORD :'owner_password';
\endif
\if :{?app_password}
ALTER ROLE :"app" PASSWORD :'app_password';
\endif

CREATE DATABASE :"database" OWNER :"owner" ENCODING 'UTF8' TEMPLATE template0;
-- Nobody else may connect or make temporary tables.
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"database" TO :"owner", :"app";

\connect :"database"
-- The tables live in schema public, which the owner owns; no other role may create anything in it
-- (before PostgreSQL 15 every role could).
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
