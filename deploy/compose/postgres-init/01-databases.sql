-- One database per service, owned by the platform role (POSTGRES_USER, "motcua").
-- The postgres image runs this file once, when the data volume is empty; each service then
-- creates and migrates its own schema when it starts.
CREATE DATABASE motcua_dossier;
CREATE DATABASE motcua_personnel;
CREATE DATABASE motcua_evaluation;
CREATE DATABASE motcua_notification;
