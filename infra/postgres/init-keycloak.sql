-- Run once by the postgres image on an empty data directory: Keycloak keeps its realm in
-- a database of its own beside Beeldzorg's.
CREATE DATABASE keycloak OWNER beeldzorg;
