// What nearly every Dossier use case reads and writes with.
global using MotCua.ServiceDefaults.Database;
global using MotCua.ServiceDefaults.Http;
global using MotCua.ServiceDefaults.Messaging;
global using MotCua.ServiceDefaults.Security;
global using MotCua.ServiceDefaults.Time;
global using Npgsql;
